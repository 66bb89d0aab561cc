import type { KObject } from '../../api-types/index.ts';
import { intOrPercent } from '../resources/validation.ts';
import { jsonEqual } from '../store/freeze.ts';
import { matchesNodeSelection, type Toleration, untoleratedTaint } from '../scheduler/taints.ts';
import { computeHash } from './deployment-util.ts';
import { Cache, objKey, splitKey } from '../framework/cache.ts';
import { Controller } from '../framework/controller.ts';
import { controllerRef } from '../framework/owner-refs.ts';
import { isPodAvailable, isPodReady, parseTime, podFromTemplate, readySince } from './pods.ts';
import { isNotFound } from '../store/errors.ts';
import { REVISIONS, ensureRevision, trimHistory } from './history.ts';

const DS = 'daemonsets.apps';
const SOURCE = { component: 'daemonset-controller' };
export const REVISION_HASH = 'controller-revision-hash';

/** Tolerations every DaemonSet pod gets (upstream's AddOrUpdateDaemonPodTolerations). */
function daemonTolerations(spec: { hostNetwork?: boolean; tolerations?: Toleration[] } | undefined): Toleration[] {
  const list: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec?.hostNetwork)
    list.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  const out: Toleration[] = [...(spec?.tolerations ?? [])];
  for (const t of list) if (!out.some((x) => x.key === t.key && x.effect === t.effect)) out.push(t);
  return out;
}

