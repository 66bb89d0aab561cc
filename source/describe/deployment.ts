import type { PodTemplateSpec } from 'kubernetes-types/core/v1.d.ts';
import { labelSelectorString } from '../api-types/label-selector.ts';
import type { KObject } from '../api-types/index.ts';
import { describeEvents } from './events.ts';
import { controllerOf, formatTime, intOrString, printAnnotationsMultiline, printLabelsMultiline } from './format.ts';
import { describePodTemplate } from './podtemplate.ts';
import { PrefixWriter } from './writer.ts';

export function describeDeployment(d: KObject, replicaSets: KObject[], events: KObject[], now: number): string {
  const w = new PrefixWriter();
  const spec = d.spec ?? {};
  const status = d.status ?? {};
  w.write(0, `Name:\t${d.metadata.name ?? ''}\n`);
  w.write(0, `Namespace:\t${d.metadata.namespace ?? ''}\n`);
  w.write(0, `CreationTimestamp:\t${formatTime(d.metadata.creationTimestamp)}\n`);
  printLabelsMultiline(w, 'Labels', d.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', d.metadata.annotations);
  w.write(0, `Selector:\t${labelSelectorString(spec.selector) ?? ''}\n`);
  w.write(
    0,
    `Replicas:\t${spec.replicas ?? 0} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ` +
      `${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
  );
  w.write(0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`);
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  const ru = spec.strategy?.rollingUpdate;
  if (ru)
    w.write(
      0,
      `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable)} max unavailable, ${intOrString(ru.maxSurge)} max surge\n`,
    );
  describePodTemplate(spec.template, w);
  if (status.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n');
    w.write(1, '----\t------\t------\n');
    for (const c of status.conditions) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  const { oldRSs, newRS } = splitReplicaSets(d, replicaSets);
  if (oldRSs.length > 0 || newRS) {
    w.write(0, `OldReplicaSets:\t${rsList(oldRSs)}\n`);
    w.write(0, `NewReplicaSet:\t${rsList(newRS ? [newRS] : [])}\n`);
  }
  describeEvents(events, w, now);
  return w.toString();
}

const rsList = (list: KObject[]) =>
  list
    .map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`)
    .join(', ') || '<none>';

/**
 * The deployment's ReplicaSets (controller ownerRef uid), oldest first; the new one is the oldest
 * whose pod template equals the deployment's, ignoring the pod-template-hash label.
 */
export function splitReplicaSets(d: KObject, replicaSets: KObject[]): { oldRSs: KObject[]; newRS?: KObject } {
  const owned = replicaSets
    .filter((rs) => d.metadata.uid !== undefined && controllerOf(rs)?.uid === d.metadata.uid)
    .sort((a, b) => {
      const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
      const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
      if (ta !== tb) return ta - tb;
      return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
    });
  const target = normalize(withoutHash(d.spec?.template));
  const newRS = owned.find((rs) => deepEqual(normalize(withoutHash(rs.spec?.template)), target));
  return { oldRSs: owned.filter((rs) => rs !== newRS), newRS };
}

function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec | undefined {
  if (!template?.metadata?.labels) return template;
  const { 'pod-template-hash': _hash, ...labels } = template.metadata.labels;
  return { ...template, metadata: { ...template.metadata, labels } };
}

// Go's semantic equality treats absent, null, zero values and empty maps/slices alike.
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.length === 0 ? undefined : v.map((x) => normalize(x) ?? null);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const n = normalize(x);
      if (n !== undefined) out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (v === null || v === '' || v === 0 || v === false) return undefined;
  return v;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
