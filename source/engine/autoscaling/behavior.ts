import type { HPAScalingRules } from 'kubernetes-types/autoscaling/v2.d.ts';

/** A past recommendation or scale event, with its time in ms since the epoch. */
export interface Recommendation {
  at: number;
  replicas: number;
}

export interface ScaleEvent {
  at: number;
  change: number;
}

export interface Limited {
  replicas: number;
  reason: string;
  message: string;
}

/**
 * Stabilization as upstream: scaling up takes the lowest recommendation of the scale-up window,
 * scaling down the highest of the scale-down window. `history` gets the new recommendation; entries
 * older than both windows are dropped. `scale` turns window seconds into wall ms (time scale).
 */
export function stabilize(
  history: Recommendation[],
  now: number,
  current: number,
  desired: number,
  up: HPAScalingRules,
  down: HPAScalingRules,
  msPerSecond: number,
): Limited & { history: Recommendation[] } {
  const upWindow = (up.stabilizationWindowSeconds ?? 0) * msPerSecond;
  const downWindow = (down.stabilizationWindowSeconds ?? 300) * msPerSecond;
  const scalingUp = desired >= current;
  const cutoff = now - (scalingUp ? upWindow : downWindow);
  let replicas = desired;
  for (const r of history) {
    if (r.at > cutoff) replicas = scalingUp ? Math.min(replicas, r.replicas) : Math.max(replicas, r.replicas);
  }
  const obsolete = now - Math.max(upWindow, downWindow);
  const kept = history.filter((r) => r.at >= obsolete);
  kept.push({ at: now, replicas: desired });
  return scalingUp
    ? {
        replicas,
        history: kept,
        reason: 'ScaleUpStabilized',
        message: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
      }
    : {
        replicas,
        history: kept,
        reason: 'ScaleDownStabilized',
        message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
      };
}

function changeInPeriod(events: ScaleEvent[], now: number, periodMs: number): number {
  let n = 0;
  for (const e of events) if (e.at > now - periodMs) n += e.change;
  return n;
}

function scaleUpLimit(
  current: number,
  ups: ScaleEvent[],
  downs: ScaleEvent[],
  rules: HPAScalingRules,
  now: number,
  msPerSecond: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Infinity : -Infinity;
  for (const p of rules.policies ?? []) {
    const period = p.periodSeconds * msPerSecond;
    const start = current - changeInPeriod(ups, now, period) + changeInPeriod(downs, now, period);
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return Number.isFinite(result) ? result : current;
}

function scaleDownLimit(
  current: number,
  ups: ScaleEvent[],
  downs: ScaleEvent[],
  rules: HPAScalingRules,
  now: number,
  msPerSecond: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? -Infinity : Infinity;
  for (const p of rules.policies ?? []) {
    const period = p.periodSeconds * msPerSecond;
    const start = current - changeInPeriod(ups, now, period) + changeInPeriod(downs, now, period);
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return Number.isFinite(result) ? result : current;
}

/** The scaling policies and min/max applied to a stabilized recommendation (upstream's convertDesiredReplicasWithBehaviorRate). */
export function limitRate(
  args: {
    current: number;
    desired: number;
    min: number;
    max: number;
    up: HPAScalingRules;
    down: HPAScalingRules;
    ups: ScaleEvent[];
    downs: ScaleEvent[];
  },
  now: number,
  msPerSecond: number,
): Limited {
  const { current, desired, min, max } = args;
  if (desired > current) {
    const limit = Math.max(current, scaleUpLimit(current, args.ups, args.downs, args.up, now, msPerSecond));
    const allowed = Math.min(max, limit);
    if (desired > allowed) {
      return max > limit
        ? {
            replicas: allowed,
            reason: 'ScaleUpLimit',
            message: 'the desired replica count is increasing faster than the maximum scale rate',
          }
        : {
            replicas: allowed,
            reason: 'TooManyReplicas',
            message: 'the desired replica count is more than the maximum replica count',
          };
    }
  } else if (desired < current) {
    const limit = Math.min(current, scaleDownLimit(current, args.ups, args.downs, args.down, now, msPerSecond));
    const allowed = Math.max(min, limit);
    if (desired < allowed) {
      return min < limit
        ? {
            replicas: allowed,
            reason: 'ScaleDownLimit',
            message: 'the desired replica count is decreasing faster than the maximum scale rate',
          }
        : {
            replicas: allowed,
            reason: 'TooFewReplicas',
            message: 'the desired replica count is less than the minimum replica count',
          };
    }
  }
  return {
    replicas: desired,
    reason: 'DesiredWithinRange',
    message: 'the desired count is within the acceptable range',
  };
}
