import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// PodDisruptionBudgets (policy/v1) and the eviction subresource, judged by the real kubectl.
let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  await t.kubectl(['create', 'namespace', 'pdb']);
  await t.kubectl(['create', 'deployment', 'web', '-n', 'pdb', '--image=nginx', '--replicas=3']);
  await waitFor(
    async () =>
      (await t.kubectl(['get', 'deploy', 'web', '-n', 'pdb', '-o', 'jsonpath={.status.readyReplicas}'])).stdout === '3',
    60_000,
    'web ready',
  );
}, 120_000);
afterAll(async () => t?.stop());

describe('PodDisruptionBudget', () => {
  it('is served, validated and printed as kubectl expects; its status follows the pods', async () => {
    await t.kubectl(['create', 'poddisruptionbudget', 'web', '-n', 'pdb', '--selector=app=web', '--min-available=2']);
    await waitFor(
      async () =>
        (await t.kubectl(['get', 'pdb', 'web', '-n', 'pdb', '-o', 'jsonpath={.status.disruptionsAllowed}'])).stdout ===
        '1',
      30_000,
      'status',
    );
    const table = (await t.kubectl(['get', 'pdb', '-n', 'pdb'])).stdout;
    expect(table).toMatch(/NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE/);
    expect(table).toMatch(/web\s+2\s+N\/A\s+1\s+/);
    const status = JSON.parse((await t.kubectl(['get', 'pdb', 'web', '-n', 'pdb', '-o', 'json'])).stdout).status;
    expect(status).toMatchObject({
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      disruptionsAllowed: 1,
      observedGeneration: 1,
    });
    expect(status.conditions[0]).toMatchObject({ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods' });
    const bad = await t.kubectl(
      ['create', 'poddisruptionbudget', 'both', '-n', 'pdb', '--selector=app=web', '--max-unavailable=120%'],
      { reject: false },
    );
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain('must not be greater than 100%');
    expect((await t.kubectl(['api-resources', '--api-group=policy'])).stdout).toMatch(
      /poddisruptionbudgets\s+pdb\s+policy\/v1\s+true\s+PodDisruptionBudget/,
    );
  });

  it('an eviction past the budget gets 429 with the apiserver’s wording; kubectl drain retries until the budget allows', async () => {
    await t.kubectl(['patch', 'pdb', 'web', '-n', 'pdb', '--type=merge', '-p', '{"spec":{"minAvailable":3}}']);
    await waitFor(
      async () =>
        (await t.kubectl(['get', 'pdb', 'web', '-n', 'pdb', '-o', 'jsonpath={.status.disruptionsAllowed}'])).stdout ===
        '0',
      30_000,
      'budget 0',
    );
    const pods = (
      await t.kubectl(['get', 'pods', '-n', 'pdb', '-o', 'jsonpath={.items[*].metadata.name}'])
    ).stdout.split(' ');
    const node = (await t.kubectl(['get', 'pod', pods[0]!, '-n', 'pdb', '-o', 'jsonpath={.spec.nodeName}'])).stdout;
    const once = await t.kubectl(['drain', node, '--ignore-daemonsets', '--pod-selector=app=web', '--timeout=3s'], {
      reject: false,
    });
    expect(once.exitCode).not.toBe(0);
    expect(once.stderr).toContain("Cannot evict pod as it would violate the pod's disruption budget.");
    // Loosen the budget while a drain waits: it finishes on its own.
    const drain = t.kubectl(['drain', node, '--ignore-daemonsets', '--pod-selector=app=web', '--timeout=90s'], {
      timeout: 120_000,
    });
    await waitFor(
      async () => (await t.kubectl(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}'])).stdout === 'true',
      30_000,
      'cordoned',
    );
    await t.kubectl(['patch', 'pdb', 'web', '-n', 'pdb', '--type=merge', '-p', '{"spec":{"minAvailable":1}}']);
    const out = await drain;
    expect(out.stdout).toContain('drained');
    await t.kubectl(['uncordon', node]);
  }, 150_000);
});
