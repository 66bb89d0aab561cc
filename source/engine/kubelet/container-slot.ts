import { rfc3339 } from '../clock.ts';
import type { Container as V1Container, Pod } from 'kubernetes-types/core/v1.js';
import type { KObject } from '../../api-types/index.ts';
import {
  canEscape,
  RuntimeError,
  type Container,
  type ExitInfo,
  type PullPolicy,
  type SecuritySpec,
  type StartSpec,
} from '../runtime/index.ts';
import { ContainerProbes } from './container-probes.ts';
import { adoptedState } from './adopt.ts';
import { ContainerConfigError } from './container-env.ts';
import { MountError } from './volumes/payload.ts';
import type { VolumeMount } from '../runtime/index.ts';
import { podDesc } from './format.ts';
import {
  ALLOW_UNSANDBOXED_ENV,
  allowUnsandboxed,
  effectiveSecurity,
  needsSandbox,
  verifyRunAsNonRoot,
} from './security-context.ts';
import type { ContainerState, ContainerStatus } from './pod-status.ts';
import { pullImage } from './pull-image.ts';
import { milliCPU } from '../scheduler/resources.ts';
import { runHook } from './lifecycle-hooks.ts';
import type { SlotHost } from './slot-host.ts';
import { flat } from '../flat.ts';

/** A container of a stored pod: admission made `image` required. */
export type ContainerSpec = V1Container & { image: string };

/** Field paths by list, then container name: one string for the slots of every pod with that name. */
const fieldPaths = new Map<string, Map<string, string>>();

/** `spec.containers{nginx}`; asked for by every event and probe, so not rebuilt and interned each time. */
function fieldPathOf(list: string, name: string): string {
  let byName = fieldPaths.get(list);
  if (!byName) fieldPaths.set(list, (byName = new Map()));
  let path = byName.get(name);
  if (path === undefined) {
    path = flat(`spec.${list}{${name}}`);
    // Container names are chosen by users: keep a bounded set (a miss only costs a new string).
    if (byName.size >= 1024) byName.clear();
    byName.set(name, path);
  }
  return path;
}

/** `timer` value for a wait that only a spec change (or the pull window's end) lifts. */
const BLOCKED = Symbol('blocked');

/**
 * Where a slot is in its life; the pod worker's sync acts on `due` and `restartDue`:
 * new → busy (pull, start) → running → exited → [crash-backoff →] new …
 */
export type SlotPhase = 'new' | 'busy' | 'pull-backoff' | 'running' | 'exited' | 'crash-backoff' | 'halted';

/** The `lastState` of a container that has not ended before: one frozen object for all (the status copies it). */
const NO_LAST_STATE: ContainerState = Object.freeze({});

/** One container of a pod: its image pull, instances, restarts, probes and status entry. */
export class ContainerSlot {
  phase: SlotPhase = 'new';
  restartCount = 0;
  state: ContainerState = { waiting: { reason: 'ContainerCreating' } };
  lastState: ContainerState = NO_LAST_STATE;
  image: string;
  imageID = '';
  containerID?: string;
  ready = false;
  started = false;
  instance?: Container;
  /** A back-off timer is pending (or BLOCKED): nothing to do until it fires. */
  private timer: unknown;
  private windowTimer: unknown;
  private pullWindow = false;
  private launching?: Promise<void>;
  /** Restart without back-off when the current instance ends (its spec changed). */
  restartNow = false;
  private probes?: ContainerProbes;
  private stopping = false;

  constructor(
    private host: SlotHost,
    public spec: ContainerSpec,
    readonly init: boolean,
    /** Added by `kubectl debug`: runs once, never restarted, not part of the pod's readiness. */
    readonly ephemeral = false,
  ) {
    this.image = spec.image;
  }

  get name(): string {
    return this.spec.name;
  }

  /** An init container with `restartPolicy: Always`: started in order, then kept running. */
  get sidecar(): boolean {
    return this.init && this.spec.restartPolicy === 'Always';
  }

  get fieldPath(): string {
    return fieldPathOf(this.init ? 'initContainers' : this.ephemeral ? 'ephemeralContainers' : 'containers', this.name);
  }

  get key(): string {
    return `${this.host.pod().metadata.uid}/${this.name}`;
  }

  /** The worker should launch (or retry launching) this container now. */
  get due(): boolean {
    return this.timer === undefined && (this.phase === 'new' || this.phase === 'pull-backoff');
  }

  /**
   * The first instance is being started (pulled from the node's cache, mounted, launched) and
   * nothing has gone wrong yet: the only thing to report is ContainerCreating.
   */
  get creating(): boolean {
    return (
      this.restartCount === 0 &&
      this.state.waiting?.reason === 'ContainerCreating' &&
      (this.phase === 'busy' || (this.phase === 'new' && this.timer === undefined))
    );
  }

