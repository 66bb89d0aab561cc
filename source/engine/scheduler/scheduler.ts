import { claimsPreFilter, volumeNodeTerms } from './volume-binding.ts';
import type { KObject } from '../../api-types/index.ts';
import { Controller } from '../framework/controller.ts';
import { objKey, splitKey } from '../framework/cache.ts';
import { controllerRef } from '../framework/owner-refs.ts';
import { ApiError } from '../store/errors.ts';
import { jsonEqual } from '../store/freeze.ts';
import type { StoreEvent } from '../store/store.ts';
import { bindPod, setPodCondition } from './bind.ts';
import { fitErrorMessage, filterNode, preFilterMessage, type Rejection } from './filters.ts';
import { NodeInfo, hostPorts, usageNode, usageOf, type PodUsage } from './node-info.ts';
import { nonZeroRequests, podRequests } from './resources.ts';
import { pickNode } from './scores.ts';
import { readyStatus } from './taints.ts';

const SOURCE = { component: 'default-scheduler' };
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 10_000;
/** Unschedulable pods are retried at least this often even when nothing changes. */
const MAX_UNSCHEDULABLE_MS = 5 * 60_000;

export function needsScheduling(pod: KObject): boolean {
  const s = pod.spec ?? {};
  const phase = pod.status?.phase;
  return (
    !s.nodeName &&
    (s.schedulerName ?? 'default-scheduler') === 'default-scheduler' &&
    !pod.metadata.deletionTimestamp &&
    phase !== 'Succeeded' &&
    phase !== 'Failed'
  );
}

/** Whether a node change can make a pending pod fit (heartbeats alone cannot). */
function nodeChanged(ev: StoreEvent): boolean {
  if (ev.type !== 'MODIFIED' || !ev.prev) return true;
  const a = ev.prev;
  const b = ev.object;
  return (
    !jsonEqual(a.spec, b.spec) ||
    !jsonEqual(a.metadata.labels, b.metadata.labels) ||
    !jsonEqual(a.status?.allocatable, b.status?.allocatable) ||
    readyStatus(a) !== readyStatus(b)
  );
}

/**
 * The scheduler: filters nodes (unschedulable, taints, node selection, host ports, resources),
 * scores the feasible ones (least allocated, balance, spreading by owner) and binds. Node usage
 * is kept incrementally from pod events, so one scheduling decision costs O(nodes).
 */
export class Scheduler extends Controller {
  readonly name = 'default-scheduler';
  private nodes = new Map<string, NodeInfo>();
  private usage = new Map<string, PodUsage>();
  private unschedulable = new Map<string, { at: number; attempts: number; move?: boolean }>();
  private moveScheduled = false;
  private moveTimer: { at: number; handle: unknown } | undefined;

  protected init(): void {
    this.watch('nodes', (ev) => this.nodeEvent(ev));
    this.watch('pods', (ev) => this.podEvent(ev));
    // A claim created, bound or gone may let a waiting pod through VolumeBinding.
    this.watch('persistentvolumeclaims', () => this.requestMove());
    this.every(30_000, () => this.flushStale());
  }

  override idle(): boolean {
    return super.idle() && !this.moveScheduled;
  }

  override stop(): void {
    if (this.moveTimer) this.clock.clearTimeout(this.moveTimer.handle);
    super.stop();
  }

  private info(name: string): NodeInfo {
    let n = this.nodes.get(name);
    if (!n) this.nodes.set(name, (n = new NodeInfo(name)));
    return n;
  }

  private nodeEvent(ev: StoreEvent): void {
    const info = this.info(ev.object.metadata.name!);
    info.setNode(ev.type === 'DELETED' ? undefined : ev.object);
    if (ev.type !== 'DELETED' && nodeChanged(ev)) this.requestMove();
  }

