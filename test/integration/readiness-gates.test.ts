import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// Pod readiness gates: Ready waits for each gate's condition, which someone other than the
// kubelet (a load balancer controller, here kubectl) sets on the pod's status.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const k = async (...args: string[]) => (await t.kubectl(args)).stdout;
const ready = () =>
  k(
    'get',
    'pod',
    'gated',
    '-o',
    'jsonpath={.status.conditions[?(@.type=="Ready")].status}|{.status.conditions[?(@.type=="Ready")].reason}|{.status.conditions[?(@.type=="Ready")].message}|{.status.conditions[?(@.type=="ContainersReady")].status}',
  );
const setGate = (status: string) =>
  k(
    'patch',
    'pod',
    'gated',
    '--subresource=status',
    '--type=strategic',
    '-p',
    JSON.stringify({ status: { conditions: [{ type: 'example.com/lb-ready', status }] } }),
  );
const endpoints = () =>
  k(
    'get',
    'endpointslices',
    '-l',
    'kubernetes.io/service-name=gated',
    '-o',
    'jsonpath={.items[*].endpoints[*].conditions.ready}',
  );

describe('readiness gates', () => {
  it('hold Ready (not ContainersReady) until the gate condition is True, and keep the pod out of endpoints', async () => {
    await t.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'gated', labels: { app: 'gated' } },
        spec: {
          readinessGates: [{ conditionType: 'example.com/lb-ready' }],
          containers: [{ name: 'web', image: 'nginx' }],
        },
      }),
    });
    await t.kubectl(['expose', 'pod', 'gated', '--port=80']);
    await waitFor(async () => (await ready()).endsWith('|True'), 60_000, 'containers ready');
    expect(await ready()).toBe(
      'False|ReadinessGatesNotReady|corresponding condition of pod readiness gate "example.com/lb-ready" does not exist.|True',
    );
    // READY counts containers; the gates have their own column.
    expect(await k('get', 'pod', 'gated', '-o', 'wide')).toMatch(/gated\s+1\/1\s+Running.*\s0\/1$/);
    expect(await endpoints()).toBe('false');

    await setGate('False');
    await waitFor(async () => (await ready()).includes('is not "True", but False'), 20_000, 'gate False reported');

    await setGate('True');
    await waitFor(async () => (await ready()).startsWith('True|'), 20_000, 'Ready once the gate is True');
    expect(await k('get', 'pod', 'gated', '-o', 'wide')).toMatch(/gated\s+1\/1\s+Running.*\s1\/1$/);
    await waitFor(async () => (await endpoints()) === 'true', 20_000, 'endpoint ready');
    const describe = await k('describe', 'pod', 'gated');
    expect(describe).toMatch(/Readiness Gates:\n\s+Type\s+Status\n\s+example\.com\/lb-ready\s+True/);
  }, 120_000);
});
