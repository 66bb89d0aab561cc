import type {
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerCondition,
  MetricSpec,
  MetricStatus,
} from 'kubernetes-types/autoscaling/v2.d.ts';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { rfc3339 } from '../clock.ts';
import { Controller } from '../framework/controller.ts';
import { splitKey } from '../framework/cache.ts';
import { amountOf } from '../admission/quantity.ts';
import { defaultScaleDown, defaultScaleUp } from '../resources/autoscaling.ts';
import { labelSelectorString } from '../../api-types/label-selector.ts';
import { limitRate, stabilize, type Recommendation, type ScaleEvent } from './behavior.ts';
import { unsupportedMetric } from './unsupported-metrics.ts';
import { calculateReplicas, MetricError, type PodSample, type Proposal } from './replica-calculator.ts';

const HPA = 'horizontalpodautoscalers.autoscaling';
const SOURCE = { component: 'horizontal-pod-autoscaler' };
/** Upstream's --horizontal-pod-autoscaler-sync-period (before time scaling). */
export const HPA_SYNC_SECONDS = 15;

/** What a scaleTargetRef kind is stored as; custom resources with a scale subresource are not followed. */
const TARGETS: Record<string, string> = {
  Deployment: 'deployments.apps',
  ReplicaSet: 'replicasets.apps',
  StatefulSet: 'statefulsets.apps',
  ReplicationController: 'replicationcontrollers',
};

interface Memory {
  recommendations: Recommendation[];
  ups: ScaleEvent[];
  downs: ScaleEvent[];
}

/**
 * The horizontal pod autoscaler: every sync period, for each HPA, the replica count each resource
 * metric asks for (measured usage from `ctx.metrics`, the metrics.k8s.io figures), the largest of
 * them, stabilized and rate-limited by `behavior` (upstream's defaults when unset), written to
 * the target's spec.replicas; status, conditions and SuccessfulRescale events as upstream.
 */
export class HpaController extends Controller {
  readonly name = 'horizontal-pod-autoscaler';
  private memory = new Map<string, Memory>();

