import type { KObject } from '../../../api-types/index.ts';
import { ExecError, type ExecSession, type Runtime } from '../../runtime/index.ts';
import { queryBool } from '../../api/query-params.ts';
import { errors } from '../../store/errors.ts';
import type { ContainerStatus } from '../pod-status.ts';
import { pickContainer, storedStatus } from './select-container.ts';
import { STDERR, STDOUT, exitStatus } from './stream-protocol.ts';

export interface ExecRequest {
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** Parse and check an exec request; a refusal is an ApiError (400) answered before any upgrade. */
export function parseExec(pod: KObject, query: URLSearchParams, live: ContainerStatus | undefined): ExecRequest {
  const flag = (n: string) => queryBool(query, n);
  const container = pickContainer(pod, query.get('container'));
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    throw errors.badRequest(`cannot exec into a container in a completed pod; current phase is ${phase}`);
  const command = query.getAll('command');
  if (command.length === 0) throw errors.badRequest('you must specify at least 1 command');
  const req = {
    container,
    command,
    stdin: flag('stdin'),
    stdout: flag('stdout'),
    stderr: flag('stderr'),
    tty: flag('tty'),
  };
  if (!req.stdin && !req.stdout && !req.stderr)
    throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const status = live ?? storedStatus(pod, container);
  if (!status?.state?.running) throw errors.badRequest(`container not found ("${container}")`);
  return req;
}

/** The command's ends, wired by a transport (WebSocket or SPDY). */
export interface ExecSink {
  /** Output for channel 1 (stdout) or 2 (stderr). */
  out(channel: 1 | 2, data: Buffer): void;
  /** The command ended (or never started): send this Status and close. */
  done(status: object): void;
}

export interface ExecControl {
  stdin(data: Buffer): void;
  stdinEnd(): void;
  resize(cols: number, rows: number): void;
  /** The client went away. */
  kill(): void;
}

/** Run the command in the container; the transport feeds input and carries output and status. */
export function runExec(rt: Runtime, pod: KObject, exec: ExecRequest, sink: ExecSink): ExecControl {
  let session: ExecSession;
  try {
    session = rt.exec({
      podUid: pod.metadata.uid!,
      container: exec.container,
      command: exec.command,
      tty: exec.tty,
      stdin: exec.stdin,
    });
  } catch (e) {
    const why = e instanceof ExecError ? e.message : String((e as Error)?.message ?? e);
    const message = `Internal error occurred: error executing command in container: failed to exec in container: ${why}`;
    sink.done({
      metadata: {},
      status: 'Failure',
      message,
      reason: 'InternalError',
      code: 500,
      details: { causes: [{ message: why }] },
    });
    return { stdin() {}, stdinEnd() {}, resize() {}, kill() {} };
  }
  const outputs: Promise<void>[] = [];
  const pipe = (stream: NodeJS.ReadableStream | null, channel: 1 | 2, wanted: boolean) => {
    if (!stream) return;
    outputs.push(
      new Promise((resolve) => {
        stream.on('data', (d: Buffer) => wanted && sink.out(channel, d));
        stream.once('end', resolve);
        stream.once('close', resolve);
        stream.once('error', resolve);
      }),
    );
  };
  pipe(session.stdout, STDOUT, exec.stdout || exec.tty);
  pipe(session.stderr, STDERR, exec.stderr);
  void session.exited.then(async ({ exitCode }) => {
    // Let the last output reach the client before the status.
    await Promise.race([Promise.all(outputs), new Promise((r) => setTimeout(r, 2000))]);
    sink.done(exitStatus(exec.command, exitCode));
  });
  return {
    stdin: (d) => session.stdin?.write(d),
    stdinEnd: () => session.stdin?.end(),
    resize: (cols, rows) => cols > 0 && rows > 0 && session.resize(cols, rows),
    kill: () => session.kill(),
  };
}
