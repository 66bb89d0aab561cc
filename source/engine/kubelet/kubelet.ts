import type { KObject } from '../../api-types/index.ts';
import type { PodDnsFiles } from './pod-dns.ts';
import type { Clock } from '../clock.ts';
import type { NodeConfig } from '../context.ts';
import type { EventRecorder } from '../events.ts';
import type { Runtime } from '../runtime/index.ts';
import type { Store, StoreEvent } from '../store/store.ts';
import { Backoff } from './backoff.ts';
import { IpAllocator } from './ip-allocator.ts';
import type { Limiter } from './limiter.ts';
import { PodWorker } from './pod-worker.ts';
import type { StatusWriter } from './status-writer.ts';
import type { WorkerDeps } from './worker-deps.ts';
import type { HostPathPolicy } from './volumes/host-path.ts';
import type { TokenProvider } from './volumes/payload.ts';

export interface KubeletShared {
  rt: Runtime;
  starts: Limiter;
  clock: Clock;
  store: Store;
  recorder: EventRecorder;
  writer: StatusWriter;
  volumesDir(uid: string): string;
  hostPaths: HostPathPolicy;
  tokens?: TokenProvider;
  syncPeriodMs: number;
  dnsFiles?: PodDnsFiles;
  log(msg: string): void;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

/**
 * The kubelet of one node: a worker per pod bound to it. While the node is stopped
 * (`skiff node stop`) its containers are down and pods are only remembered; on start they are
 * picked up again from their stored status, exactly as after an engine restart.
 */
export class NodeKubelet {
  readonly ips: IpAllocator;
  private workers = new Map<string, PodWorker>();
  private pods = new Map<string, KObject>();
  /** Pods this kubelet finished deleting: late events for them start nothing. */
  private gone = new Set<string>();
  private pullBackoff: Backoff;
  private crashBackoff: Backoff;
  private up = true;
  /** Up, and the containers of an earlier suspend are gone: pods may start. */
  private accepting = true;
  /** Containers of a suspend still going down: a resume waits for them. */
  private halting: Promise<unknown> = Promise.resolve();
  /** One periodic sync for all of the node's workers (a timer each was ~0.25 KB of every pod). */
  private refreshTimer: unknown;

  constructor(
    readonly node: NodeConfig,
    private shared: KubeletShared,
  ) {
    this.ips = new IpAllocator(node.podCIDR);
    this.pullBackoff = new Backoff(shared.clock);
    this.crashBackoff = new Backoff(shared.clock);
  }

  worker(uid: string): PodWorker | undefined {
    return this.workers.get(uid);
  }

  /** A store event for a pod bound to this node. */
  podEvent(ev: StoreEvent): void {
    const pod = ev.object;
    const uid = pod.metadata.uid!;
    if (ev.type === 'DELETED') {
      this.pods.delete(uid);
      this.gone.delete(uid);
      const w = this.workers.get(uid);
      if (w) void w.removed();
      else {
        this.ips.release(uid);
        void this.shared.rt.removePod(uid).catch(() => {});
      }
      return;
    }
    if (this.gone.has(uid)) return;
    this.pods.set(uid, pod);
    if (!this.accepting) return;
    const w = this.workers.get(uid);
    if (w) w.update(pod);
    else this.startWorker(pod);
  }

  private sharedDeps?: WorkerDeps;

  /** One for all of the node's workers: nothing in it is about one pod. */
  private workerDeps(): WorkerDeps {
    if (this.sharedDeps) return this.sharedDeps;
    const { rt, clock, store, recorder, writer, log, starts, volumesDir, hostPaths, tokens, syncPeriodMs, dnsFiles } =
      this.shared;
    this.sharedDeps = {
      rt,
      clock,
      store,
      recorder,
      node: this.node,
      ips: this.ips,
      pullBackoff: this.pullBackoff,
      crashBackoff: this.crashBackoff,
      starts,
      volumesDir,
      hostPaths,
      tokens,
      syncPeriodMs,
      dnsFiles,
      statusChanged: (id) => {
        const cur = this.workers.get(id);
        if (cur) writer.mark(id, cur);
      },
      finished: (id) => {
        this.workers.delete(id);
        writer.forget(id);
        dnsFiles?.forget(id);
        if (this.pods.has(id)) this.gone.add(id);
      },
      log,
    };
    return this.sharedDeps;
  }

  private startWorker(pod: KObject): void {
    // A finished pod has nothing to run (after an engine restart too); its address is free.
    if (TERMINAL.has(pod.status?.phase) && !pod.metadata.deletionTimestamp) return;
    const uid = pod.metadata.uid!;
    let w: PodWorker;
    try {
      w = new PodWorker(this.workerDeps(), pod);
    } catch (e) {
      this.shared.log(
        `kubelet ${this.node.name}: cannot start pod ${pod.metadata.namespace}/${pod.metadata.name}: ${(e as Error).message}`,
      );
      return;
    }
    this.workers.set(uid, w);
    w.sync();
    this.scheduleRefresh();
  }

  /** Every sync period, while the node has workers: their volume files follow their sources. */
  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = this.shared.clock.setTimeout(() => {
      this.refreshTimer = undefined;
      for (const w of this.workers.values()) w.refreshVolumes();
      if (this.workers.size) this.scheduleRefresh();
    }, this.shared.syncPeriodMs);
  }

  /** `skiff node stop`: every container goes down; the pods stay as they are in the store. */
  async suspend(): Promise<void> {
    if (!this.up) return;
    this.up = false;
    this.accepting = false;
    const all = [...this.workers.values()];
    this.workers.clear();
    this.halting = Promise.all(all.map((w) => w.halt()));
    await this.halting;
  }

  /** `skiff node start`: pick every pod up again (running containers restart). */
  resume(): void {
    if (this.up) return;
    this.up = true;
    void this.halting.then(() => {
      if (!this.up || this.accepting) return;
      this.accepting = true;
      for (const pod of this.pods.values()) if (!this.workers.has(pod.metadata.uid!)) this.startWorker(pod);
    });
  }

  /** Engine shutdown: kill every container, write nothing more. */
  async stop(): Promise<void> {
    this.up = false;
    this.accepting = false;
    const all = [...this.workers.values()];
    this.workers.clear();
    this.shared.clock.clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    await Promise.all(all.map((w) => w.halt()));
    this.pullBackoff.dispose();
    this.crashBackoff.dispose();
  }
}
