import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { execa, type ResultPromise } from 'execa';
import { BaseContainer, type ContainerContext, type ExitInfo } from './container.ts';
import { StartError } from './errors.ts';
import { exitCodeOf, groupGone, signalGroup, startTime, terminateGroup } from './process-group.ts';
import { nicePrefix } from './niceness.ts';
import { inRootfs } from './paths.ts';
import { bwrapArgs, findExecutable, hostPathOf, viewHostPathOf } from './sandbox.ts';

/**
 * A container whose command runs as a host process: inside bwrap when the sandbox is available,
 * otherwise in the container's directory. The process leads its own process group, which stop
 * and kill signal as a whole; in the sandbox the PID namespace also ends with the container.
 */
export class ProcessContainer extends BaseContainer {
  readonly kind = 'process' as const;
  override readonly pid: number;
  private child: ResultPromise;
  private killTimer: unknown;

  private constructor(ctx: ContainerContext, argv: string[], pidFile: string) {
    super(ctx);
    const { file, args, cwd, env } = spawnPlan(ctx, argv);
    this.child = execa(file, args, {
      cwd,
      env,
      extendEnv: false,
      detached: true,
      stdin: 'ignore',
      buffer: false,
      reject: false,
      cleanup: false,
      forceKillAfterDelay: false,
    });
    this.child.catch(() => {});
    if (this.child.pid === undefined) {
      throw new StartError(`failed to start container process: cannot run ${file}`);
    }
    this.pid = this.child.pid;
    try {
      writeFileSync(pidFile, `${this.pid} ${startTime(this.pid) ?? ''}\n`);
    } catch (err) {
      // Its directory went (the pod was removed meanwhile): an unrecorded process must not run on.
      signalGroup(this.pid, 'SIGKILL');
      throw new StartError(`failed to start container process: ${(err as Error).message}`);
    }
    this.child.stdout!.on('data', (c: Buffer) => ctx.log.write('stdout', c));
    this.child.stderr!.on('data', (c: Buffer) => ctx.log.write('stderr', c));
    this.child.once('exit', (code, signal) => {
      // Whatever the main process left behind in its group goes with it, as in a container.
      signalGroup(this.pid, 'SIGKILL');
      const wait = (ms: number) => new Promise<void>((resolve) => ctx.clock.setTimeout(resolve, ms));
      const drained = Promise.all([this.child.stdout, this.child.stderr].map(closed));
      // Real time, not the engine's clock: the pipes hold what the process wrote before it died,
      // and a loop that ran late fires a scaled-down timer before it reads them (an empty log).
      // A grandchild that keeps the pipes open does not hold the exit up longer than this.
      const drainLimit = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
      void Promise.race([drained, drainLimit])
        .then(() => groupGone(this.pid, wait))
        .then(() => {
          ctx.clock.clearTimeout(this.killTimer);
          rmSync(pidFile, { force: true });
          this.finish(exitCodeOf(code, signal), signal ?? signalOfExitCode(code));
        });
    });
  }

  static start(ctx: ContainerContext, argv: string[], pidFile: string): ProcessContainer {
    return new ProcessContainer(ctx, argv, pidFile);
  }

  stop(graceMs: number): Promise<ExitInfo> {
    if (this.exit) return Promise.resolve(this.exit);
    if (this.killTimer === undefined) {
      this.killTimer = terminateGroup(this.pid, this.sandboxed, this.ctx.clock, graceMs);
    }
    return this.exited;
  }

  kill(): Promise<ExitInfo> {
    if (!this.exit) signalGroup(this.pid, 'SIGKILL');
    return this.exited;
  }

  oomKill(): void {
    if (this.exit) return;
    this.oomKilled = true;
    signalGroup(this.pid, 'SIGKILL');
  }
}

/** bwrap passes a signal death on as 128+N; name the signal for the two the kubelet sends. */
function signalOfExitCode(code: number | null): NodeJS.Signals | undefined {
  return code === 137 ? 'SIGKILL' : code === 143 ? 'SIGTERM' : undefined;
}

function closed(stream: NodeJS.ReadableStream | null | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!stream || (stream as { closed?: boolean }).closed) return resolve();
    stream.once('close', () => resolve());
  });
}

interface SpawnPlan {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * How to run argv in the container's view; throws StartError when the executable is not there.
 * `wrapper` (a host command taking argv) runs first inside the sandbox.
 */
export function spawnPlan(
  ctx: ContainerContext,
  argv: string[],
  pidNamespace = true,
  wrapper: string[] = [],
  finalize: (argv: string[]) => string[] = (a) => a,
): SpawnPlan {
  const [command, ...rest] = argv;
  if (!command) throw new StartError('failed to start container process: no command specified');
  const toHost = (p: string) => hostPathOf(p, ctx.layout, ctx.volumes);
  const inView = (p: string) => (ctx.sandboxed ? viewHostPathOf(p, ctx.layout, ctx.volumes) : toHost(p));
  const found = findExecutable(command, ctx.env.PATH ?? '', ctx.workingDir, inView);
  if (!found) {
    const what = command.includes('/')
      ? `stat ${command}: no such file or directory`
      : `exec: "${command}": executable file not found in $PATH`;
    throw new StartError(
      `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${what}: unknown`,
    );
  }
  if (ctx.sandboxed) {
    const view = {
      layout: ctx.layout,
      hostname: ctx.podName,
      workingDir: ctx.workingDir,
      volumes: ctx.volumes,
      pidNamespace,
      security: ctx.security,
      userns: ctx.userns,
    };
    const sandbox = bwrapArgs(view);
    return lowered(ctx.niceness, {
      file: 'bwrap',
      args: [...sandbox.args, '--', ...finalize([...wrapper, ...sandbox.wrapper, command, ...rest])],
      cwd: '/',
      env: ctx.env,
    });
  }
  // No sandbox: the container's paths are only reachable through the rootfs on the host.
  const cwd = inRootfs(ctx.layout.rootfs, ctx.workingDir);
  mkdirSync(cwd, { recursive: true });
  const env = { ...ctx.env, HOME: toHost('/root'), TMPDIR: toHost('/tmp') };
  return lowered(ctx.niceness, { file: command.includes('/') ? toHost(found) : command, args: rest, cwd, env });
}

/** The plan run through `nice`: the engine's own work comes before the container's. */
function lowered(niceness: number, plan: SpawnPlan): SpawnPlan {
  const [nice, ...niceArgs] = nicePrefix(niceness);
  return nice ? { ...plan, file: nice, args: [...niceArgs, plan.file, ...plan.args] } : plan;
}
