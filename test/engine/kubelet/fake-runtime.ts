import { PassThrough } from 'node:stream';
import type { Clock } from '../../../source/engine/clock.ts';
import { loadCatalog } from '../../../source/engine/runtime/catalog.ts';
import type {
  Container,
  ExecSession,
  ExitInfo,
  PortMapping,
  ResolvedImage,
  Runtime,
  RuntimeKind,
  SandboxInfo,
  StartSpec,
} from '../../../source/engine/runtime/index.ts';
import { containerArgv } from '../../../source/engine/runtime/spec.ts';
import { ImagePuller } from '../../../source/engine/runtime/pull.ts';

/** A container instance the test ends when it wants (`finish`), or that reacts to stop/kill. */
export class FakeContainer implements Container {
  readonly id: string;
  readonly kind = 'process' as const;
  readonly startedAt: number;
  portMappings: PortMapping[] = [];
  sandboxed = true;
  exit?: ExitInfo;
  readonly exited: Promise<ExitInfo>;
  signals: string[] = [];
  /** Ignore SIGTERM (a process that only goes with SIGKILL). */
  stubborn = false;
  private resolve!: (e: ExitInfo) => void;

  constructor(
    private clock: Clock,
    readonly spec: StartSpec,
    readonly image: ResolvedImage,
    n: number,
  ) {
    this.id = n.toString(16).padStart(64, '0');
    this.startedAt = clock.now();
    this.exited = new Promise((r) => (this.resolve = r));
  }
  get podUid() {
    return this.spec.podUid;
  }
  onOutput(): () => void {
    return () => {};
  }
  attach() {
    return { tty: false, stdin: null, resize() {}, detach() {} };
  }
  get name() {
    return this.spec.container;
  }
  get attempt() {
    return this.spec.attempt ?? 0;
  }
  get running() {
    return !this.exit;
  }
  onExit(fn: (e: ExitInfo) => void): void {
    void this.exited.then(fn);
  }
  finish(exitCode: number): void {
    if (this.exit) return;
    this.exit = {
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt: this.startedAt,
      finishedAt: this.clock.now(),
    };
    this.resolve(this.exit);
  }
  stop(graceMs: number): Promise<ExitInfo> {
    this.signals.push('SIGTERM');
    if (!this.stubborn) this.finish(0);
    else this.clock.setTimeout(() => this.kill(), graceMs);
    return this.exited;
  }
  kill(): Promise<ExitInfo> {
    this.signals.push('SIGKILL');
    this.finish(137);
    return this.exited;
  }
}

/** The runtime interface over fake containers, with the real catalog and image puller. */
export class FakeRuntime implements Runtime {
  readonly catalog = loadCatalog();
  sandbox: SandboxInfo = { available: true };
  readonly started: FakeContainer[] = [];
  readonly removed: string[] = [];
  /** Called for each new instance (e.g. to make it exit at once). */
  onStart: (c: FakeContainer) => void = () => {};
  /** Report every declared port as mapped elsewhere (as without root). */
  mapPorts = false;
  /** Exit code of exec probes, by container name (default 0). */
  execResult = new Map<string, number>();
  private puller: ImagePuller;
  private current = new Map<string, FakeContainer>();

  constructor(
    private clock: Clock,
    pullDelayMs = 1000,
  ) {
    this.puller = new ImagePuller(this.catalog, clock, pullDelayMs);
  }

  pull(node: string, image: string, policy?: 'Always' | 'IfNotPresent' | 'Never') {
    return this.puller.pull(node, image, policy);
  }
  hasImage(node: string, image: string) {
    return this.puller.has(node, image);
  }
  images(node: string) {
    return this.puller.images(node);
  }
  async start(spec: StartSpec): Promise<Container> {
    const c = new FakeContainer(this.clock, spec, this.catalog.resolve(spec.image), this.started.length + 1);
    c.sandboxed = this.sandbox.available;
    c.portMappings = (this.mapPorts ? (spec.ports ?? []) : []).map((p) => ({
      containerPort: p.containerPort,
      hostIP: spec.podIP,
      hostPort: 40000 + p.containerPort,
      reason: 'privileged' as const,
      message: `Port ${p.containerPort} on ${spec.podIP} needs root: container port ${p.containerPort} listens on ${spec.podIP}:${40000 + p.containerPort}`,
    }));
    this.started.push(c);
    this.current.set(`${spec.podUid}/${spec.container}`, c);
    queueMicrotask(() => this.onStart(c));
    return c;
  }
  kindOf(spec: { image: string; command?: string[]; args?: string[] }): RuntimeKind {
    return containerArgv(this.catalog.resolve(spec.image), {
      ...spec,
      podUid: '',
      podName: '',
      container: '',
      podIP: '',
    }).kind;
  }
  get(podUid: string, container: string) {
    return this.current.get(`${podUid}/${container}`);
  }
  instances(name: string): FakeContainer[] {
    return this.started.filter((c) => c.name === name);
  }
  logs(): AsyncIterableIterator<string> {
    return (async function* () {})();
  }
  exec(req: { podUid: string; container: string; command: string[] }): ExecSession {
    const stdout = new PassThrough();
    stdout.end(`ran ${req.command.join(' ')}\n`);
    const code = this.execResult.get(req.container) ?? 0;
    return {
      pid: 1,
      stdin: null,
      stdout,
      stderr: null,
      resize() {},
      exited: Promise.resolve({ exitCode: code }),
      kill() {},
    };
  }
  async removePod(podUid: string) {
    this.removed.push(podUid);
  }
  async shutdown() {
    for (const c of this.current.values()) if (c.running) await c.kill();
  }
  async reapOrphans() {
    return 0;
  }
}