  get succeeded(): boolean {
    return this.phase === 'exited' && this.state.terminated?.exitCode === 0;
  }

  view(): ContainerStatus {
    return {
      name: this.name,
      state: this.state,
      lastState: this.lastState,
      ready: this.ready,
      started: this.started,
      restartCount: this.restartCount,
      image: this.image,
      imageID: this.imageID,
      containerID: this.containerID,
    };
  }

  /** Carry over what an earlier kubelet reported (engine restart, node start). */
  adopt(prev: ContainerStatus | undefined, now: number, canRestart: boolean): void {
    if (!prev) return;
    Object.assign(this, adoptedState(prev, rfc3339(now), canRestart));
    this.image ||= this.spec.image;
  }

  /** The spec's image changed: restart with the new one (no back-off). */
  respec(): void {
    this.restartNow = true;
    if (this.phase === 'running') {
      void this.stop(this.graceMs(), `Container ${this.name} definition changed, will be restarted`);
      return;
    }
    this.clearTimer();
    this.pullWindow = false;
    if (this.phase === 'pull-backoff') this.phase = 'new';
  }

  /** Resolves once no pull or start is in flight. */
  settled(): Promise<void> {
    return this.launching ?? Promise.resolve();
  }

  /** Pull the image and start an instance (the worker calls this when `due`). */
  launch(): Promise<void> {
    if (!this.due) return this.settled();
    const p = this.pullAndStart().finally(() => {
      if (this.launching === p) this.launching = undefined;
    });
    this.launching = p;
    return p;
  }

  private async pullAndStart(): Promise<void> {
    const host = this.host;
    const wasBackoff = this.phase === 'pull-backoff';
    this.phase = 'busy';
    const policy = (this.spec.imagePullPolicy ?? 'IfNotPresent') as PullPolicy;
    const pulled = await pullImage(host, {
      key: `${this.key}/${this.spec.image}`,
      image: this.spec.image,
      policy,
      fieldPath: this.fieldPath,
      inBackoffWindow: wasBackoff && this.pullWindow,
    });
    if (this.phase !== 'busy') return;
    if (!host.active()) {
      this.phase = 'new';
      return;
    }
    if ('waiting' in pulled) {
      this.state = { waiting: pulled.waiting };
      this.phase = 'pull-backoff';
      host.changed();
      const windowMs = pulled.retryAfterMs;
      if (windowMs !== undefined) {
        // ErrImagePull for a moment, then ImagePullBackOff until the window ends, then a new pull.
        this.pullWindow = true;
        this.windowTimer = host.clock.setTimeout(() => {
          this.windowTimer = undefined;
          this.pullWindow = false;
          if (this.timer === BLOCKED) this.timer = undefined;
          if (this.phase === 'pull-backoff') host.sync();
        }, windowMs);
        this.wait(Math.min(2000, windowMs / 2));
      } else if (this.pullWindow) {
        this.timer = BLOCKED;
      } else if (pulled.waiting.reason !== 'ImagePullBackOff') {
        // InvalidImageName, ErrImageNeverPull: nothing changes until the spec does.
        this.timer = BLOCKED;
      }
      return;
    }
    this.pullWindow = false;
    await this.start(pulled.resolved.ref.full, pulled.resolved.imageID);
  }

