import type { Container } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { rfc3339 } from '../clock.ts';
import type { PortMapping, VolumeMount } from '../runtime/index.ts';
import { containerEnv } from './container-env.ts';
import { ContainerSlot, type ContainerSpec } from './container-slot.ts';
import { goDuration } from './format.ts';
import { buildPodStatus, podPhase, type ContainerStatus, type PodStatusDoc, type PodView } from './pod-status.ts';
import { publishPortMappings } from './port-map.ts';
import type { SlotHost } from './slot-host.ts';
import type { WorkerDeps } from './worker-deps.ts';
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { flat } from '../flat.ts';
import { PodVolumes, type PodVolumesDeps } from './volumes/pod-volumes.ts';
import { TerminationFile } from './termination-file.ts';

const PLEG_RELIST_MS = 1000;
/** How long a new pod's first status may wait for its containers to start (see `changed`). */
const FIRST_STATUS_WAIT_MS = 1000;

const TERMINAL = new Set(['Succeeded', 'Failed']);

/** The slots of a pod without init (or ephemeral) containers: one frozen empty list for all. */
const NO_SLOTS: ContainerSlot[] = Object.freeze([]) as unknown as ContainerSlot[];

/**
 * Drives one pod on its node, like the kubelet's syncPod: sandbox (pod IP), init containers in
 * order, then the app containers; restarts by restartPolicy with crash-loop back-off; graceful
 * termination when the pod is deleted. Level-triggered: every change calls `sync()`, which looks
 * at where each container is and takes the next step.
 */
export class PodWorker implements SlotHost, PodVolumesDeps {
  readonly uid: string;
  readonly podIP: string;
  readonly init: ContainerSlot[];
  readonly app: ContainerSlot[];
  /** NO_SLOTS until `kubectl debug` adds one. */
  ephemeral: ContainerSlot[] = NO_SLOTS;
  private current: KObject;
  private initialized: boolean;
  private startTime: string;
  private terminating?: Promise<void>;
  private halted = false;
  private done = false;
  private failed?: { reason: string; message: string };
  private warnedUnsandboxed = false;
  private syncing = false;
  private again = false;
  /** Made with the first timer (an activeDeadlineSeconds): most pods have none. */
  private timers?: unknown[];
  private killTimer: unknown;
  /** Set while a new pod's first status waits for its containers' start (FIRST_STATUS_WAIT_MS at most). */
  private firstStatusTimer: unknown;
  private volumes: PodVolumes;
  /** Volume set-up and refreshes, one at a time; undefined once they are done (most of a pod's life). */
  private volumeWork?: Promise<unknown>;
  /** Termination message files made so far (see terminationMount). */
  private terminationFiles?: Set<string>;

  constructor(
    private deps: WorkerDeps,
    pod: KObject,
  ) {
    this.current = pod;
    this.uid = pod.metadata.uid!;
    const status = pod.status ?? {};
    // hostNetwork pods (kube-proxy) share the node's address.
    this.podIP = pod.spec?.hostNetwork ? deps.node.ip : deps.ips.allocate(this.uid, status.podIP);
    const now = deps.clock.now();
    this.startTime = status.startTime ?? rfc3339(now);
    const policy = pod.spec?.restartPolicy ?? 'Always';
    const byName = (list: ContainerStatus[] | undefined, name: string) => list?.find((c) => c.name === name);
    const initSpecs: ContainerSpec[] = pod.spec?.initContainers ?? [];
    this.init = initSpecs.length ? initSpecs.map((c) => new ContainerSlot(this, c, true)) : NO_SLOTS;
    this.app = (pod.spec?.containers ?? []).map((c: ContainerSpec) => new ContainerSlot(this, c, false));
    for (const s of this.init) s.adopt(byName(status.initContainerStatuses, s.name), now, policy !== 'Never');
    for (const s of this.app) s.adopt(byName(status.containerStatuses, s.name), now, policy !== 'Never');
    this.addEphemeral(pod, (s) => s.adopt(byName(status.ephemeralContainerStatuses, s.name), now, false));
    this.initialized = this.init.every((s) => s.succeeded || (s.sidecar && !!s.containerID));
    this.volumes = this.podVolumes();
    if (!status.containerStatuses && !status.initContainerStatuses && !TERMINAL.has(status.phase))
      this.firstStatusTimer = deps.clock.setTimeout(() => this.firstStatusDue(), FIRST_STATUS_WAIT_MS);
    const deadline = Number(pod.spec?.activeDeadlineSeconds);
    if (deadline > 0) {
      const left = Date.parse(this.startTime) + deadline * 1000 - now;
      this.timers = [deps.clock.setTimeout(() => this.deadlineExceeded(), Math.max(0, left))];
    }
  }