/** Whether a daemon pod should start on the node, and whether a running one may stay. */
export function nodeShouldRun(ds: KObject, node: KObject): { run: boolean; stay: boolean } {
  const spec = ds.spec?.template?.spec ?? {};
  if (!matchesNodeSelection(spec, node)) return { run: false, stay: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = daemonTolerations(spec);
  return { run: !untoleratedTaint(taints, tolerations), stay: !untoleratedTaint(taints, tolerations, ['NoExecute']) };
}

/** The node a daemon pod is for: its nodeName, or the node its required affinity pins. */
function targetNode(pod: KObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
    ?.nodeSelectorTerms ?? []) {
    for (const f of term?.matchFields ?? [])
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/**
 * One pod per eligible node. Pods are pinned by required node affinity on `metadata.name`
 * (as upstream does) and placed by the scheduler; rolling updates replace at most
 * maxUnavailable pods at a time.
 */
export class DaemonSetController extends Controller {
  readonly name = 'daemonset-controller';
  private sets = new Cache({ uid: (o) => [o.metadata.uid!] });
  private nodes = new Cache();
  private pods = new Cache(
    {
      owner: (o) => {
        const r = controllerRef(o);
        return r?.kind === 'DaemonSet' ? [r.uid] : [];
      },
    },
    { indexedOnly: true },
  );
  private revisions = new Cache({
    owner: (o) => {
      const r = controllerRef(o);
      return r?.kind === 'DaemonSet' ? [r.uid] : [];
    },
  });

  protected init(): void {
    this.watch(DS, (ev) => {
      this.sets.apply(ev);
      this.queue.add(objKey(ev.object));
    });
    this.watch(REVISIONS, (ev) => this.revisions.apply(ev));
    this.watch('nodes', (ev) => {
      this.nodes.apply(ev);
      for (const ds of this.sets.all()) this.queue.add(objKey(ds));
    });
    this.watch('pods', (ev) => {
      this.pods.apply(ev);
      const ref = controllerRef(ev.object);
      const ds = ref?.kind === 'DaemonSet' ? this.sets.by('uid', ref.uid)[0] : undefined;
      if (ds) this.queue.add(objKey(ds));
    });
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const ds = this.store.get(DS, ns, name);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const hash = computeHash(ds.spec.template);
    const revision = ensureRevision(this.store, ds, this.revisions.by('owner', ds.metadata.uid!));
    const byNode = new Map<string, KObject[]>();
    for (const pod of this.pods.by('owner', ds.metadata.uid!)) {
      const node = targetNode(pod) ?? '';
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    const create: string[] = [];
    const remove: KObject[] = [];
    for (const node of this.nodes.all()) {
      const nodeName = node.metadata.name!;
      const { run, stay } = nodeShouldRun(ds, node);
      const pods = byNode.get(nodeName) ?? [];
      byNode.delete(nodeName);
      const running: KObject[] = [];
      for (const p of pods) {
        if (p.metadata.deletionTimestamp) continue;
        if (p.status?.phase === 'Failed') remove.push(p);
        else running.push(p);
      }
      if (run && running.length === 0) create.push(nodeName);
      else if (!stay) remove.push(...running);
      else if (running.length > 1) {
        // Keep the oldest; duplicates can appear after a node flaps.
        running.sort((a, b) => parseTime(a.metadata.creationTimestamp) - parseTime(b.metadata.creationTimestamp));
        remove.push(...running.slice(1));
      }
    }
    // Pods for nodes that no longer exist.
    for (const pods of byNode.values()) remove.push(...pods.filter((p) => !p.metadata.deletionTimestamp));
    for (const node of create) this.createPod(ds, node, hash);
    for (const pod of remove) this.deletePod(ds, pod);
    if (!create.length && !remove.length && ds.spec.updateStrategy?.type !== 'OnDelete') this.rollingUpdate(ds, hash);
    this.updateStatus(ds, hash);
    const hashes = new Set(this.pods.by('owner', ds.metadata.uid!).map((p) => p.metadata.labels?.[REVISION_HASH]));
    const live = new Set(
      this.revisions
        .by('owner', ds.metadata.uid!)
        .filter((r) => hashes.has(r.metadata.labels?.[REVISION_HASH]))
        .map((r) => r.metadata.name!),
    );
    live.add(revision.metadata.name!);
    trimHistory(this.store, ds, this.revisions.by('owner', ds.metadata.uid!), live);
  }

  private createPod(ds: KObject, node: string, hash: string): void {
    const pod = podFromTemplate(ds.spec.template, ds, {
      [REVISION_HASH]: hash,
      'pod-template-generation': String(ds.metadata.generation ?? 1),
    });
    pod.spec.tolerations = daemonTolerations(pod.spec);
    pod.spec.affinity = {
      ...(pod.spec.affinity ?? {}),
      nodeAffinity: {
        ...(pod.spec.affinity?.nodeAffinity ?? {}),
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
        },
      },
    };
    try {
      const created = this.store.create('pods', pod);
      this.ctx.recorder.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, SOURCE);
    } catch (e) {
      this.ctx.recorder.record(ds, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`, SOURCE);
      throw e;
    }
  }

  private deletePod(ds: KObject, pod: KObject): void {
    try {
      this.store.delete('pods', pod.metadata.namespace, pod.metadata.name!);
      this.ctx.recorder.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, SOURCE);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** The live daemon pod per eligible node. */
  private nodePods(ds: KObject): Array<{ node: KObject; pod?: KObject }> {
    const pods = this.pods.by('owner', ds.metadata.uid!).filter((p) => !p.metadata.deletionTimestamp);
    const out: Array<{ node: KObject; pod?: KObject }> = [];
    for (const node of this.nodes.all()) {
      if (!nodeShouldRun(ds, node).run) continue;
      out.push({ node, pod: pods.find((p) => targetNode(p) === node.metadata.name) });
    }
    return out;
  }

  private rollingUpdate(ds: KObject, hash: string): void {
    const now = this.clock.now();
    const minReady = ds.spec.minReadySeconds ?? 0;
    const slots = this.nodePods(ds);
    const ru = ds.spec.updateStrategy?.rollingUpdate ?? {};
    const maxUnavailable = Math.max(1, intOrPercent(ru.maxUnavailable ?? 1, slots.length, true) || 0);
    let unavailable = slots.filter((s) => !s.pod || !isPodAvailable(s.pod, minReady, now, this.scale)).length;
    const old = slots.filter((s) => s.pod && s.pod.metadata.labels?.[REVISION_HASH] !== hash).map((s) => s.pod!);
    // Old pods that are not available anyway go first; available ones only within the budget.
    for (const pod of old) if (!isPodAvailable(pod, minReady, now, this.scale)) this.deletePod(ds, pod);
    for (const pod of old) {
      if (!isPodAvailable(pod, minReady, now, this.scale) || unavailable >= maxUnavailable) continue;
      this.deletePod(ds, pod);
      unavailable++;
    }
  }

  private updateStatus(ds: KObject, hash: string): void {
    const now = this.clock.now();
    const minReady = ds.spec.minReadySeconds ?? 0;
    const slots = this.nodePods(ds);
    const live = this.pods.by('owner', ds.metadata.uid!).filter((p) => !p.metadata.deletionTimestamp);
    const eligible = new Set(slots.map((s) => s.node.metadata.name));
    const misscheduled = new Set(live.map(targetNode).filter((n) => n && !eligible.has(n)));
    const scheduled = slots.filter((s) => s.pod);
    const available = scheduled.filter((s) => isPodAvailable(s.pod!, minReady, now, this.scale)).length;
    const soon = scheduled
      .filter((s) => isPodReady(s.pod!) && !isPodAvailable(s.pod!, minReady, now, this.scale))
      .map((s) => readySince(s.pod!) + minReady * 1000 * this.scale);
    if (soon.length) this.queue.addAfter(objKey(ds), Math.max(1, (Math.min(...soon) - now) / this.scale));
    const status: Record<string, unknown> = {
      currentNumberScheduled: scheduled.length,
      numberMisscheduled: misscheduled.size,
      desiredNumberScheduled: slots.length,
      numberReady: scheduled.filter((s) => isPodReady(s.pod!)).length,
      observedGeneration: ds.metadata.generation,
    };
    const updated = scheduled.filter((s) => s.pod!.metadata.labels?.[REVISION_HASH] === hash).length;
    if (updated) status.updatedNumberScheduled = updated;
    if (available) status.numberAvailable = available;
    if (slots.length - available > 0) status.numberUnavailable = slots.length - available;
    if (jsonEqual(status, ds.status)) return;
    this.store.mutate(
      DS,
      ds.metadata.namespace,
      ds.metadata.name!,
      (o) => {
        o.status = status;
      },
      { subresource: 'status' },
    );
  }
}