  private async start(image: string, imageID: string): Promise<void> {
    const host = this.host;
    const pod = host.pod();
    let env: Record<string, string>;
    let security: SecuritySpec;
    try {
      env = host.env(this.spec);
      security = this.security(pod);
    } catch (err) {
      if (!(err instanceof ContainerConfigError)) throw err;
      host.event('Warning', 'Failed', `Error: ${err.message}`, this.fieldPath);
      this.state = { waiting: { reason: 'CreateContainerConfigError', message: err.message } };
      this.phase = 'new';
      host.changed();
      this.wait(10_000);
      return;
    }
    let volumes: VolumeMount[];
    try {
      volumes = await host.mounts(this.spec, env);
    } catch (err) {
      if (!(err instanceof MountError)) throw err;
      if (this.phase !== 'busy') return;
      host.event('Warning', 'FailedMount', err.message);
      this.state = { waiting: { reason: 'ContainerCreating' } };
      this.phase = 'new';
      host.changed();
      this.wait(4_000);
      return;
    }
    if (this.phase !== 'busy' || !host.active()) {
      if (this.phase === 'busy') this.phase = 'new';
      return;
    }
    const spec: StartSpec = {
      podUid: pod.metadata.uid!,
      podName: pod.metadata.name!,
      container: this.name,
      attempt: this.restartCount,
      image: this.spec.image,
      command: this.spec.command,
      args: this.spec.args,
      env,
      workingDir: this.spec.workingDir,
      podIP: host.podIP,
      ports: this.spec.ports,
      volumes,
      security,
      // Upstream's defaulting makes a limit without a request the request.
      cpuRequest: milliCPU(this.spec.resources?.requests?.cpu ?? this.spec.resources?.limits?.cpu ?? 0),
      stdin: this.spec.stdin === true,
      stdinOnce: this.spec.stdinOnce === true,
      tty: this.spec.tty === true,
    };
    let c: Container | undefined;
    try {
      // A start waiting for its turn is dropped if the pod went meanwhile.
      c = await host.starts.run(async () => (this.phase === 'busy' && host.active() ? host.rt.start(spec) : undefined));
    } catch (err) {
      if (this.phase !== 'busy') return;
      const message = err instanceof RuntimeError ? err.message : String((err as Error)?.message ?? err);
      host.event('Warning', 'Failed', `Error: ${message}`, this.fieldPath);
      const now = rfc3339(host.clock.now());
      this.image = image;
      this.imageID = imageID;
      this.state = {
        terminated: {
          exitCode: 128,
          reason: 'StartError',
          message,
          startedAt: '1970-01-01T00:00:00Z',
          finishedAt: now,
        },
      };
      this.phase = 'exited';
      host.changed();
      host.sync();
      return;
    }
    if (!c || this.phase !== 'busy' || !host.active()) {
      await c?.kill();
      if (this.phase === 'busy') this.phase = 'new';
      return;
    }
    this.instance = c;
    this.image = image;
    this.imageID = imageID;
    // Joined, not a template: a `+` string is a pair (32 B) that the status's JSON then flattens
    // into a second copy, and each running container keeps it.
    this.containerID = ['containerd://', c.id].join('');
    host.event('Normal', 'Created', `Created container: ${this.name}`, this.fieldPath);
    host.event('Normal', 'Started', `Started container ${this.name}`, this.fieldPath);
    if (c.portMappings.length) host.portsMapped(this.name, c.portMappings);
    if (!c.sandboxed) host.unsandboxed();
    else if (c.kind === 'process' && canEscape(security)) {
      const why = security.privileged ? 'is privileged' : 'has CAP_SYS_ADMIN';
      host.event(
        'Warning',
        'Privileged',
        `Container ${this.name} ${why}: it can undo its sandbox (unmount and remount its view) and act as the user running skiff on the host's files`,
        this.fieldPath,
      );
    }
    this.followExit(c);
    const postStart = this.spec.lifecycle?.postStart;
    if (postStart) {
      // Like the kubelet, the container counts as started only once its postStart hook returned.
      // No deadline upstream but the container's own life; ten minutes here, so a slow exec never fails it.
      const failure = await runHook(host, c, this.spec, postStart, 600_000);
      if (this.instance !== c || !c.running) return;
      if (failure) {
        host.event('Warning', 'FailedPostStartHook', failure, this.fieldPath);
        host.event('Normal', 'Killing', `FailedPostStartHook`, this.fieldPath);
        await c.kill();
        return;
      }
    }
    this.state = { running: { startedAt: rfc3339(c.startedAt) } };
    this.phase = 'running';
    this.stopping = false;
    this.startProbes(c);
    host.changed();
    // A running sidecar lets the next init container (or the app containers) start.
    if (this.sidecar) host.sync();
  }

  /**
   * Not a closure in start(): that one's scope (the start spec, env, volumes) would live as long as
   * the container. Bound rather than an arrow: no context object besides the function (~50 B of
   * every running container).
   */
  private followExit(c: Container): void {
    c.onExit(this.exited.bind(this, c));
  }

  /** The securityContext to apply; throws ContainerConfigError for one the kubelet refuses. */
  private security(pod: KObject): SecuritySpec {
    const sec = effectiveSecurity(pod as Pod, this.spec);
    verifyRunAsNonRoot(pod as Pod, this.spec, sec);
    const rt = this.host.rt;
    if (!rt.sandbox.available && !allowUnsandboxed() && rt.kindOf(this.spec) === 'process') {
      const what = needsSandbox(pod as Pod, this.spec);
      if (what) {
        throw new ContainerConfigError(
          `pod has ${what}, which skiff runs only inside its sandbox, and the sandbox is not available (${rt.sandbox.reason}); set ${ALLOW_UNSANDBOXED_ENV}=1 to run it as a plain process of the user anyway`,
        );
      }
    }
    return sec;
  }

  private startProbes(c: Container): void {
    const { startupProbe, livenessProbe, readinessProbe } = this.spec;
    if (!startupProbe && !livenessProbe && !readinessProbe) {
      // Started and ready at once (what ContainerProbes says without probes), and nothing kept.
      this.started = true;
      this.ready = !this.init || this.sidecar;
      return;
    }
    const probes = new ContainerProbes(this.host, this.spec, c, this.fieldPath, {
      changed: () => {
        if (this.probes !== probes) return;
        this.started = probes.started;
        this.ready = probes.ready && (!this.init || this.sidecar);
        this.host.changed();
        if (this.sidecar) this.host.sync();
      },
      failed: (kind) =>
        void this.stop(this.graceMs(), `Container ${this.name} failed ${kind.toLowerCase()} probe, will be restarted`),
    });
    this.probes = probes;
    this.started = probes.started;
    this.ready = probes.ready && (!this.init || this.sidecar);
    probes.start();
  }