  private podVolumes(): PodVolumes {
    return new PodVolumes(this);
  }

  // --- PodVolumesDeps: the node's shared ones, the pod's directory, warnings as the pod's events
  // (the worker itself, not an object of them, nor the directory's path, kept for each pod) ---
  get store() {
    return this.deps.store;
  }
  get dir() {
    return this.deps.volumesDir(this.uid);
  }
  get hostPaths() {
    return this.deps.hostPaths;
  }
  get tokens() {
    return this.deps.tokens;
  }
  warn(reason: string, message: string): void {
    this.event('Warning', reason, message);
  }

  // --- SlotHost ---
  get rt() {
    return this.deps.rt;
  }
  get clock() {
    return this.deps.clock;
  }
  get node() {
    return this.deps.node.name;
  }
  get pullBackoff() {
    return this.deps.pullBackoff;
  }
  get crashBackoff() {
    return this.deps.crashBackoff;
  }
  get starts() {
    return this.deps.starts;
  }
  pod(): KObject {
    return this.current;
  }
  active(): boolean {
    return !this.terminating && !this.halted && !this.done;
  }
  event(type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    if (this.halted) return;
    this.deps.recorder.record(
      this.current,
      type,
      reason,
      message,
      { component: 'kubelet', host: this.node },
      fieldPath,
    );
  }
  /**
   * The pod's status changed: the node's status writer writes it. A new pod whose containers are
   * all being created from images the node has waits until one of them runs (or fails, or the
   * wait ends): its first status is then Running, one write where there were two, which under a
   * scale-up of 1,000 pods is a tenth of the engine's work. The kubelet's status manager coalesces
   * the same way when its API client is rate-limited. A pull still shows ContainerCreating at once.
   */
  changed(): void {
    if (this.halted) return;
    if (this.firstStatusTimer !== undefined) {
      if (this.onlyCreating()) return;
      this.clock.clearTimeout(this.firstStatusTimer);
      this.firstStatusTimer = undefined;
    }
    this.deps.statusChanged(this.uid);
  }

  private firstStatusDue(): void {
    this.firstStatusTimer = undefined;
    this.changed();
  }

  /** Every container is still being created, from an image already on the node. */
  private onlyCreating(): boolean {
    const slots = this.init.length ? this.init.concat(this.app) : this.app;
    return (
      slots.length > 0 &&
      slots.every((s) => {
        if (!s.creating) return false;
        try {
          return this.rt.hasImage(this.node, s.spec.image);
        } catch {
          return false;
        }
      })
    );
  }
  portsMapped(container: string, mappings: readonly PortMapping[]): void {
    for (const m of mappings) this.event('Normal', 'PortMapped', m.message, `spec.containers{${container}}`);
    publishPortMappings(this.deps.store, this.current, mappings);
  }
  env(container: Container): Record<string, string> {
    // fieldRefs to status see this kubelet's view, which may not be written yet.
    const pod = {
      ...this.current,
      status: { ...this.current.status, podIP: this.podIP, podIPs: [{ ip: this.podIP }], hostIP: this.deps.node.ip },
    };
    return containerEnv(this.deps.store, pod, container);
  }
  mounts(container: Container, env: Record<string, string>): Promise<VolumeMount[]> {
    return this.volumeStep(async () => {
      await this.volumes.setUp(this.current);
      // The pod's own volumes come last: a volume mounted over /etc/hosts wins, as upstream.
      // concat, not spread: a spread-grown list holds ~20 slots, and each running container keeps its list.
      return this.dnsMounts().concat(
        await this.volumes.mounts(this.current, container, env),
        this.terminationMount(container),
      );
    });
  }

  /** Run `fn` after the volume work queued before it. */
  private volumeStep<T>(fn: () => Promise<T>): Promise<T> {
    const work = (this.volumeWork ?? Promise.resolve()).then(fn);
    const tail: Promise<unknown> = work.then(
      () => this.volumeDone(tail),
      () => this.volumeDone(tail),
    );
    this.volumeWork = tail;
    return work;
  }

  private volumeDone(tail: Promise<unknown>): void {
    if (this.volumeWork === tail) this.volumeWork = undefined;
  }

