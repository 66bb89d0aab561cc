import type { NodeCondition, PodCondition } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { rfc3339 } from '../clock.ts';
import { NOT_READY, type Taint, type Toleration, UNREACHABLE, readyStatus, tolerates } from '../scheduler/taints.ts';
import { ApiError, isNotFound } from '../store/errors.ts';
import { Cache } from '../framework/cache.ts';
import { Controller } from '../framework/controller.ts';
import { nodeState } from './node-state.ts';
import { parseTime } from './pods.ts';

const LEASES = 'leases.coordination.k8s.io';
const LEASE_NS = 'kube-node-lease';
const MONITOR_MS = 5000;
const DEFAULT_TOLERATION_SECONDS = 300;
const CONDITIONS: Array<[string, string, string]> = [
  ['MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
  ['Ready', 'KubeletReady', 'kubelet is posting ready status'],
];

const microTime = (ms: number) => new Date(ms).toISOString().replace(/Z$/, '000Z');

/**
 * Node heartbeats and health. While a node is up (node-state) its lease in kube-node-lease is
 * renewed and its conditions' lastHeartbeatTime refreshed, the kubelet's part. A node not heard
 * from for nodeLeaseSeconds (or created through the API, with no kubelet) becomes Unknown ("Kubelet stopped posting node status."), gets the
 * unreachable NoSchedule/NoExecute taints, its pods are marked not ready and, once their
 * toleration runs out, evicted so their controllers recreate them elsewhere. Recovery removes
 * the taints.
 */
export class NodeLifecycleController extends Controller {
  readonly name = 'node-lifecycle-controller';
  private pods = new Cache({ node: (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []) });
  private nodes = new Cache();
  private unsubscribe: (() => void) | undefined;

  private get leaseMs(): number {
    return (this.ctx.config.nodeLeaseSeconds || 40) * 1000;
  }

  protected init(): void {
    this.watch('nodes', (ev) => {
      this.nodes.apply(ev);
      if (ev.type === 'DELETED') return this.queue.add(`deleted/${ev.object.metadata.name}`);
      if (ev.type === 'ADDED') this.queue.add(`heartbeat/${ev.object.metadata.name}`);
      this.queue.add(`monitor/${ev.object.metadata.name}`);
    });
    this.watch('pods', (ev) => this.pods.apply(ev));
    this.unsubscribe = nodeState(this.store).subscribe((node, up) => {
      if (up) this.queue.add(`heartbeat/${node}`);
      this.queue.add(`monitor/${node}`);
    });
    this.every(this.leaseMs / 4, () => this.forEachNode((n) => this.queue.add(`lease/${n}`)));
    this.every(this.leaseMs, () => this.forEachNode((n) => this.queue.add(`heartbeat/${n}`)));
    this.every(Math.min(MONITOR_MS, this.leaseMs / 4), () => this.forEachNode((n) => this.queue.add(`monitor/${n}`)));
  }

  override stop(): void {
    this.unsubscribe?.();
    super.stop();
  }

  private forEachNode(fn: (name: string) => void): void {
    for (const n of this.nodes.all()) fn(n.metadata.name!);
  }

  protected sync(key: string): void {
    const i = key.indexOf('/');
    const what = key.slice(0, i);
    const name = key.slice(i + 1);
    const node = this.store.get('nodes', undefined, name);
    if (!node) {
      if (what === 'deleted') this.deleteOrphanedPods(name);
      return;
    }
    // Only nodes of the cluster's topology have a kubelet: a Node created through the API gets no
    // heartbeats, so it goes Unknown after the grace period, as on a real cluster.
    const up = this.hasKubelet(name) && nodeState(this.store).isUp(name);
    if (what === 'lease' && up) this.renewLease(node);
    else if (what === 'heartbeat' && up) {
      this.renewLease(node);
      this.postStatus(node);
    } else if (what === 'monitor') this.monitor(node);
  }

  private hasKubelet(name: string): boolean {
    return this.ctx.config.nodes.some((n) => n.name === name);
  }

  // --- the kubelet's side ------------------------------------------------------------------

  private renewLease(node: KObject): void {
    const name = node.metadata.name!;
    const now = microTime(this.clock.now());
    if (this.store.get(LEASES, LEASE_NS, name)) {
      this.store.mutate(LEASES, LEASE_NS, name, (l) => {
        l.spec = { ...l.spec, holderIdentity: name, leaseDurationSeconds: this.leaseMs / 1000, renewTime: now };
      });
      return;
    }
    if (!this.store.get('namespaces', undefined, LEASE_NS))
      this.ignoreConflict(() => this.store.create('namespaces', { metadata: { name: LEASE_NS } }));
    this.ignoreConflict(() =>
      this.store.create(LEASES, {
        metadata: {
          name,
          namespace: LEASE_NS,
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid! }],
        },
        spec: { holderIdentity: name, leaseDurationSeconds: this.leaseMs / 1000, renewTime: now },
      }),
    );
  }

  private ignoreConflict(fn: () => unknown): void {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 409)) throw e;
    }
  }

  /** Refresh lastHeartbeatTime; a node coming back reports Ready again. */
  private postStatus(node: KObject): void {
    const now = rfc3339(this.clock.now());
    const wasReady = readyStatus(node) === 'True';
    this.store.mutate(
      'nodes',
      undefined,
      node.metadata.name!,
      (n) => {
        const conds: NodeCondition[] = [...(n.status?.conditions ?? [])];
        for (const [type, reason, message] of CONDITIONS) {
          const healthy = type === 'Ready' ? 'True' : 'False';
          const i = conds.findIndex((c) => c.type === type);
          const cur = i >= 0 ? conds[i] : undefined;
          const next =
            cur?.status === healthy
              ? { ...cur, lastHeartbeatTime: now }
              : { type, status: healthy, lastHeartbeatTime: now, lastTransitionTime: now, reason, message };
          if (i >= 0) conds[i] = next;
          else conds.push(next);
        }
        n.status = { ...n.status, conditions: conds };
      },
      { subresource: 'status' },
    );
    if (!wasReady && readyStatus(node) !== undefined) {
      this.ctx.recorder.record(node, 'Normal', 'NodeReady', `Node ${node.metadata.name} status is now: NodeReady`, {
        component: 'kubelet',
        host: node.metadata.name,
      });
    }
  }

  // --- the controller's side ---------------------------------------------------------------

  private lastHeard(node: KObject): number {
    const lease = this.store.get(LEASES, LEASE_NS, node.metadata.name!);
    const ready = (node.status?.conditions ?? []).find((c: NodeCondition) => c.type === 'Ready');
    const times = [
      parseTime(lease?.spec?.renewTime),
      parseTime(ready?.lastHeartbeatTime),
      parseTime(node.metadata.creationTimestamp),
    ];
    return Math.max(...times.filter((t) => !Number.isNaN(t)));
  }

  private monitor(node: KObject): void {
    const now = this.clock.now();
    let ready = readyStatus(node);
    if (now - this.lastHeard(node) > this.leaseMs * this.scale && ready !== 'Unknown') {
      node = this.markUnknown(node);
      ready = 'Unknown';
    }
    node = this.syncTaints(node, ready === 'Unknown' ? UNREACHABLE : ready === 'False' ? NOT_READY : undefined);
    // Whatever made the node not ready, its pods stop being ready (MarkPodsNotReady upstream).
    if (ready === 'False' || ready === 'Unknown') {
      const stamp = rfc3339(now);
      for (const pod of this.pods.by('node', node.metadata.name!)) this.markPodNotReady(pod, stamp);
    }
    this.evictPods(node, now);
  }

  private markUnknown(node: KObject): KObject {
    const now = rfc3339(this.clock.now());
    const updated = this.store.mutate(
      'nodes',
      undefined,
      node.metadata.name!,
      (n) => {
        const conds: NodeCondition[] = [...(n.status?.conditions ?? [])];
        for (const [type] of CONDITIONS) {
          const i = conds.findIndex((c) => c.type === type);
          const cur = i >= 0 ? conds[i] : { type };
          const next = {
            ...cur,
            status: 'Unknown',
            lastTransitionTime: now,
            reason: 'NodeStatusUnknown',
            message: 'Kubelet stopped posting node status.',
          };
          if (i >= 0) conds[i] = next;
          else conds.push(next);
        }
        n.status = { ...n.status, conditions: conds };
      },
      { subresource: 'status' },
    );
    this.ctx.recorder.record(node, 'Normal', 'NodeNotReady', `Node ${node.metadata.name} status is now: NodeNotReady`, {
      component: 'node-controller',
    });
    for (const pod of this.pods.by('node', node.metadata.name!)) this.markPodNotReady(pod, now);
    return updated;
  }

  private markPodNotReady(pod: KObject, now: string): void {
    if (pod.metadata.deletionTimestamp) return;
    try {
      this.store.mutate(
        'pods',
        pod.metadata.namespace,
        pod.metadata.name!,
        (p) => {
          const c = (p.status?.conditions ?? []).find((x: PodCondition) => x.type === 'Ready');
          if (!c || c.status === 'False') return false;
          c.status = 'False';
          c.lastTransitionTime = now;
        },
        { subresource: 'status' },
      );
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Keep exactly the not-ready/unreachable taints the Ready condition calls for. */
  private syncTaints(node: KObject, want: string | undefined): KObject {
    const taints: Taint[] = node.spec?.taints ?? [];
    const managed = (t: Taint) => t.key === NOT_READY || t.key === UNREACHABLE;
    const next = taints.filter((t) => !managed(t) || t.key === want);
    if (want) {
      if (!next.some((t) => t.key === want && t.effect === 'NoSchedule'))
        next.push({ key: want, effect: 'NoSchedule' });
      if (!next.some((t) => t.key === want && t.effect === 'NoExecute'))
        next.push({ key: want, effect: 'NoExecute', timeAdded: rfc3339(this.clock.now()) });
    }
    if (next.length === taints.length && next.every((t, i) => t === taints[i])) return node;
    return this.store.mutate('nodes', undefined, node.metadata.name!, (n) => {
      n.spec = { ...n.spec };
      if (next.length) n.spec.taints = next;
      else delete n.spec.taints;
    });
  }

  /**
   * Evict pods that don't tolerate the node's NoExecute taints, immediately or once their
   * tolerationSeconds run out. The default not-ready/unreachable tolerations (300 s) stand for
   * the cluster's configured podEvictionSeconds, as the apiserver's flag would set them.
   */
  private evictPods(node: KObject, now: number): void {
    const noExecute: Taint[] = (node.spec?.taints ?? []).filter((t: Taint) => t.effect === 'NoExecute');
    if (!noExecute.length) return;
    let next = Infinity;
    for (const pod of this.pods.by('node', node.metadata.name!)) {
      if (pod.metadata.deletionTimestamp) continue;
      const due = this.evictionTime(pod, noExecute, now);
      if (due <= now) this.evict(pod);
      else next = Math.min(next, due);
    }
    if (Number.isFinite(next)) this.queue.addAfter(`monitor/${node.metadata.name}`, (next - now) / this.scale);
  }

  private evictionTime(pod: KObject, taints: Taint[], now: number): number {
    let due = Infinity;
    for (const taint of taints) {
      const matching = (pod.spec?.tolerations ?? []).filter((t: Toleration) => tolerates(t, taint));
      if (!matching.length) return -Infinity;
      const seconds = Math.min(...matching.map((t: Toleration) => this.tolerationSeconds(t, taint)));
      const added = parseTime(taint.timeAdded);
      due = Math.min(due, (Number.isNaN(added) ? now : added) + seconds * 1000 * this.scale);
    }
    return due;
  }

  private tolerationSeconds(t: Toleration, taint: Taint): number {
    if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) return Infinity;
    const isDefault =
      t.tolerationSeconds === DEFAULT_TOLERATION_SECONDS && (taint.key === NOT_READY || taint.key === UNREACHABLE);
    return Math.max(0, isDefault ? this.ctx.config.podEvictionSeconds : t.tolerationSeconds);
  }

  /** Pods bound to a node that no longer exists go at once (upstream's pod GC). */
  private deleteOrphanedPods(node: string): void {
    for (const pod of this.pods.by('node', node)) {
      try {
        this.store.delete('pods', pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0 });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  private evict(pod: KObject): void {
    try {
      this.store.delete('pods', pod.metadata.namespace, pod.metadata.name!);
      this.ctx.recorder.record(
        pod,
        'Normal',
        'TaintManagerEviction',
        `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}`,
        { component: 'taint-eviction-controller' },
      );
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
