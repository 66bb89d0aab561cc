import { constants } from 'node:os';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { execa } from 'execa';
import pty from 'node-pty';
import type { ContainerContext } from './container.ts';
import { ExecError, StartError } from './errors.ts';
import { exitCodeOf, signalGroup } from './process-group.ts';
import { spawnPlan } from './host-process.ts';
import { findExecutable } from './sandbox.ts';

export interface ExecOptions {
  /** argv; never joined into a shell string. */
  command: string[];
  /** Run in a pseudo-terminal (stdout and stderr merge, as in Kubernetes). */
  tty?: boolean;
  /** Give the session a stdin stream. */
  stdin?: boolean;
  cols?: number;
  rows?: number;
}

export interface ExecExit {
  exitCode: number;
  signal?: NodeJS.Signals;
}

export interface ExecSession {
  pid: number;
  /** Write to the command; `end()` closes its stdin (pipes only). Null without `stdin`. */
  stdin: Writable | null;
  /** The command's output; with a TTY, everything the terminal shows. Ends after the command exits. */
  stdout: Readable;
  /** Null with a TTY. */
  stderr: Readable | null;
  resize(cols: number, rows: number): void;
  exited: Promise<ExecExit>;
  /** SIGKILL the session. */
  kill(): void;
}

/**
 * Run a command in the container's view: a fresh sandbox with the container's filesystem,
 * hostname, env, working directory and privileges. (It gets its own PID namespace, not the
 * container's.)
 */
export function startExec(ctx: ContainerContext, opts: ExecOptions): ExecSession {
  const argv = opts.command;
  ctx.rootfs.ensure();
  // A shell that shares the terminal with a PID namespace cannot see the terminal's foreground
  // group (it is outside) and job control stalls. `script` inside the sandbox gives the command a
  // terminal of the sandbox's own: a new session whose foreground groups are all inside; it
  // relays input, output and window size changes to and from ours.
  const ownTerminal = !!opts.tty && ctx.sandboxed && !!findExecutable('script', '/usr/bin:/bin');
  let plan;
  try {
    plan = spawnPlan(ctx, argv, !opts.tty || ownTerminal, [], ownTerminal ? inOwnTerminal : undefined);
  } catch (err) {
    if (!(err instanceof StartError)) throw err;
    const what = argv[0]?.includes('/')
      ? `stat ${argv[0]}: no such file or directory`
      : `exec: "${argv[0]}": executable file not found in $PATH`;
    throw new ExecError(`OCI runtime exec failed: exec failed: unable to start container process: ${what}: unknown`);
  }
  return opts.tty ? ptySession(plan, opts) : pipeSession(plan, opts);
}

/** `script` runs its command through /bin/sh -c: quote every argument. */
function inOwnTerminal(argv: string[]): string[] {
  const line = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return ['script', '--quiet', '--return', '--command', `exec ${line}`, '/dev/null'];
}

function ptySession(plan: ReturnType<typeof spawnPlan>, opts: ExecOptions): ExecSession {
  const env = { TERM: 'xterm', ...plan.env };
  const p = pty.spawn(plan.file, plan.args, {
    name: env.TERM,
    cols: opts.cols ?? 80,
    rows: opts.rows ?? 24,
    cwd: plan.cwd,
    env,
    encoding: null,
  });
  const stdout = new PassThrough();
  p.onData((d: string | Buffer) => stdout.write(d));
  const exited = new Promise<ExecExit>((resolve) => {
    p.onExit(({ exitCode, signal }) => {
      // node-pty can report the exit before the last output: let pending data events run first.
      setImmediate(() => {
        stdout.end();
        const name = signal
          ? (Object.entries(constants.signals).find(([, n]) => n === signal)?.[0] as NodeJS.Signals)
          : undefined;
        resolve({ exitCode: name ? exitCodeOf(null, name) : exitCode, signal: name });
      });
    });
  });
  const stdin = opts.stdin
    ? new Writable({
        write(chunk: Buffer, _enc, cb) {
          try {
            p.write(chunk);
          } catch {
            // the terminal is gone
          }
          cb();
        },
      })
    : null;
  return {
    pid: p.pid,
    stdin,
    stdout,
    stderr: null,
    resize: (cols, rows) => {
      try {
        p.resize(Math.max(1, cols), Math.max(1, rows));
      } catch {
        // exited
      }
    },
    exited,
    kill: () => signalGroup(p.pid, 'SIGKILL'),
  };
}

function pipeSession(plan: ReturnType<typeof spawnPlan>, opts: ExecOptions): ExecSession {
  const child = execa(plan.file, plan.args, {
    cwd: plan.cwd,
    env: plan.env,
    extendEnv: false,
    detached: true,
    stdin: opts.stdin ? 'pipe' : 'ignore',
    buffer: false,
    reject: false,
    cleanup: false,
    forceKillAfterDelay: false,
  });
  child.catch(() => {});
  const exited = new Promise<ExecExit>((resolve) => {
    child.once('exit', (code, signal) => {
      if (child.pid) signalGroup(child.pid, 'SIGKILL');
      resolve({ exitCode: exitCodeOf(code, signal), signal: signal ?? undefined });
    });
    child.once('error', () => resolve({ exitCode: 126 }));
  });
  child.stdin?.on('error', () => {});
  return {
    pid: child.pid ?? 0,
    stdin: child.stdin ?? null,
    stdout: child.stdout!,
    stderr: child.stderr!,
    resize: () => {},
    exited,
    kill: () => child.pid && signalGroup(child.pid, 'SIGKILL'),
  };
}
