import { rmSync, writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { BaseContainer, type AttachStreams, type ContainerContext, type ExitInfo } from './container.ts';
import { ExecError, StartError } from './errors.ts';
import { startExec, type ExecSession } from './exec.ts';
import { signalGroup, startTime, terminateGroup } from './process-group.ts';

export interface InteractiveOptions {
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
}

/**
 * A process container whose main process keeps a stdin (`stdin: true`) or runs in a
 * pseudo-terminal (`tty: true`), so `kubectl attach` and `kubectl run -it` can reach it.
 */
export class InteractiveContainer extends BaseContainer {
  readonly kind = 'process' as const;
  override readonly pid: number;
  private session: ExecSession;
  private killTimer: unknown;
  private stdinClosed = false;

  private constructor(
    ctx: ContainerContext,
    argv: string[],
    pidFile: string,
    private opts: InteractiveOptions,
  ) {
    super(ctx);
    try {
      this.session = startExec(ctx, { command: argv, tty: opts.tty, stdin: true });
    } catch (err) {
      if (err instanceof ExecError)
        throw new StartError(
          err.message.replace(
            'OCI runtime exec failed: exec failed',
            'failed to create containerd task: failed to create shim task: OCI runtime create failed',
          ),
        );
      throw err;
    }
    this.pid = this.session.pid;
    writeFileSync(pidFile, `${this.pid} ${startTime(this.pid) ?? ''}\n`);
    if (!opts.stdin) this.closeStdin();
    this.session.stdout.on('data', (c: Buffer) => ctx.log.write('stdout', c));
    this.session.stderr?.on('data', (c: Buffer) => ctx.log.write('stderr', c));
    void this.session.exited.then(({ exitCode, signal }) => {
      signalGroup(this.pid, 'SIGKILL');
      ctx.clock.clearTimeout(this.killTimer);
      rmSync(pidFile, { force: true });
      this.finish(exitCode, signal);
    });
  }

  static start(ctx: ContainerContext, argv: string[], pidFile: string, opts: InteractiveOptions): InteractiveContainer {
    return new InteractiveContainer(ctx, argv, pidFile, opts);
  }

  override attach(): AttachStreams {
    const stdin: Writable | null = this.opts.stdin && !this.stdinClosed ? this.session.stdin : null;
    return {
      tty: this.opts.tty,
      stdin,
      resize: (cols, rows) => this.session.resize(cols, rows),
      detach: () => {
        if (this.opts.stdinOnce) this.closeStdin();
      },
    };
  }

  /** EOF for the main process: the pipe closes; a terminal reads Ctrl-D. */
  private closeStdin(): void {
    if (this.stdinClosed) return;
    this.stdinClosed = true;
    if (this.opts.tty) this.session.stdin?.write(Buffer.from([4]));
    else this.session.stdin?.end();
  }

  stop(graceMs: number): Promise<ExitInfo> {
    if (this.exit) return Promise.resolve(this.exit);
    if (this.killTimer === undefined) {
      this.killTimer = terminateGroup(this.pid, this.sandboxed, this.ctx.clock, graceMs);
    }
    return this.exited;
  }

  kill(): Promise<ExitInfo> {
    if (!this.exit) this.session.kill();
    return this.exited;
  }
}
