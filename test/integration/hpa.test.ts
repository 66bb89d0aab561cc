import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { podTarget } from '../../source/engine/proxy/targets.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// HorizontalPodAutoscaler end to end: kubectl autoscale (v1) and v2 objects, a deployment of the
// built-in nginx made to burn CPU per request, load from this test, scale out and back in.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());
// Each case below waits for controllers (metrics, HPA, rollouts) with generous timeouts of its
// own; a case's timeout is a hang guard above those waits, never a speed bound.

const K127 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';
const K133 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

function deployment(name: string, cpuMsPerRequest: number, cpuRequest = '100m'): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx',
              env: [{ name: 'SKIFF_CPU_MS_PER_REQUEST', value: String(cpuMsPerRequest) }],
              resources: { requests: { cpu: cpuRequest } },
            },
          ],
        },
      },
    },
  };
}

const replicas = (name: string): number | undefined =>
  t.engine.ctx.store.get('deployments.apps', 'default', name)?.spec?.replicas;
const readyPods = (app: string) =>
  t.engine.ctx.store
    .list('pods', { namespace: 'default', labelSelector: `app=${app}` })
    .items.filter(
      (p) =>
        !p.metadata.deletionTimestamp &&
        p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True'),
    );

function get(host: string, port: number): Promise<void> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve());
      res.on('error', () => resolve());
    });
    req.on('error', () => resolve());
    req.setTimeout(5000, () => req.destroy());
    req.end();
  });
}

/** Requests round robin over the ready pods of `app`, one every `everyMs`, until stopped. */
function load(app: string, everyMs: number): () => void {
  let i = 0;
  const timer = setInterval(() => {
    const pods = readyPods(app);
    if (!pods.length) return;
    const target = podTarget(pods[i++ % pods.length]!, 80);
    if (target) void get(target.host, target.port);
  }, everyMs);
  return () => clearInterval(timer);
}

async function events(name: string): Promise<string> {
  return (
    await t.kubectl([
      'get',
      'events',
      '--field-selector',
      `involvedObject.name=${name},involvedObject.kind=HorizontalPodAutoscaler`,
      '-o',
      'custom-columns=REASON:.reason,MESSAGE:.message',
    ])
  ).stdout;
}

