import type { Writable } from 'node:stream';
import type { Clock } from '../clock.ts';
import type { EngineAccounting } from './accounting.ts';
import type { ResolvedImage, RuntimeKind } from './catalog.ts';
import type { LogWriter } from './log-file.ts';
import type { PortMapping } from './ports.ts';
import type { SecuritySpec } from './privileges.ts';
import type { LazyRootfs, RootfsLayout } from './rootfs.ts';
import type { VolumeMount } from './sandbox.ts';

/** How a container instance ended; `exitCode` is 128+N when signal N killed it. */
export interface ExitInfo {
  exitCode: number;
  signal?: NodeJS.Signals;
  /** `Completed` for exit code 0, `OOMKilled` after oomKill(), else `Error`: the terminated state's reason. */
  reason: 'Completed' | 'Error' | 'OOMKilled';
  startedAt: number;
  finishedAt: number;
}

/** Everything about one container instance that its runner and exec need. */
export interface ContainerContext {
  id: string;
  podUid: string;
  podName: string;
  name: string;
  attempt: number;
  image: ResolvedImage;
  podIP: string;
  layout: RootfsLayout;
  /** Call `rootfs.ensure()` before touching the layout's files (built-in containers lay it out lazily). */
  rootfs: LazyRootfs;
  env: Record<string, string>;
  workingDir: string;
  volumes: VolumeMount[];
  sandboxed: boolean;
  /** The sandbox gives the container its own user namespace. */
  userns: boolean;
  /** Processes (the container's and exec's) run this much nicer than the engine (niceness.ts). */
  niceness: number;
  security: SecuritySpec;
  log: LogWriter;
  clock: Clock;
}

/** A running container's stdio as `kubectl attach` reaches it. */
export interface AttachStreams {
  /** The main process runs in a terminal: its output is all on stdout. */
  tty: boolean;
  /** Null unless the container keeps stdin open (`stdin: true`) and it has not been closed. */
  stdin: Writable | null;
  resize(cols: number, rows: number): void;
  /** The attached client left: with `stdinOnce`, stdin closes for good. */
  detach(): void;
}

/** A running (or finished) container instance, as the kubelet sees it. */
export interface Container {
  /** 64 hex digits; the status shows `containerd://<id>`. */
  readonly id: string;
  readonly podUid: string;
  readonly name: string;
  /** Restart count this instance was started with; its log is `<container>.<attempt>.log`. */
  readonly attempt: number;
  /** What actually runs: a built-in server, an idle built-in, or a host process. */
  readonly kind: RuntimeKind;
  readonly image: ResolvedImage;
  /** Host pid (of bwrap when sandboxed) for process containers: it leads the container's process group. */
  readonly pid?: number;
  /** In-engine containers: what the engine spends on them (CPU time, buffered bytes). */
  readonly accounting?: EngineAccounting;
  readonly startedAt: number;
  /** Ports that listen elsewhere than asked: the kubelet emits an event for each. */
  readonly portMappings: readonly PortMapping[];
  /** False when bwrap is missing: the kubelet emits an event. */
  readonly sandboxed: boolean;
  readonly running: boolean;
  /** Set once the container has exited. */
  readonly exit?: ExitInfo;
  /** Resolves when the container exits, for whatever reason. */
  readonly exited: Promise<ExitInfo>;
  onExit(fn: (exit: ExitInfo) => void): void;
  /** Output as it is written (raw bytes, before the log splits lines); returns the unsubscribe. */
  onOutput(fn: (stream: 'stdout' | 'stderr', data: Buffer) => void): () => void;
  attach(): AttachStreams;
  /** SIGTERM (nginx: graceful shutdown), then SIGKILL after `graceMs` on the clock. */
  stop(graceMs: number): Promise<ExitInfo>;
  /** SIGKILL now. */
  kill(): Promise<ExitInfo>;
  /** Host-process containers: SIGKILL now for exceeding the memory limit (reason `OOMKilled`). */
  oomKill?(): void;
}

