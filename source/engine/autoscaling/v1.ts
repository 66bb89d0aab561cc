import type { HorizontalPodAutoscaler as V1 } from 'kubernetes-types/autoscaling/v1.d.ts';
import type { HorizontalPodAutoscaler as V2, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.d.ts';
import type { KObject } from '../../api-types/index.ts';

/** The CPU utilization metric, the one thing autoscaling/v1 can say. */
function cpuUtilization(metrics: MetricSpec[] | undefined): MetricSpec | undefined {
  return metrics?.find(
    (m) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target.type === 'Utilization',
  );
}

/** autoscaling/v2 (stored) → autoscaling/v1. Fields v1 cannot carry are left out (upstream keeps them in annotations). */
export function toV1(obj: KObject): KObject {
  const h = obj as V2 & KObject;
  const cpu = cpuUtilization(h.spec?.metrics);
  const currentCpu = h.status?.currentMetrics?.find(
    (m: MetricStatus) => m.type === 'Resource' && m.resource?.name === 'cpu',
  )?.resource?.current.averageUtilization;
  const out: V1 = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: h.metadata,
    spec: {
      scaleTargetRef: h.spec!.scaleTargetRef,
      ...(h.spec?.minReplicas !== undefined ? { minReplicas: h.spec.minReplicas } : {}),
      maxReplicas: h.spec!.maxReplicas,
      ...(cpu?.resource?.target.averageUtilization !== undefined
        ? { targetCPUUtilizationPercentage: cpu.resource.target.averageUtilization }
        : {}),
    },
    status: {
      ...(h.status?.observedGeneration !== undefined ? { observedGeneration: h.status.observedGeneration } : {}),
      ...(h.status?.lastScaleTime ? { lastScaleTime: h.status.lastScaleTime } : {}),
      currentReplicas: h.status?.currentReplicas ?? 0,
      desiredReplicas: h.status?.desiredReplicas ?? 0,
      ...(currentCpu !== undefined ? { currentCPUUtilizationPercentage: currentCpu } : {}),
    },
  };
  return out as KObject;
}

/**
 * autoscaling/v1 → v2 for storage. On update, what v1 cannot express (behavior, other metrics)
 * is kept from the stored object.
 */
export function fromV1(obj: KObject, stored?: KObject): KObject {
  const h = obj as V1 & KObject;
  const old = stored as (V2 & KObject) | undefined;
  const spec = (h.spec ?? {}) as NonNullable<V1['spec']>;
  const others = (old?.spec?.metrics ?? []).filter((m: MetricSpec) => m !== cpuUtilization(old?.spec?.metrics));
  const metrics: MetricSpec[] = [
    ...(spec.targetCPUUtilizationPercentage !== undefined
      ? [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage },
            },
          },
        ]
      : []),
    ...others,
  ];
  const out: V2 = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: h.metadata,
    spec: {
      scaleTargetRef: spec.scaleTargetRef,
      ...(spec.minReplicas !== undefined ? { minReplicas: spec.minReplicas } : {}),
      maxReplicas: spec.maxReplicas,
      ...(metrics.length ? { metrics } : {}),
      ...(old?.spec?.behavior ? { behavior: old.spec.behavior } : {}),
    },
    ...(old?.status ? { status: old.status } : {}),
  };
  return out as KObject;
}