  /** The file a container writes its termination message to, fresh for each instance. */
  private terminationMount(container: Container): VolumeMount[] {
    const path = container?.terminationMessagePath;
    if (typeof path !== 'string' || !path.startsWith('/')) return [];
    const file = this.terminationFile(String(container.name));
    // One empty file per start, made when the container first looks (a built-in one rarely does;
    // no file reads as an empty message).
    // A file an earlier instance made goes now: its message is not this instance's.
    if (this.terminationFiles?.has(file)) rmSync(file, { force: true });
    return [new TerminationFile(file, path, this)];
  }

  terminationFileMade(path: string): void {
    (this.terminationFiles ??= new Set()).add(path);
  }

  private terminationFile(container: string): string {
    return flat(join(this.deps.volumesDir(this.uid), 'termination', container));
  }

  async terminationMessage(container: Container, exitCode: number): Promise<string | undefined> {
    const fromFile = await readFile(this.terminationFile(String(container?.name))).catch(() => undefined);
    const text = fromFile?.subarray(0, 4096).toString() ?? '';
    if (text || container?.terminationMessagePolicy !== 'FallbackToLogsOnError' || exitCode === 0)
      return text || undefined;
    // The last 80 lines of the log, at most 2 KiB, as the kubelet falls back.
    const lines: string[] = [];
    try {
      for await (const line of this.rt.logs({ podUid: this.uid, container: String(container.name), tailLines: 80 }))
        lines.push(line);
    } catch {
      return undefined;
    }
    const tail = lines.map((l) => l.replace(/\n$/, '')).join('\n');
    return tail.length > 2048 ? tail.slice(-2048) : tail || undefined;
  }

  /**
   * The kubelet's periodic sync (its node's one timer calls every worker): ConfigMap/Secret/
   * downward API files follow their sources.
   */
  refreshVolumes(): void {
    if (this.active()) void this.volumeStep(() => this.volumes.refresh(this.current)).catch(() => {});
  }

  /** /etc/hosts and /etc/resolv.conf of the pod, written by the kubelet. */
  private dnsMounts(): VolumeMount[] {
    try {
      return this.deps.dnsFiles?.mounts(this.current, this.podIP) ?? [];
    } catch (e) {
      this.deps.log(
        `kubelet ${this.node}: writing DNS files of ${this.current.metadata.namespace}/${this.current.metadata.name}: ${(e as Error).message}`,
      );
      return [];
    }
  }
  unsandboxed(): void {
    if (this.warnedUnsandboxed) return;
    this.warnedUnsandboxed = true;
    const why = this.rt.sandbox.reason ?? 'no sandbox';
    this.event(
      'Warning',
      'Unsandboxed',
      `${why}: this pod's containers and exec sessions run as plain host processes in the pod's directory, without their own filesystem view, hostname or PID namespace`,
    );
    if (!this.current.spec?.hostNetwork) {
      this.event(
        'Warning',
        'HostResolver',
        "Without a sandbox the containers see the host's /etc/resolv.conf and /etc/hosts: names resolve with the host's resolver, not the cluster DNS",
      );
    }
  }

  /** A newer version of the pod from the store. */
  update(pod: KObject): void {
    const before = this.current;
    this.current = pod;
    if (pod.metadata.deletionTimestamp) {
      if (!this.terminating) this.sync();
      else if ((pod.metadata.deletionGracePeriodSeconds ?? 30) < (before.metadata.deletionGracePeriodSeconds ?? 30))
        this.shortenGrace();
      return;
    }
    if (pod.metadata.generation !== before.metadata.generation) this.specChanged();
    // Someone else set a readiness gate's condition: Ready is the kubelet's to recompute.
    if (
      pod.spec?.readinessGates?.length &&
      JSON.stringify(pod.status?.conditions) !== JSON.stringify(before.status?.conditions)
    )
      this.changed();
    if ((pod.spec?.ephemeralContainers?.length ?? 0) > this.ephemeral.length) {
      this.addEphemeral(pod);
      this.sync();
    }
  }

  /** Slots for ephemeral containers the pod lists and this worker does not run yet. */
  private addEphemeral(pod: KObject, adopt?: (s: ContainerSlot) => void): void {
    const known = new Set(this.ephemeral.map((s) => s.name));
    for (const c of pod.spec?.ephemeralContainers ?? []) {
      if (known.has(c.name)) continue;
      const slot = new ContainerSlot(this, c, false, true);
      adopt?.(slot);
      if (this.ephemeral === NO_SLOTS) this.ephemeral = [];
      this.ephemeral.push(slot);
    }
  }

