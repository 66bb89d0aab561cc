import type { KObject } from '../../../api-types/index.ts';
import { queryBool } from '../../api/query-params.ts';
import type { Runtime } from '../../runtime/index.ts';
import { errors } from '../../store/errors.ts';
import type { ExecControl, ExecRequest, ExecSink } from './exec.ts';
import type { ContainerStatus } from '../pod-status.ts';
import { pickContainer, storedStatus } from './select-container.ts';

/** Parse and check an attach request (same options as exec, without a command). */
export function parseAttach(pod: KObject, query: URLSearchParams, live: ContainerStatus | undefined): ExecRequest {
  const container = pickContainer(pod, query.get('container'));
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed')
    throw errors.badRequest(`cannot attach a container in a completed pod; current phase is ${phase}`);
  const req = {
    container,
    command: [],
    stdin: queryBool(query, 'stdin'),
    stdout: queryBool(query, 'stdout'),
    stderr: queryBool(query, 'stderr'),
    tty: queryBool(query, 'tty'),
  };
  if (!req.stdin && !req.stdout && !req.stderr)
    throw errors.badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const status = live ?? storedStatus(pod, container);
  if (!status?.state?.running)
    throw errors.badRequest(`container ${container} is not valid for pod ${pod.metadata.name}`);
  return req;
}

/**
 * Join the container's main process: its output from now on, stdin when the container keeps one,
 * resizes of its terminal. The session ends when the container exits; a client leaving only
 * detaches (with `stdinOnce` the container's stdin closes).
 */
export function runAttach(rt: Runtime, pod: KObject, req: ExecRequest, sink: ExecSink): ExecControl {
  const c = rt.get(pod.metadata.uid!, req.container);
  if (!c?.running) {
    sink.done({
      metadata: {},
      status: 'Failure',
      message: `container ${req.container} is not running`,
      reason: 'BadRequest',
      code: 400,
    });
    return { stdin() {}, stdinEnd() {}, resize() {}, kill() {} };
  }
  const streams = c.attach();
  const off = c.onOutput((stream, data) => {
    if (streams.tty || stream === 'stdout') {
      if (req.stdout) sink.out(1, data);
    } else if (req.stderr) sink.out(2, data);
  });
  let attached = true;
  const detach = () => {
    if (!attached) return;
    attached = false;
    off();
    if (req.stdin) streams.detach();
  };
  c.onExit(() => {
    if (!attached) return;
    detach();
    sink.done({ metadata: {}, status: 'Success' });
  });
  return {
    stdin: (d) => req.stdin && streams.stdin?.write(d),
    stdinEnd: () => req.stdin && streams.detach(),
    resize: (cols, rows) => cols > 0 && rows > 0 && streams.resize(cols, rows),
    kill: detach,
  };
}