describe('HorizontalPodAutoscaler', () => {
  it('kubectl autoscale (autoscaling/v1 from kubectl 1.27/1.32, v2 from 1.33) and kubectl get hpa as kubectl prints it', async () => {
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(deployment('auto', 0)) });
    expect(
      (await t.kubectl(['autoscale', 'deployment', 'auto', '--cpu-percent=50', '--min=1', '--max=5'])).stdout,
    ).toContain('horizontalpodautoscaler.autoscaling/auto autoscaled');
    expect(
      (
        await t.kubectl(['autoscale', 'deployment', 'auto', '--cpu-percent=60', '--max=4', '--name=auto127'], {
          bin: K127,
        })
      ).stdout,
    ).toContain('autoscaled');
    expect(
      (
        await t.kubectl(['autoscale', 'deployment', 'auto', '--cpu-percent=70', '--max=3', '--name=auto133'], {
          bin: K133,
        })
      ).stdout,
    ).toContain('autoscaled');
    const v2 = JSON.parse((await t.kubectl(['get', 'hpa', 'auto', '-o', 'json'])).stdout);
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'auto' },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      ],
    });
    const v1 = JSON.parse(
      (await t.kubectl(['get', '--raw', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/auto127']))
        .stdout,
    );
    expect(v1).toMatchObject({
      apiVersion: 'autoscaling/v1',
      spec: { maxReplicas: 4, targetCPUUtilizationPercentage: 60 },
    });
    const table = await waitFor(
      async () => {
        const out = (await t.kubectl(['get', 'hpa'])).stdout;
        if (/auto\s+Deployment\/auto\s+cpu: \d+%\/50%\s+1\s+5\s+1\s+(\d+[smh])+\s*$/m.test(out)) return out;
        const pods = (await t.kubectl(['get', 'pods', '-l', 'app=auto'])).stdout;
        throw new Error(`${out}\n${pods}`);
      },
      150_000,
      'TARGETS with a current figure',
    );
    expect(table).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE/);
    expect(table).toMatch(/auto133\s+Deployment\/auto\s+cpu: (\d+|<unknown>)%?\/70%\s+1\s+3/);
    const conditions = JSON.parse((await t.kubectl(['get', 'hpa', 'auto', '-o', 'json'])).stdout).status.conditions.map(
      (c: { type: string; status: string; reason: string }) => `${c.type}=${c.status}/${c.reason}`,
    );
    // Idle at its minimum: the scale-down window (300 s, ×0.05 here) still holds the first
    // recommendation (no limit), or, once it has passed, the minimum clamps a proposal of 0 — as
    // upstream. Which one depends on how long the figures above took to appear.
    expect(conditions).toEqual([
      expect.stringMatching(/^AbleToScale=True\//),
      'ScalingActive=True/ValidMetricFound',
      expect.stringMatching(/^ScalingLimited=(False\/DesiredWithinRange|True\/TooFewReplicas)$/),
    ]);
    await t.kubectl(['delete', 'hpa', 'auto127', 'auto133']);
    await t.kubectl(['delete', '--raw', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/auto']);
    expect((await t.kubectl(['get', 'hpa'], { reject: false })).stderr).toContain('No resources found');
  }, 240_000);

  it('validation: max below min, and defaults for behavior rules left out', async () => {
    const bad = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'bad' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'auto' },
        minReplicas: 5,
        maxReplicas: 2,
      },
    };
    const r = await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(bad), reject: false });
    expect(r.stderr).toContain('spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`');
    const withBehavior = {
      ...bad,
      metadata: { name: 'good' },
      spec: { ...bad.spec, minReplicas: 1, behavior: { scaleDown: { stabilizationWindowSeconds: 30 } } },
    };
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(withBehavior) });
    const spec = JSON.parse((await t.kubectl(['get', 'hpa', 'good', '-o', 'json'])).stdout).spec;
    expect(spec.behavior.scaleDown).toEqual({
      stabilizationWindowSeconds: 30,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    });
    expect(spec.behavior.scaleUp.policies).toEqual([
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]);
    expect(spec.metrics[0].resource.target).toEqual({ type: 'Utilization', averageUtilization: 80 });
    await t.kubectl(['delete', 'hpa', 'good']);
  });

  it('a target without CPU requests: ScalingActive False, FailedGetResourceMetric', async () => {
    const d = deployment('noreq', 0);
    delete (d.spec.template.spec.containers[0] as { resources?: unknown }).resources;
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(d) });
    await t.kubectl(['autoscale', 'deployment', 'noreq', '--max=3']);
    const cond = await waitFor(
      async () => {
        const hpa = JSON.parse((await t.kubectl(['get', 'hpa', 'noreq', '-o', 'json'])).stdout);
        const c = hpa.status.conditions?.find((x: { type: string }) => x.type === 'ScalingActive');
        return c?.message?.includes('missing request') && c;
      },
      60_000,
      'ScalingActive False for a missing request',
    );
    expect(cond).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric' });
    expect(cond.message).toMatch(
      /^the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container nginx of Pod noreq-/,
    );
  }, 120_000);

  it('Pods, Object and External metrics: no custom/external metrics API, reported as upstream does (ScalingActive False, Warning events)', async () => {
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(deployment('custom', 0)) });
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'custom' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'custom' },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [
          {
            type: 'Pods',
            pods: { metric: { name: 'http_requests' }, target: { type: 'AverageValue', averageValue: '10' } },
          },
          {
            type: 'Object',
            object: {
              describedObject: { apiVersion: 'v1', kind: 'Service', name: 'custom' },
              metric: { name: 'hits' },
              target: { type: 'Value', value: '5' },
            },
          },
          {
            type: 'External',
            external: {
              metric: { name: 'queue_depth', selector: { matchLabels: { queue: 'jobs' } } },
              target: { type: 'AverageValue', averageValue: '30' },
            },
          },
        ],
      },
    };
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(hpa) });
    const cond = await waitFor(
      async () => {
        const o = JSON.parse((await t.kubectl(['get', 'hpa', 'custom', '-o', 'json'])).stdout);
        return o.status?.conditions?.find(
          (x: { type: string; status: string }) => x.type === 'ScalingActive' && x.status === 'False',
        );
      },
      60_000,
      'ScalingActive False for metrics without an API',
    );
    expect(cond.reason).toBe('FailedGetPodsMetric');
    expect(cond.message).toBe(
      'the HPA was unable to compute the replica count: unable to get metric http_requests: unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered',
    );
    const ev = await waitFor(
      async () => {
        const out = await events('custom');
        return out.includes('FailedComputeMetricsReplicas') && out;
      },
      30_000,
      'FailedComputeMetricsReplicas',
    );
    expect(ev).toMatch(
      /FailedGetPodsMetric\s+unable to get metric http_requests: unable to fetch metrics from custom metrics API/,
    );
    expect(ev).toContain(
      'invalid metrics (3 invalid out of 3), first error is: failed to get pods metric value: unable to get metric http_requests',
    );
    const printed = (await t.kubectl(['get', 'hpa', 'custom'])).stdout;
    expect(printed).toMatch(/custom\s+Deployment\/custom\s+<unknown>\/10, <unknown>\/5 \+ 1 more\.\.\.\s+1\s+3\s+1/);
    // An External metric alone: its own reason and upstream's wording.
    await t.kubectl([
      'patch',
      'hpa',
      'custom',
      '--type=json',
      '-p',
      JSON.stringify([{ op: 'replace', path: '/spec/metrics', value: [hpa.spec.metrics[2]] }]),
    ]);
    const ext = await waitFor(
      async () => {
        const o = JSON.parse((await t.kubectl(['get', 'hpa', 'custom', '-o', 'json'])).stdout);
        const c = o.status?.conditions?.find((x: { type: string }) => x.type === 'ScalingActive');
        return c?.reason === 'FailedGetExternalMetric' && c;
      },
      60_000,
      'FailedGetExternalMetric',
    );
    expect(ext.message).toContain(
      'unable to get external metric default/queue_depth/queue=jobs: unable to fetch metrics from external metrics API',
    );
    expect(replicas('custom')).toBe(1);
    await t.kubectl(['delete', 'hpa', 'custom']);
    await t.kubectl(['delete', 'deployment', 'custom']);
  }, 150_000);

  it('scales a deployment out under load and back in after the (time-scaled) stabilization window', async () => {
    // A small request, so the utilization is far above target even when a loaded machine gives
    // the pod only a sliver of a core: ~33 requests/s × 10 ms of CPU each wants ≈ 330m against 20m.
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(deployment('web', 10, '20m')) });
    await waitFor(() => readyPods('web').length === 1, 60_000, 'web ready');
    await t.kubectl(['autoscale', 'deployment', 'web', '--cpu-percent=50', '--min=1', '--max=3']);
    const stop = load('web', 30);
    try {
      await waitFor(
        async () => {
          if (replicas('web') === 3) return true;
          throw new Error((await t.kubectl(['get', 'hpa', 'web'])).stdout);
        },
        180_000,
        'scale out to 3',
      );
      expect(await events('web')).toMatch(
        /SuccessfulRescale\s+New size: [23]; reason: cpu resource utilization \(percentage of request\) above target/,
      );
      // Pods just added have no figures yet (TARGETS <unknown> for a moment): wait for one.
      const hpa = await waitFor(
        async () => {
          const out = (await t.kubectl(['get', 'hpa', 'web'])).stdout;
          if (/web\s+Deployment\/web\s+cpu: \d+%\/50%\s+1\s+3\s+\d/.test(out)) return out;
          throw new Error(out);
        },
        60_000,
        'a current figure at 3 replicas',
      );
      expect(hpa).toMatch(/web\s+Deployment\/web\s+cpu: \d+%\/50%\s+1\s+3\s+\d/);
    } finally {
      stop();
    }
    // Idle now: the default scale-down window (300 s, ×0.05 here) must pass before it shrinks.
    await waitFor(() => replicas('web') === 1, 180_000, 'scale in to 1');
    expect(await events('web')).toMatch(/SuccessfulRescale\s+New size: 1; reason: All metrics below target/);
    const status = JSON.parse((await t.kubectl(['get', 'hpa', 'web', '-o', 'json'])).stdout).status;
    expect(status.lastScaleTime).toBeTruthy();
  }, 420_000);
});