  /** The pod as the kubelet reports it. */
  status(prev: PodStatusDoc | undefined): PodStatusDoc {
    return buildPodStatus(prev, this.view(), this.clock.now());
  }

  view(): PodView {
    return {
      hostIP: this.deps.node.ip,
      podIP: this.podIP,
      startTime: this.startTime,
      restartPolicy: this.current.spec?.restartPolicy ?? 'Always',
      init: this.init.map((s) => s.view()),
      ephemeral: this.ephemeral.map((s) => s.view()),
      readinessGates: (this.current.spec?.readinessGates ?? []).map((g: { conditionType: string }) => g.conditionType),
      app: this.app.map((s) => {
        const v = s.view();
        // App containers wait behind init containers as PodInitializing.
        return !this.initialized && v.state.waiting?.reason === 'ContainerCreating'
          ? { ...v, state: { waiting: { reason: 'PodInitializing' } } }
          : v;
      }),
      initialized: this.initialized,
      sandboxReady: !this.done,
      phase: this.failed ? 'Failed' : undefined,
      reason: this.failed?.reason,
      message: this.failed?.message,
    };
  }

  slot(name: string): ContainerSlot | undefined {
    return (
      this.app.find((s) => s.name === name) ??
      this.init.find((s) => s.name === name) ??
      this.ephemeral.find((s) => s.name === name)
    );
  }

  /** Take the next step for every container. Re-entrant calls are folded into one more pass. */
  sync(): void {
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = true;
    try {
      do {
        this.again = false;
        this.syncOnce();
      } while (this.again);
    } finally {
      this.syncing = false;
    }
  }

