import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { describe, expect, it } from 'vitest';
import { calculateReplicas, type PodSample } from '../../../source/engine/autoscaling/replica-calculator.ts';
import { limitRate, stabilize } from '../../../source/engine/autoscaling/behavior.ts';
import { defaultScaleDown, defaultScaleUp } from '../../../source/engine/resources/autoscaling.ts';

function sample(
  name: string,
  usage: number | undefined,
  opts: { request?: number; ready?: boolean; phase?: string } = {},
): PodSample {
  const pod: Pod = {
    metadata: { name },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }],
    },
  };
  return { name, pod, usage, request: opts.request ?? 100 };
}

describe('calculateReplicas (upstream ReplicaCalculator semantics)', () => {
  it('ceil(ratio × ready pods); utilization truncated to whole percent', () => {
    const p = calculateReplicas(2, [sample('a', 150), sample('b', 151)], 'cpu', { utilization: 50 });
    // 150.5 % truncates to 150 %: ratio exactly 3, so 6 and not 7.
    expect(p).toEqual({ replicas: 6, utilization: 150, average: 150 });
  });

  it('within the 0.1 tolerance: no change', () => {
    expect(
      calculateReplicas(3, [sample('a', 54), sample('b', 54), sample('c', 54)], 'cpu', { utilization: 50 }).replicas,
    ).toBe(3);
    expect(
      calculateReplicas(3, [sample('a', 56), sample('b', 56), sample('c', 56)], 'cpu', { utilization: 50 }).replicas,
    ).toBe(4);
  });

  it('scale up with unready pods counts them at zero; scale down with missing pods counts them at 100 %', () => {
    // 2 ready at 100 % and 2 unready: (200 + 0 + 0) / 400 = 50 % → ratio 1 → no change.
    const up = calculateReplicas(
      4,
      [
        sample('a', 100),
        sample('b', 100),
        sample('c', 0, { ready: false }),
        sample('d', undefined, { phase: 'Pending' }),
      ],
      'cpu',
      { utilization: 50 },
    );
    expect(up.replicas).toBe(4);
    // 1 ready at 10 %, 1 missing assumed at 100 %: (10 + 100) / 200 = 55 % vs 50 % → within tolerance.
    const down = calculateReplicas(2, [sample('a', 10), sample('b', undefined)], 'cpu', { utilization: 50 });
    expect(down.replicas).toBe(2);
  });

  it('AverageValue targets; errors for no pods, no metrics and a missing request', () => {
    expect(calculateReplicas(1, [sample('a', 300)], 'memory', { averageValue: 100 }).replicas).toBe(3);
    expect(() => calculateReplicas(1, [], 'cpu', { utilization: 50 })).toThrow(
      'no pods returned by selector while calculating replica count',
    );
    expect(() => calculateReplicas(1, [sample('a', undefined)], 'cpu', { utilization: 50 })).toThrow(
      'no metrics returned from resource metrics API',
    );
    const noReq = { ...sample('a', 10), request: undefined, missingRequestIn: 'web' };
    expect(() => calculateReplicas(1, [noReq], 'cpu', { utilization: 50 })).toThrow(
      'missing request for cpu in container web of Pod a',
    );
  });

  it('failed and deleted pods are ignored', () => {
    const p = calculateReplicas(2, [sample('a', 100), sample('b', 900, { phase: 'Failed' })], 'cpu', {
      utilization: 50,
    });
    expect(p.replicas).toBe(2);
  });
});

describe('behavior: stabilization and scaling policies', () => {
  const up = defaultScaleUp();
  const down = defaultScaleDown();
  const s = 1000;

  it('scale down takes the highest recommendation of the last 300 s', () => {
    const history = [
      { at: 0, replicas: 5 },
      { at: 200 * s, replicas: 4 },
    ];
    expect(stabilize(history, 250 * s, 5, 1, up, down, s).replicas).toBe(5);
    expect(stabilize(history, 301 * s, 5, 1, up, down, s)).toMatchObject({
      replicas: 4,
      reason: 'ScaleDownStabilized',
    });
    expect(stabilize(history, 501 * s, 5, 1, up, down, s).replicas).toBe(1);
  });

  it('scale up: max(4 pods, 100 %) per 15 s; max replicas; scale down by at most 100 % per 15 s, not below min', () => {
    const base = { min: 1, max: 10, up, down, ups: [], downs: [] };
    expect(limitRate({ ...base, current: 1, desired: 9 }, 0, s)).toMatchObject({ replicas: 5, reason: 'ScaleUpLimit' });
    expect(limitRate({ ...base, current: 6, desired: 20 }, 0, s)).toMatchObject({
      replicas: 10,
      reason: 'TooManyReplicas',
    });
    // 4 were added 5 s ago: this period started at 2, so 2 + 4 = 6 at most.
    expect(limitRate({ ...base, current: 6, desired: 9, ups: [{ at: 10 * s, change: 4 }] }, 15 * s, s).replicas).toBe(
      6,
    );
    expect(limitRate({ ...base, current: 6, desired: 0 }, 0, s)).toMatchObject({
      replicas: 1,
      reason: 'TooFewReplicas',
    });
    expect(limitRate({ ...base, current: 3, desired: 3 }, 0, s)).toMatchObject({
      replicas: 3,
      reason: 'DesiredWithinRange',
    });
    const slow = { ...down, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] };
    expect(limitRate({ ...base, down: slow, current: 5, desired: 1 }, 0, s)).toMatchObject({
      replicas: 4,
      reason: 'ScaleDownLimit',
    });
  });
});