  protected init(): void {
    this.watch(HPA, (ev) => {
      const key = `${ev.object.metadata.namespace}/${ev.object.metadata.name}`;
      if (ev.type === 'DELETED') return void this.memory.delete(key);
      // Our own status writes come back as events: only a spec change needs a sync now.
      if (ev.type === 'MODIFIED' && ev.prev && ev.prev.metadata.generation === ev.object.metadata.generation) return;
      this.queue.add(key);
    });
    this.every(HPA_SYNC_SECONDS * 1000, () => {
      for (const h of this.store.list(HPA).items) this.queue.add(`${h.metadata.namespace}/${h.metadata.name}`);
    });
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const obj = this.store.get(HPA, ns, name);
    if (!obj) return;
    const hpa = structuredClone(obj) as HorizontalPodAutoscaler & KObject;
    const now = this.clock.now();
    const status = hpa.status ?? { desiredReplicas: 0 };
    const conditions: HorizontalPodAutoscalerCondition[] = [...(status.conditions ?? [])];
    const setCondition = (type: string, ok: boolean, reason: string, message: string) =>
      setCond(conditions, type, ok, reason, message, now);
    const ref = hpa.spec!.scaleTargetRef;
    const resource = TARGETS[ref.kind];
    const target = resource ? this.store.get(resource, ns, ref.name) : undefined;
    if (!target) {
      const why = resource
        ? `${resource} "${ref.name}" not found`
        : `no matches for kind "${ref.kind}" in group "${ref.apiVersion?.split('/')[0] ?? ''}"`;
      setCondition(
        'AbleToScale',
        false,
        'FailedGetScale',
        `the HPA controller was unable to get the target's current scale: ${why}`,
      );
      this.ctx.recorder.record(obj, 'Warning', 'FailedGetScale', why, SOURCE);
      return this.writeStatus(obj, { ...status, conditions });
    }
    setCondition(
      'AbleToScale',
      true,
      'SucceededGetScale',
      "the HPA controller was able to get the target's current scale",
    );
    const current: number = target.spec?.replicas ?? 1;
    const min = hpa.spec!.minReplicas ?? 1;
    const max = hpa.spec!.maxReplicas;
    let desired = current;
    let reason = '';
    let currentMetrics = status.currentMetrics;
    if (current === 0 && min !== 0) {
      desired = 0;
      setCondition(
        'ScalingActive',
        false,
        'ScalingDisabled',
        'scaling is disabled since the replica count of the target is zero',
      );
    } else if (current > max) {
      desired = max;
      reason = 'Current number of replicas above Spec.MaxReplicas';
    } else if (current < min) {
      desired = min;
      reason = 'Current number of replicas below Spec.MinReplicas';
    } else {
      const computed = this.computeMetrics(hpa, target, current);
      if ('error' in computed) {
        setCondition(
          'ScalingActive',
          false,
          computed.reason,
          `the HPA was unable to compute the replica count: ${computed.error}`,
        );
        this.ctx.recorder.record(obj, 'Warning', computed.reason, computed.error, SOURCE);
        this.ctx.recorder.record(
          obj,
          'Warning',
          'FailedComputeMetricsReplicas',
          `invalid metrics (${computed.failed} invalid out of ${hpa.spec!.metrics!.length}), first error is: ${computed.wrapped}`,
          SOURCE,
        );
        return this.writeStatus(obj, {
          ...status,
          currentReplicas: current,
          currentMetrics: computed.statuses,
          conditions,
        });
      }
      currentMetrics = computed.statuses;
      setCondition(
        'ScalingActive',
        true,
        'ValidMetricFound',
        `the HPA was able to successfully calculate a replica count from ${computed.metricName}`,
      );
      desired = this.normalize(key, hpa, current, computed.replicas, now, setCondition);
      if (desired > current) reason = `${computed.metricName} above target`;
      else if (desired < current) reason = 'All metrics below target';
    }
    let lastScaleTime = status.lastScaleTime;
    if (desired !== current) {
      this.store.mutate(resource!, ns, ref.name, (o) => {
        o.spec.replicas = desired;
      });
      this.remember(key, now, desired - current);
      lastScaleTime = rfc3339(now);
      this.ctx.recorder.record(obj, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`, SOURCE);
    }
    this.writeStatus(obj, {
      observedGeneration: hpa.metadata!.generation,
      ...(lastScaleTime ? { lastScaleTime } : {}),
      currentReplicas: current,
      desiredReplicas: desired,
      ...(currentMetrics?.length ? { currentMetrics } : {}),
      conditions,
    });
  }

  private computeMetrics(
    hpa: HorizontalPodAutoscaler,
    target: KObject,
    current: number,
  ):
    | { replicas: number; metricName: string; statuses: MetricStatus[] }
    | { error: string; reason: string; wrapped: string; failed: number; statuses: MetricStatus[] } {
    const ns = hpa.metadata!.namespace!;
    const selector = labelSelectorString(
      target.kind === 'ReplicationController' ? { matchLabels: target.spec?.selector } : target.spec?.selector,
    );
    // A malformed selector selects no pods (upstream reports it as a conversion error).
    const pods =
      selector === undefined
        ? []
        : (this.store.list('pods', { namespace: ns, labelSelector: selector || undefined }).items as Pod[]);
    let best: { replicas: number; metricName: string } | undefined;
    const statuses: MetricStatus[] = [];
    let firstError: { error: string; reason: string; wrapped: string } | undefined;
    let failed = 0;
    for (const spec of hpa.spec!.metrics ?? []) {
      if (spec.type !== 'Resource') {
        failed++;
        const u = unsupportedMetric(spec, ns);
        firstError ??= u;
        statuses.push({ type: '' });
        continue;
      }
      try {
        const { proposal, metricName, status } = this.resourceProposal(spec, pods, current);
        statuses.push(status);
        if (!best || proposal.replicas > best.replicas) best = { replicas: proposal.replicas, metricName };
      } catch (e) {
        failed++;
        const error = `failed to get ${spec.resource?.name} utilization: ${(e as Error).message}`;
        firstError ??= { error, reason: 'FailedGetResourceMetric', wrapped: error };
        statuses.push({ type: '' });
      }
    }
    // As upstream: all metrics invalid, or some invalid and the valid ones would scale down — no change.
    if (!best || failed === statuses.length || (failed > 0 && best.replicas < current)) {
      const e = firstError ?? { error: 'no metrics', reason: 'FailedGetResourceMetric', wrapped: 'no metrics' };
      return { ...e, failed, statuses: statuses.filter((x) => x.type) };
    }
    if (firstError) this.ctx.recorder.record(hpa as KObject, 'Warning', firstError.reason, firstError.error, SOURCE);
    return { ...best, statuses: statuses.filter((x) => x.type) };
  }

  private resourceProposal(
    spec: MetricSpec,
    pods: Pod[],
    current: number,
  ): { proposal: Proposal; metricName: string; status: MetricStatus } {
    if (!spec.resource) throw new MetricError('no resource given');
    const source = this.ctx.metrics;
    if (!source)
      throw new MetricError('unable to fetch metrics from resource metrics API: the metrics pipeline is not running');
    const name = spec.resource.name;
    const samples: PodSample[] = pods.map((pod) => {
      const m = source.pod(pod.metadata!.namespace!, pod.metadata!.name!);
      const usage = m
        ? m.containers.reduce((a, c) => a + (name === 'cpu' ? c.cpu / 1e6 : name === 'memory' ? c.memory * 1000 : 0), 0)
        : undefined;
      let request: number | undefined = 0;
      let missingRequestIn: string | undefined;
      for (const c of pod.spec?.containers ?? []) {
        const q = c.resources?.requests?.[name];
        if (q === undefined) {
          request = undefined;
          missingRequestIn = c.name;
          break;
        }
        request += name === 'cpu' ? amountOf('cpu', q) : amountOf(name, q) * 1000;
      }
      return { name: pod.metadata!.name!, pod, usage, request, missingRequestIn };
    });
    const t = spec.resource.target;
    if (t.type === 'Utilization') {
      const proposal = calculateReplicas(current, samples, name, { utilization: t.averageUtilization ?? 80 });
      return {
        proposal,
        metricName: `${name} resource utilization (percentage of request)`,
        status: {
          type: 'Resource',
          resource: {
            name,
            current: { averageUtilization: proposal.utilization, averageValue: milliQuantity(proposal.average) },
          },
        },
      };
    }
    const averageValue = name === 'cpu' ? amountOf('cpu', t.averageValue) : amountOf(name, t.averageValue) * 1000;
    const proposal = calculateReplicas(current, samples, name, { averageValue });
    return {
      proposal,
      metricName: `${name} resource`,
      status: { type: 'Resource', resource: { name, current: { averageValue: milliQuantity(proposal.average) } } },
    };
  }

  /** Stabilization windows and scaling policies (upstream's normalizeDesiredReplicasWithBehaviors). */
  private normalize(
    key: string,
    hpa: HorizontalPodAutoscaler,
    current: number,
    proposed: number,
    now: number,
    setCondition: (t: string, ok: boolean, r: string, m: string) => void,
  ): number {
    const up = hpa.spec!.behavior?.scaleUp ?? defaultScaleUp();
    const down = hpa.spec!.behavior?.scaleDown ?? defaultScaleDown();
    const mem = this.memoryOf(key, now, current);
    const msPerSecond = 1000 * this.scale;
    const stabilized = stabilize(mem.recommendations, now, current, proposed, up, down, msPerSecond);
    mem.recommendations = stabilized.history;
    if (stabilized.replicas !== proposed) setCondition('AbleToScale', true, stabilized.reason, stabilized.message);
    else setCondition('AbleToScale', true, 'ReadyForNewScale', 'recommended size matches current size');
    const limited = limitRate(
      {
        current,
        desired: stabilized.replicas,
        min: hpa.spec!.minReplicas ?? 1,
        max: hpa.spec!.maxReplicas,
        up,
        down,
        ups: mem.ups,
        downs: mem.downs,
      },
      now,
      msPerSecond,
    );
    setCondition('ScalingLimited', limited.replicas !== stabilized.replicas, limited.reason, limited.message);
    return limited.replicas;
  }

  /** Like upstream after a restart: the first recommendation is the current size, so no scale-down comes at once. */
  private memoryOf(key: string, now: number, current: number): Memory {
    let m = this.memory.get(key);
    if (!m) this.memory.set(key, (m = { recommendations: [{ at: now, replicas: current }], ups: [], downs: [] }));
    return m;
  }

  private remember(key: string, now: number, change: number): void {
    const m = this.memory.get(key);
    if (!m) return;
    // Policies look back at most 30 minutes (periodSeconds ≤ 1800).
    const keep = (e: ScaleEvent) => e.at > now - 1800 * 1000 * this.scale;
    m.ups = m.ups.filter(keep);
    m.downs = m.downs.filter(keep);
    if (change > 0) m.ups.push({ at: now, change });
    else m.downs.push({ at: now, change: -change });
  }

  private writeStatus(obj: KObject, status: HorizontalPodAutoscaler['status']): void {
    if (JSON.stringify(obj.status) === JSON.stringify(status)) return;
    try {
      this.store.mutate(HPA, obj.metadata.namespace, obj.metadata.name!, (o) => void (o.status = status), {
        subresource: 'status',
      });
    } catch (e) {
      this.ctx.log(
        `horizontal-pod-autoscaler: status of ${obj.metadata.namespace}/${obj.metadata.name}: ${(e as Error).message}`,
      );
    }
  }
}

function setCond(
  conditions: HorizontalPodAutoscalerCondition[],
  type: string,
  ok: boolean,
  reason: string,
  message: string,
  now: number,
): void {
  const status = ok ? 'True' : 'False';
  const i = conditions.findIndex((c) => c.type === type);
  const prev = conditions[i];
  const c = {
    type,
    status,
    lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : rfc3339(now),
    reason,
    message,
  };
  if (i >= 0) conditions[i] = c;
  else conditions.push(c);
}

/** A value in milli-units as a Quantity string (`250m`, `2`, `10485760`). */
export function milliQuantity(milli: number): string {
  const m = Math.round(milli);
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}