  private exited(c: Container, exit: ExitInfo): void {
    if (this.instance !== c || this.phase === 'halted') return;
    void this.host.terminationMessage(this.spec, exit.exitCode).then((message) => {
      const t = this.state.terminated ?? this.lastState.terminated;
      if (!message || this.instance !== c || !t || t.containerID !== this.containerID) return;
      t.message = message;
      this.host.changed();
    });
    this.stopProbes();
    // A completed init container counts as ready, as the kubelet reports it.
    this.ready = this.init && exit.exitCode === 0;
    this.started = false;
    this.state = {
      terminated: {
        exitCode: exit.exitCode,
        reason: exit.reason,
        startedAt: rfc3339(exit.startedAt),
        finishedAt: rfc3339(exit.finishedAt),
        containerID: this.containerID,
      },
    };
    this.phase = 'exited';
    this.host.changed();
    this.host.sync();
  }

  /** Wait out the crash-loop back-off, then become due for a restart. */
  crashBackoff(delayMs: number, delayText: string): void {
    if (this.phase !== 'exited') return;
    const pod = this.host.pod();
    if (this.state.terminated) this.lastState = { terminated: this.state.terminated };
    this.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${delayText} restarting failed container=${this.name} pod=${podDesc(pod)}`,
      },
    };
    this.phase = 'crash-backoff';
    this.host.event(
      'Warning',
      'BackOff',
      `Back-off restarting failed container ${this.name} in pod ${podDesc(pod)}`,
      this.fieldPath,
    );
    this.host.changed();
    this.wait(delayMs);
  }

  /** A restart is allowed once the back-off (if any) is over. */
  get restartDue(): boolean {
    return this.timer === undefined && (this.phase === 'exited' || this.phase === 'crash-backoff');
  }

  /** Start the next instance (restartCount + 1). */
  restart(): void {
    if (!this.restartDue) return;
    if (this.state.terminated) this.lastState = { terminated: this.state.terminated };
    this.restartCount++;
    this.restartNow = false;
    this.phase = 'new';
    void this.launch();
  }

  /** SIGTERM, then SIGKILL after the grace period (pod deletion, failed liveness probe). */
  async stop(graceMs: number, why = `Stopping container ${this.name}`): Promise<void> {
    this.clearTimer();
    const c = this.instance;
    if (!c?.running) return;
    this.stopProbes();
    if (!this.stopping) {
      this.stopping = true;
      this.host.event('Normal', 'Killing', why, this.fieldPath);
      const preStop = this.spec.lifecycle?.preStop;
      if (preStop && graceMs > 0) {
        // The hook spends the grace period; SIGTERM gets what is left (at least 2 s, as upstream).
        const started = this.host.clock.now();
        const failure = await runHook(this.host, c, this.spec, preStop, graceMs);
        if (failure) this.host.event('Warning', 'FailedPreStopHook', failure, this.fieldPath);
        graceMs = Math.max(2000, graceMs - (this.host.clock.now() - started));
      }
    }
    await c.stop(graceMs);
  }

  /** Kill now, whatever the grace period left. */
  async kill(): Promise<void> {
    this.clearTimer();
    this.stopProbes();
    const c = this.instance;
    if (c?.running) await c.kill();
  }

  /** The node or engine went away: kill the instance, report nothing more. */
  async halt(): Promise<void> {
    this.phase = 'halted';
    this.clearTimer();
    this.stopProbes();
    const c = this.instance;
    if (c?.running) await c.kill();
  }

  graceMs(): number {
    const pod = this.host.pod();
    return Math.max(0, Number(pod.spec?.terminationGracePeriodSeconds ?? 30)) * 1000;
  }

  private wait(ms: number): void {
    if (this.timer !== undefined && this.timer !== BLOCKED) this.host.clock.clearTimeout(this.timer);
    const handle = this.host.clock.setTimeout(() => {
      if (this.timer !== handle) return;
      this.timer = undefined;
      this.host.sync();
    }, ms);
    this.timer = handle;
  }

  private clearTimer(): void {
    if (this.timer !== undefined && this.timer !== BLOCKED) this.host.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.windowTimer !== undefined) this.host.clock.clearTimeout(this.windowTimer);
    this.windowTimer = undefined;
  }

  private stopProbes(): void {
    this.probes?.stop();
    this.probes = undefined;
  }
}
