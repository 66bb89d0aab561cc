import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.d.ts';
import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

const MAX_SHOWN = 2;

function quantity(q: unknown): string {
  return q === undefined || q === null ? '<unknown>' : String(q);
}

/** One metric as `kubectl get hpa` shows it in TARGETS: `cpu: 12%/50%`, `memory: 10Mi/100Mi`. */
function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'Resource': {
      const r = spec.resource!;
      if (r.target.averageValue !== undefined)
        return `${r.name}: ${status?.resource ? quantity(status.resource.current.averageValue) : '<unknown>'}/${r.target.averageValue}`;
      const current = status?.resource?.current.averageUtilization;
      const target = r.target.averageUtilization !== undefined ? `${r.target.averageUtilization}%` : '<auto>';
      return `${r.name}: ${current !== undefined ? `${current}%` : '<unknown>'}/${target}`;
    }
    case 'ContainerResource': {
      const r = spec.containerResource!;
      if (r.target.averageValue !== undefined)
        return `${r.name}: ${status?.containerResource ? quantity(status.containerResource.current.averageValue) : '<unknown>'}/${r.target.averageValue}`;
      const current = status?.containerResource?.current.averageUtilization;
      const target = r.target.averageUtilization !== undefined ? `${r.target.averageUtilization}%` : '<auto>';
      return `${r.name}: ${current !== undefined ? `${current}%` : '<unknown>'}/${target}`;
    }
    case 'Pods':
      return `${status?.pods ? quantity(status.pods.current.averageValue) : '<unknown>'}/${spec.pods!.target.averageValue}`;
    case 'Object':
    case 'External': {
      const s = spec.type === 'Object' ? spec.object! : spec.external!;
      const cur = spec.type === 'Object' ? status?.object?.current : status?.external?.current;
      if (s.target.averageValue !== undefined)
        return `${cur?.averageValue !== undefined ? quantity(cur.averageValue) : '<unknown>'}/${s.target.averageValue} (avg)`;
      return `${cur ? quantity(cur.value) : '<unknown>'}/${s.target.value}`;
    }
    default:
      return '<unknown type>';
  }
}

export function formatHpaTargets(hpa: HorizontalPodAutoscaler): string {
  const specs = hpa.spec?.metrics ?? [];
  if (!specs.length) return '<none>';
  const statuses = hpa.status?.currentMetrics ?? [];
  const list = specs.map((s, i) => formatMetric(s, statuses[i]));
  const shown = list.slice(0, MAX_SHOWN).join(', ');
  return list.length > MAX_SHOWN ? `${shown} + ${list.length - MAX_SHOWN} more...` : shown;
}

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Reference', 'string', 'reference is the target resource being scaled.'),
    column('Targets', 'string', 'the current and target values of the metrics.'),
    column('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas.'),
    column('MaxPods', 'integer', 'maxReplicas is the upper limit for the number of replicas.'),
    column('Replicas', 'integer', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
    ageColumn,
  ],
  row(obj: KObject, now: number) {
    const hpa = obj as HorizontalPodAutoscaler;
    const ref = hpa.spec?.scaleTargetRef;
    return [
      obj.metadata.name,
      `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
      formatHpaTargets(hpa),
      hpa.spec?.minReplicas !== undefined ? String(hpa.spec.minReplicas) : '<unset>',
      hpa.spec?.maxReplicas ?? 0,
      hpa.status?.currentReplicas ?? 0,
      translateTimestampSince(obj.metadata.creationTimestamp, now),
    ];
  },
};
