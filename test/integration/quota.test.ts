import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// ResourceQuota and LimitRange admission, driven by the real kubectl.
let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  await t.kubectl(['create', 'namespace', 'team']);
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

const LIMITS = {
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name: 'defaults', namespace: 'team' },
  spec: {
    limits: [
      {
        type: 'Container',
        default: { cpu: '300m', memory: '128Mi' },
        defaultRequest: { cpu: '200m' },
        max: { cpu: '1' },
      },
    ],
  },
};

describe('LimitRange', () => {
  it('fills container defaults at create and refuses limits above max', async () => {
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(LIMITS) });
    await t.kubectl(['run', 'a', '-n', 'team', '--image=nginx']);
    const res = JSON.parse(
      (await t.kubectl(['get', 'pod', 'a', '-n', 'team', '-o', 'jsonpath={.spec.containers[0].resources}'])).stdout,
    );
    expect(res).toEqual({ limits: { cpu: '300m', memory: '128Mi' }, requests: { cpu: '200m', memory: '128Mi' } });
    const big = await t.kubectl(
      [
        'run',
        'big',
        '-n',
        'team',
        '--image=nginx',
        '--overrides={"spec":{"containers":[{"name":"big","image":"nginx","resources":{"limits":{"cpu":"2"}}}]}}',
      ],
      { reject: false },
    );
    expect(big.stderr).toContain(
      'Error from server (Forbidden): pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    );
    expect(t.engine.ctx.store.get('pods', 'team', 'big')).toBeUndefined();
  });
});

describe('ResourceQuota', () => {
  it('refuses objects past the hard limit with upstream wording and keeps used current', async () => {
    await t.kubectl([
      'create',
      'quota',
      'q',
      '-n',
      'team',
      '--hard=pods=2,requests.cpu=1,configmaps=3,count/deployments.apps=1',
    ]);
    await t.kubectl(['run', 'b', '-n', 'team', '--image=nginx']);
    const c = await t.kubectl(['run', 'c', '-n', 'team', '--image=nginx'], { reject: false });
    expect(c.stderr).toContain(
      'Error from server (Forbidden): pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
    );
    await waitFor(
      async () => {
        const q = JSON.parse((await t.kubectl(['get', 'quota', 'q', '-n', 'team', '-o', 'json'])).stdout);
        return q.status?.used?.pods === '2' && q.status.used['requests.cpu'] === '400m' && q.status.hard.pods === '2';
      },
      10_000,
      'quota used',
    );
    const table = (await t.kubectl(['get', 'quota', '-n', 'team'])).stdout;
    expect(table).toMatch(/q\s+\S+\s+.*pods: 2\/2, requests.cpu: 400m\/1/);
    await t.kubectl(['create', 'deployment', 'd1', '-n', 'team', '--image=nginx']);
    const d2 = await t.kubectl(['create', 'deployment', 'd2', '-n', 'team', '--image=nginx'], { reject: false });
    expect(d2.stderr).toContain(
      'deployments.apps "d2" is forbidden: exceeded quota: q, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1',
    );
    // Deleting a pod frees its share.
    await t.kubectl(['delete', 'pod', 'b', '-n', 'team', '--grace-period=0', '--force']);
    await waitFor(() => !t.engine.ctx.store.get('pods', 'team', 'b'), 10_000, 'pod b gone');
    await t.kubectl(['run', 'c', '-n', 'team', '--image=nginx']);
  });

  it('asks for requests a compute quota counts, when no LimitRange supplies them', async () => {
    await t.kubectl(['create', 'namespace', 'bare']);
    await t.kubectl(['create', 'quota', 'compute', '-n', 'bare', '--hard=limits.memory=1Gi']);
    const r = await t.kubectl(['run', 'x', '-n', 'bare', '--image=nginx'], { reject: false });
    expect(r.stderr).toContain(
      'Error from server (Forbidden): pods "x" is forbidden: failed quota: compute: must specify limits.memory for: x',
    );
  });
});