  private syncOnce(): void {
    if (this.halted || this.done) return;
    if (this.current.metadata.deletionTimestamp) {
      if (!this.terminating) this.terminating = this.terminate();
      return;
    }
    if (this.terminalPhase()) return this.finishRunning();
    if (!this.initialized) {
      // Sidecars (restartPolicy: Always) let the next one start once they run; others must succeed.
      const next = this.init.find((s) => !(s.sidecar ? s.phase === 'running' && s.started : s.succeeded));
      if (next) {
        if (next.phase === 'exited' && this.current.spec?.restartPolicy === 'Never') {
          this.changed();
          return this.finishRunning();
        }
        this.step(next, true);
        return this.changed();
      }
      this.initialized = true;
    }
    const policy = this.current.spec?.restartPolicy ?? 'Always';
    for (const s of this.init) if (s.sidecar) this.step(s, true);
    for (const s of this.app) {
      const exitCode = s.state.terminated?.exitCode ?? s.lastState.terminated?.exitCode;
      this.step(s, policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0));
    }
    for (const s of this.ephemeral) this.step(s, false);
    if (this.terminalPhase()) this.finishRunning();
    this.changed();
  }

  private step(s: ContainerSlot, mayRestart: boolean): void {
    if (s.due) {
      void s.launch();
      return;
    }
    if (!mayRestart || !s.restartDue) return;
    if (s.phase === 'exited') {
      const delay = this.crashBackoff.get(s.key);
      if (delay === undefined || s.restartNow) {
        if (!s.restartNow) this.crashBackoff.next(s.key);
        s.restart();
      } else s.crashBackoff(delay, goDuration(delay));
    } else {
      this.crashBackoff.next(s.key);
      s.restart();
    }
  }

  private terminalPhase(): boolean {
    return TERMINAL.has(podPhase(this.view(), this.current.status?.phase));
  }

  /** Succeeded or Failed: nothing runs any more; the address goes back to the pool. */
  private finishRunning(kill = true): void {
    if (this.done) return;
    this.done = true;
    if (kill) for (const s of [...this.init, ...this.app, ...this.ephemeral]) void s.kill();
    this.clearTimers();
    this.deps.ips.release(this.uid);
    this.changed();
  }

  private deadlineExceeded(): void {
    if (!this.active() || this.terminalPhase()) return;
    const message = 'Pod was active on the node longer than the specified deadline';
    this.event('Normal', 'DeadlineExceeded', message);
    this.failed = { reason: 'DeadlineExceeded', message };
    for (const s of [...this.init, ...this.app, ...this.ephemeral])
      void (s.phase === 'running' ? s.stop(s.graceMs()) : s.kill());
    this.finishRunning(false);
  }

  /** Containers whose image changed are restarted with the new one, as the kubelet does. */
  private specChanged(): void {
    const specs = [...(this.current.spec?.initContainers ?? []), ...(this.current.spec?.containers ?? [])];
    for (const s of [...this.init, ...this.app, ...this.ephemeral]) {
      const spec = specs.find((c: ContainerSpec | undefined) => c?.name === s.name);
      if (!spec || spec.image === s.spec.image) continue;
      s.spec = spec;
      s.respec();
    }
    this.sync();
  }

  /** Graceful deletion: stop every container within the grace period, then remove the pod. */
  private async terminate(): Promise<void> {
    const graceMs =
      Math.max(
        0,
        Number(
          this.current.metadata.deletionGracePeriodSeconds ?? this.current.spec?.terminationGracePeriodSeconds ?? 30,
        ),
      ) * 1000;
    this.clearTimers();
    const slots = [...this.init, ...this.app, ...this.ephemeral];
    if (graceMs === 0) await Promise.all(slots.map((s) => s.kill()));
    else await Promise.all(slots.map((s) => (s.phase === 'running' ? s.stop(graceMs) : s.kill())));
    await Promise.all(slots.map((s) => s.settled()));
    if (this.halted) return;
    // The kubelet notices a container's exit on its next relist (PLEG, every second) before it
    // reports the pod gone. Removing it at once opened a race in `kubectl delete`: its GET saw the
    // old pod and its LIST the controller's replacement, and it then waited forever. The worker
    // stays registered meanwhile, so an engine stop halts it.
    await new Promise<void>((resolve) => this.clock.setTimeout(resolve, PLEG_RELIST_MS));
    if (this.halted) return;
    await this.cleanup();
    // The engine may have stopped (and closed the store) while the pod's files were removed.
    if (this.halted) return;
    const pod = this.current;
    const { namespace, name } = pod.metadata;
    const cur = this.deps.store.get('pods', namespace, name!);
    if (!cur || cur.metadata.uid !== this.uid) return;
    // Finalizers still hold the pod (a grace-0 delete leaves it to them); otherwise it goes now.
    if (cur.metadata.finalizers?.length)
      this.deps.store.delete('pods', namespace, name!, { gracePeriodSeconds: 0, preconditions: { uid: this.uid } });
    else this.deps.store.forceRemove('pods', namespace, name!);
  }

  private shortenGrace(): void {
    const ms = Math.max(0, Number(this.current.metadata.deletionGracePeriodSeconds ?? 0)) * 1000;
    this.clock.clearTimeout(this.killTimer);
    this.killTimer = this.clock.setTimeout(() => {
      for (const s of [...this.init, ...this.app, ...this.ephemeral]) void s.kill();
    }, ms);
  }

  /** The pod left the store (deleted at once): kill what runs and clean up. */
  async removed(): Promise<void> {
    this.terminating ??= (async () => {
      this.clearTimers();
      const slots = [...this.init, ...this.app, ...this.ephemeral];
      await Promise.all(slots.map((s) => s.kill()));
      await Promise.all(slots.map((s) => s.settled()));
      if (!this.halted) await this.cleanup();
    })();
    return this.terminating;
  }

  private async cleanup(): Promise<void> {
    this.done = true;
    this.deps.ips.release(this.uid);
    this.deps.pullBackoff.deletePrefix(`${this.uid}/`);
    this.deps.crashBackoff.deletePrefix(`${this.uid}/`);
    try {
      await this.rt.removePod(this.uid);
    } catch (e) {
      this.deps.log(`kubelet ${this.node}: removing pod ${this.uid} failed: ${(e as Error).message}`);
    }
    this.deps.finished(this.uid);
  }

  /** The node or the engine stops: kill every container, write nothing. The pod keeps its IP. */
  async halt(): Promise<void> {
    this.halted = true;
    this.clearTimers();
    await Promise.all([...this.init, ...this.app, ...this.ephemeral].map((s) => s.halt()));
  }

  private clearTimers(): void {
    for (const t of this.timers ?? []) this.clock.clearTimeout(t);
    this.timers = undefined;
    this.clock.clearTimeout(this.killTimer);
    if (this.firstStatusTimer !== undefined) {
      this.clock.clearTimeout(this.firstStatusTimer);
      this.firstStatusTimer = undefined;
    }
  }
}
