import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discover, fetchVersion } from '../../source/client/discovery.ts';
import { loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { Transport } from '../../source/client/transport.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

// Discovery against a real engine, with kubectl's own discovery as the judge.
let t: TestEngine;
let transport: Transport;

beforeAll(async () => {
  t = await startTestEngine();
  transport = new Transport(loadKubeConfig({ path: t.engine.kubeconfigPath }));
}, 60_000);
afterAll(async () => {
  transport?.close();
  await t?.stop();
});

describe('discover', () => {
  it('reads every group with its scope, short names, verbs and subresources; nothing incomplete', async () => {
    const { resources, incomplete } = await discover(transport);
    expect(incomplete).toEqual([]);
    const pods = resources.find((r) => r.group === '' && r.plural === 'pods')!;
    expect(pods).toMatchObject({
      version: 'v1',
      kind: 'Pod',
      singular: 'pod',
      namespaced: true,
      shortNames: ['po'],
      categories: ['all'],
    });
    expect(pods.verbs).toEqual(expect.arrayContaining(['create', 'delete', 'get', 'list', 'watch']));
    expect(pods.subresources).toEqual(expect.arrayContaining(['exec', 'log', 'status', 'portforward']));
    expect(resources.find((r) => r.group === 'apps' && r.plural === 'deployments')).toMatchObject({
      version: 'v1',
      kind: 'Deployment',
      namespaced: true,
      shortNames: ['deploy'],
    });
    expect(resources.find((r) => r.plural === 'nodes')).toMatchObject({ group: '', namespaced: false });
    // Core first, as kubectl orders it.
    expect(resources[0]!.group).toBe('');
  });

  it('lists the same resources as kubectl api-resources (preferred versions)', async () => {
    const { resources } = await discover(transport);
    const ours = new Set(resources.map((r) => (r.group ? `${r.plural}.${r.group}` : r.plural)));
    const kubectl = (await t.kubectl(['api-resources', '-o', 'name'])).stdout.split('\n').filter(Boolean);
    expect(kubectl.length).toBeGreaterThan(20);
    for (const name of ours) expect(kubectl, name).toContain(name);
    const missing = kubectl.filter((n) => !ours.has(n));
    // kubectl also lists a resource served only in a non-preferred version of its group.
    for (const name of missing) {
      const group = name.slice(name.indexOf('.') + 1);
      expect(
        resources.some((r) => r.group === group),
        name,
      ).toBe(true);
    }
  });

  it('reads the server version', async () => {
    const v = await fetchVersion(transport);
    expect(v.major).toBe('1');
    expect(v.gitVersion).toMatch(/^v1\.\d+/);
  });
});
