import type { MetricSpec } from 'kubernetes-types/autoscaling/v2.d.ts';
import { labelSelectorString } from '../../api-types/label-selector.ts';

/**
 * Pods, Object and External metrics come from the custom and external metrics APIs, which skiff
 * does not serve (no adapter can register one). The HPA reports them as upstream's controller
 * does on a cluster without those APIs: a Warning event and ScalingActive=False with its reason.
 */
export interface UnsupportedMetric {
  /** Event and condition reason: FailedGetPodsMetric, FailedGetObjectMetric, FailedGetExternalMetric. */
  reason: string;
  /** The metric's own error (the event message, and the condition's after its prefix). */
  error: string;
  /** As FailedComputeMetricsReplicas quotes it. */
  wrapped: string;
}

const NO_CUSTOM_API =
  'unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered';

export function unsupportedMetric(spec: MetricSpec, namespace: string): UnsupportedMetric {
  switch (spec.type) {
    case 'Pods': {
      const error = `unable to get metric ${spec.pods?.metric.name ?? ''}: ${NO_CUSTOM_API}`;
      return { reason: 'FailedGetPodsMetric', error, wrapped: `failed to get pods metric value: ${error}` };
    }
    case 'Object': {
      const o = spec.object?.describedObject;
      const error = `unable to get metric ${spec.object?.metric.name ?? ''}: ${o?.kind ?? ''} on ${namespace} ${o?.name ?? ''}/${NO_CUSTOM_API}`;
      return { reason: 'FailedGetObjectMetric', error, wrapped: `failed to get object metric value: ${error}` };
    }
    case 'External': {
      const name = spec.external?.metric.name ?? '';
      const selector = labelSelectorString(spec.external?.metric.selector) ?? '';
      const error = `unable to get external metric ${namespace}/${name}/${selector}: unable to fetch metrics from external metrics API: the server could not find the requested resource (get ${name}.external.metrics.k8s.io)`;
      return { reason: 'FailedGetExternalMetric', error, wrapped: `failed to get external metric value: ${error}` };
    }
    default: {
      const error = `metric type ${spec.type} is not supported by skiff (Resource metrics only)`;
      return { reason: `FailedGet${spec.type}Metric`, error, wrapped: error };
    }
  }
}