const NO_MAPPINGS: readonly PortMapping[] = Object.freeze([]);

type ExitFn = (exit: ExitInfo) => void;

/** Shared exit bookkeeping: the runner calls `finish` once; the log closes and exec sessions end. */
export abstract class BaseContainer implements Container {
  abstract readonly kind: RuntimeKind;
  readonly pid?: number;
  readonly startedAt: number;
  /** One shared empty list until a port is mapped (most containers never have one). */
  portMappings: readonly PortMapping[] = NO_MAPPINGS;
  exit?: ExitInfo;
  /**
   * Who waits for the exit: the kubelet's one callback, or the resolver of `exited` once asked for.
   * A running container keeps no promise (its reactions and resolver were ~200 B of each of
   * thousands of idle built-in containers).
   */
  private exitFns?: ExitFn | ExitFn[]; // one function as itself (the kubelet's): no list for most containers
  private exitPromise?: Promise<ExitInfo>;
  private cleanups?: Set<() => void>;
  /** Set before a kill for exceeding the memory limit: the exit then reads `OOMKilled`. */
  protected oomKilled = false;

  constructor(readonly ctx: ContainerContext) {
    this.startedAt = ctx.clock.now();
  }

  get exited(): Promise<ExitInfo> {
    if (this.exitPromise) return this.exitPromise;
    const exit = this.exit;
    return (this.exitPromise = exit ? Promise.resolve(exit) : new Promise((resolve) => this.addExitFn(resolve)));
  }

  get id() {
    return this.ctx.id;
  }
  get podUid() {
    return this.ctx.podUid;
  }
  get name() {
    return this.ctx.name;
  }
  get attempt() {
    return this.ctx.attempt;
  }
  get image() {
    return this.ctx.image;
  }
  get sandboxed() {
    return this.ctx.sandboxed;
  }
  get running() {
    return !this.exit;
  }

  /** `fn` runs in a microtask after the exit, as a reaction to `exited` would. */
  onExit(fn: (exit: ExitInfo) => void): void {
    const exit = this.exit;
    if (exit) queueMicrotask(() => fn(exit));
    else this.addExitFn(fn);
  }

  private addExitFn(fn: ExitFn): void {
    const had = this.exitFns;
    if (!had) this.exitFns = fn;
    else if (typeof had === 'function')
      this.exitFns = [had, fn]; // a literal: a push-grown array holds 17 slots
    else had.push(fn);
  }

  onOutput(fn: (stream: 'stdout' | 'stderr', data: Buffer) => void): () => void {
    this.ctx.log.on('raw', fn);
    return () => void this.ctx.log.off('raw', fn);
  }

  /** No stdin, no terminal: attach only follows the output. */
  attach(): AttachStreams {
    return { tty: false, stdin: null, resize() {}, detach() {} };
  }

  /** Run `fn` when the container exits (exec sessions end with their container). */
  whileRunning(fn: () => void): () => void {
    const cleanups = (this.cleanups ??= new Set());
    cleanups.add(fn);
    return () => cleanups.delete(fn);
  }

  abstract stop(graceMs: number): Promise<ExitInfo>;
  abstract kill(): Promise<ExitInfo>;

  protected finish(exitCode: number, signal?: NodeJS.Signals): void {
    if (this.exit) return;
    this.ctx.log.close();
    this.exit = {
      exitCode,
      signal,
      reason: this.oomKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error',
      startedAt: this.startedAt,
      finishedAt: this.ctx.clock.now(),
    };
    for (const fn of this.cleanups ?? []) fn();
    this.cleanups?.clear();
    const exit = this.exit;
    const fns = this.exitFns;
    this.exitFns = undefined;
    if (typeof fns === 'function') queueMicrotask(() => fns(exit));
    else for (const fn of fns ?? []) queueMicrotask(() => fn(exit));
  }
}