  private podEvent(ev: StoreEvent): void {
    const pod = ev.object;
    const key = objKey(pod);
    const before = this.usage.get(key);
    // A pod's requests don't change once bound; only its node and whether it still runs do.
    const node = ev.type === 'DELETED' ? undefined : usageNode(pod);
    if (before?.node !== node) {
      const after = node === undefined ? undefined : usageOf(pod);
      if (before) this.info(before.node).add(before, -1);
      if (after) this.info(after.node).add(after, 1);
      if (after) this.usage.set(key, after);
      else this.usage.delete(key);
      if (before) this.requestMove();
    }
    if (ev.type === 'DELETED' || !needsScheduling(pod)) {
      this.unschedulable.delete(key);
      return;
    }
    if (!this.unschedulable.has(key)) this.queue.add(key);
    else if (
      ev.prev &&
      (!jsonEqual(ev.prev.spec, pod.spec) || !jsonEqual(ev.prev.metadata.labels, pod.metadata.labels))
    ) {
      this.unschedulable.delete(key);
      this.queue.add(key);
    }
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = this.store.get('pods', ns, name);
    if (!pod || !needsScheduling(pod)) return;
    const claimProblem = claimsPreFilter(this.store, pod);
    if (claimProblem)
      return this.fail(pod, preFilterMessage([...this.nodes.values()].filter((n) => n.node).length, claimProblem));
    const facts = {
      pod,
      requests: podRequests(pod.spec),
      ports: hostPorts(pod.spec),
      volumeTerms: volumeNodeTerms(this.store, pod),
    };
    const feasible: NodeInfo[] = [];
    const rejections: Rejection[] = [];
    for (const info of this.nodes.values()) {
      if (!info.node) continue;
      const r = filterNode(facts, info);
      if (r) rejections.push(r);
      else feasible.push(info);
    }
    if (!feasible.length) return this.fail(pod, fitErrorMessage(rejections.length, rejections));
    const best = pickNode(pod, nonZeroRequests(pod.spec), controllerRef(pod)?.uid, feasible);
    try {
      bindPod(this.store, ns, name, best.name);
    } catch (e) {
      if (e instanceof ApiError && (e.code === 404 || e.code === 409)) return;
      throw e;
    }
    this.unschedulable.delete(key);
    this.ctx.recorder.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${best.name}`, SOURCE);
  }

  private fail(pod: KObject, message: string): void {
    const key = objKey(pod);
    const now = this.clock.now();
    const prev = this.unschedulable.get(key);
    // Recorded before the status write, whose watch event must not requeue the pod.
    this.unschedulable.set(key, { at: now, attempts: (prev?.attempts ?? 0) + 1 });
    try {
      this.store.mutate(
        'pods',
        pod.metadata.namespace,
        pod.metadata.name!,
        (p) => setPodCondition(p, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message }, now),
        {
          subresource: 'status',
        },
      );
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
      return;
    }
    this.ctx.recorder.record(pod, 'Warning', 'FailedScheduling', message, SOURCE);
  }

  /** Something freed room or changed a node: retry unschedulable pods once their back-off is over. */
  private requestMove(): void {
    for (const u of this.unschedulable.values()) u.move = true;
    if (this.moveScheduled || this.unschedulable.size === 0) return;
    this.moveScheduled = true;
    setImmediate(() => {
      this.moveScheduled = false;
      this.moveDue();
    });
  }

  private moveDue(): void {
    const now = this.clock.now();
    let next = Infinity;
    for (const [key, u] of this.unschedulable) {
      if (!u.move) continue;
      const due = u.at + Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** (u.attempts - 1)) * this.scale;
      if (due <= now) {
        this.unschedulable.delete(key);
        this.queue.add(key);
      } else next = Math.min(next, due);
    }
    if (!Number.isFinite(next)) return;
    if (this.moveTimer && this.moveTimer.at <= next) return;
    if (this.moveTimer) this.clock.clearTimeout(this.moveTimer.handle);
    const handle = this.clock.setTimeout(
      () => {
        this.moveTimer = undefined;
        this.moveDue();
      },
      (next - now) / this.scale,
    );
    this.moveTimer = { at: next, handle };
  }

  private flushStale(): void {
    const now = this.clock.now();
    for (const [key, u] of this.unschedulable) {
      if (now - u.at < MAX_UNSCHEDULABLE_MS * this.scale) continue;
      this.unschedulable.delete(key);
      this.queue.add(key);
    }
  }
}
