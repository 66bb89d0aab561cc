import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect, type ClusterSession } from '../../source/client/session.ts';
import { startFakeApi, type FakeApi } from './fake-api.ts';

let api: FakeApi;
let session: ClusterSession;

beforeEach(async () => {
  api = await startFakeApi();
  session = await connect(api.kc, { cache: { coalesceMs: 20, maxBackoffMs: 50 } });
});
afterEach(async () => {
  session.close();
  await api.close();
});

function names(cache: { getSnapshot(): { rows: readonly { name: string }[] } }): string[] {
  return cache.getSnapshot().rows.map((r) => r.name).sort();
}

describe('TableCache', () => {
  it('lists in pages and then follows the watch', async () => {
    for (let i = 0; i < 7; i++) api.add(`p${i}`);
    const { cache, release } = session.pool.acquire({ resource: session.registry.resolve('po')!, namespace: 'default' });
    (cache as any).pageSize = 3;
    await vi.waitFor(() => expect(cache.getSnapshot().state).toBe('ready'));
    expect(names(cache)).toHaveLength(7);
    expect(cache.getSnapshot().columns.map((c) => c.name)).toEqual(['Name', 'Status', 'Node']);
    api.add('late');
    api.update('p0', 'Failed');
    api.remove('p1');
    await vi.waitFor(() => expect(names(cache)).toContain('late'));
    await vi.waitFor(() => expect(names(cache)).not.toContain('p1'));
    const p0 = cache.getSnapshot().rows.find((r) => r.name === 'p0')!;
    expect(p0.cells[1]).toBe('Failed');
    expect(p0.object.metadata.uid).toBeTruthy();
    release();
  });

  it('coalesces a burst of events into few notifications', async () => {
    const { cache, release } = session.pool.acquire({ resource: session.registry.resolve('po')!, namespace: 'default' });
    await vi.waitFor(() => expect(cache.getSnapshot().state).toBe('ready'));
    let calls = 0;
    cache.subscribe(() => calls++);
    for (let i = 0; i < 200; i++) api.add(`b${i}`);
    await vi.waitFor(() => expect(names(cache)).toHaveLength(200));
    expect(calls).toBeLessThan(20);
    release();
  });

  it('re-watches after a dropped connection and re-lists after 410', async () => {
    api.add('a');
    const { cache, release } = session.pool.acquire({ resource: session.registry.resolve('po')!, namespace: 'default' });
    await vi.waitFor(() => expect(cache.getSnapshot().state).toBe('ready'));
    api.expireNext();
    api.dropWatches();
    // While disconnected, the server changes; a re-list must pick it up.
    api.pods.delete('a');
    api.add('b');
    await vi.waitFor(() => expect(names(cache)).toEqual(['b']));
    api.add('c');
    await vi.waitFor(() => expect(names(cache)).toEqual(['b', 'c']));
    expect(api.requests.filter((r) => r.includes('/pods?') && !r.includes('watch')).length).toBeGreaterThanOrEqual(2);
    release();
  });
});

describe('connect', () => {
  it('builds the registry with k9s aliases', () => {
    expect(session.registry.resolve('deploy')?.kind).toBe('Deployment');
    expect(session.registry.resolve('dp')?.kind).toBe('Deployment');
    expect(session.registry.resolve('Pod')?.plural).toBe('pods');
    expect(session.registry.resolve('deployments.apps')?.group).toBe('apps');
    expect(session.registry.completions()).toContain('po');
    expect(session.version.gitVersion).toBe('v1.32.4');
  });

  it('fails fast on an unreachable server', async () => {
    const url = api.url;
    await api.close();
    api.kc.clusters[0] = { ...api.kc.clusters[0], server: url } as any;
    const t0 = Date.now();
    await expect(connect(api.kc, { timeoutMs: 1000 })).rejects.toThrow(/cannot reach|refused/);
    expect(Date.now() - t0).toBeLessThan(3000);
    api = await startFakeApi();
  });
});
