import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/engine/clock.ts';
import { createRegistry } from '../../../source/engine/resources/index.ts';
import { ApiError } from '../../../source/engine/store/errors.ts';
import { Store, type StoreEvent } from '../../../source/engine/store/store.ts';

const dirs: string[] = [];
function tempDb(): string {
  const d = mkdtempSync(join(tmpdir(), 'skiff-store-'));
  dirs.push(d);
  return join(d, 'state.db');
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function newStore(path?: string) {
  const s = new Store(createRegistry(), new FakeClock(), { path });
  if (!s.get('namespaces', undefined, 'default')) s.create('namespaces', { metadata: { name: 'default' } });
  return s;
}

const pod = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'c', image: 'nginx' }] },
});

describe('Store', () => {
  it('creates with server-set metadata and defaults', () => {
    const s = newStore();
    const p = s.create('pods', pod('a'));
    expect(p.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.metadata.resourceVersion).toBe(String(s.currentRV()));
    expect(p.metadata.generation).toBe(1);
    expect(p.status.phase).toBe('Pending');
    expect(p.spec.containers[0].imagePullPolicy).toBe('Always');
    expect(Object.isFrozen(p.spec)).toBe(true);
  });

  it('rejects duplicates, bad names, missing namespaces', () => {
    const s = newStore();
    s.create('pods', pod('a'));
    expect(() => s.create('pods', pod('a'))).toThrow(/already exists/);
    try {
      s.create('pods', pod('Bad_Name'));
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).code).toBe(422);
      expect((e as ApiError).details?.causes?.[0]?.field).toBe('metadata.name');
    }
    expect(() => s.create('pods', { ...pod('x'), metadata: { name: 'x', namespace: 'nope' } })).toThrow(
      /namespaces "nope" not found/,
    );
  });

  it('detects stale updates with 409 and bumps generation on spec change only', () => {
    const s = newStore();
    s.create('namespaces', { metadata: { name: 'apps' } });
    const d = s.create('deployments.apps', {
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'n', image: 'nginx:1.25' }] } },
      },
    });
    const copy = structuredClone(d);
    copy.spec.replicas = 3;
    const d2 = s.update('deployments.apps', copy);
    expect(d2.metadata.generation).toBe(2);
    expect(() => s.update('deployments.apps', copy)).toThrow(/the object has been modified/);
    const st = structuredClone(d2);
    st.status = { replicas: 3 };
    const d3 = s.update('deployments.apps', st, { subresource: 'status' });
    expect(d3.metadata.generation).toBe(2);
    expect(d3.status.replicas).toBe(3);
  });

  it('filters lists by labels and fields, pages with limit/continue', () => {
    const s = newStore();
    for (let i = 0; i < 5; i++) s.create('pods', pod(`p${i}`, { app: i % 2 ? 'odd' : 'even' }));
    expect(s.list('pods', { labelSelector: 'app=even' }).items.map((p) => p.metadata.name)).toEqual(['p0', 'p2', 'p4']);
    expect(s.list('pods', { fieldSelector: 'metadata.name=p3' }).items).toHaveLength(1);
    expect(() => s.list('pods', { fieldSelector: 'spec.bogus=1' })).toThrow(/field label not supported/);
    const page1 = s.list('pods', { limit: 2 });
    expect(page1.items).toHaveLength(2);
    const page2 = s.list('pods', { limit: 2, continue: page1.continue });
    expect(page2.items.map((p) => p.metadata.name)).toEqual(['p2', 'p3']);
  });

  it('replays watches from a resourceVersion and expires old ones', () => {
    const s = new Store(createRegistry(), new FakeClock(), { logSize: 3 });
    s.create('namespaces', { metadata: { name: 'default' } });
    const start = s.currentRV();
    s.create('pods', pod('a'));
    s.create('pods', pod('b'));
    const seen: StoreEvent[] = [];
    const h = s.watch('pods', { resourceVersion: String(start) }, (e) => seen.push(e));
    expect(seen.map((e) => e.type + e.object.metadata.name)).toEqual(['ADDEDa', 'ADDEDb']);
    s.delete('pods', 'default', 'a');
    expect(seen.at(-1)?.type).toBe('DELETED');
    h.stop();
    s.create('pods', pod('c'));
    s.create('pods', pod('d'));
    expect(() => s.watch('pods', { resourceVersion: String(start) }, () => {})).toThrow(/too old resource version/);
  });

  it('keeps watch events for 75 s beyond its newest 1,000, as the watch cache does', () => {
    const clock = new FakeClock();
    const s = new Store(createRegistry(), clock);
    s.create('namespaces', { metadata: { name: 'default' } });
    const start = s.currentRV();
    s.create('configmaps', { metadata: { name: 'first', namespace: 'default' } });
    clock.advance(74_000);
    for (let i = 0; i < 1000; i++) s.create('configmaps', { metadata: { name: `cm-${i}`, namespace: 'default' } });
    const seen: string[] = [];
    s.watch('configmaps', { resourceVersion: String(start) }, (e) => seen.push(e.object.metadata.name!)).stop();
    expect(seen[0]).toBe('first');
    expect(seen).toHaveLength(1001);
    clock.advance(2_000);
    const middle = s.currentRV();
    s.create('configmaps', { metadata: { name: 'last', namespace: 'default' } });
    expect(() => s.watch('configmaps', { resourceVersion: String(start) }, () => {})).toThrow(
      /too old resource version/,
    );
    const after: string[] = [];
    s.watch('configmaps', { resourceVersion: String(middle) }, (e) => after.push(e.object.metadata.name!)).stop();
    expect(after).toEqual(['last']);
    // Older than 75 s but among the newest 1,000: still there.
    clock.advance(80_000);
    s.create('configmaps', { metadata: { name: 'later', namespace: 'default' } });
    const again: string[] = [];
    s.watch('configmaps', { resourceVersion: String(middle) }, (e) => again.push(e.object.metadata.name!)).stop();
    expect(again).toEqual(['last', 'later']);
  });

  it('shares equal subtrees between objects of one template, and each stays its own', () => {
    const s = newStore();
    const a = s.create('pods', pod('a', { app: 'web' }));
    const b = s.create('pods', pod('b', { app: 'web' }));
    expect(b.spec).toBe(a.spec);
    expect(b.metadata.labels).toBe(a.metadata.labels);
    const c = s.mutate('pods', 'default', 'b', (o) => {
      o.spec.containers[0].image = 'nginx:2';
    });
    expect(c.spec.containers[0].image).toBe('nginx:2');
    expect(s.get('pods', 'default', 'a')!.spec.containers[0].image).toBe('nginx');
    expect(c.spec.tolerations).toBe(a.spec.tolerations);
    expect(Object.isFrozen(c.spec.containers[0])).toBe(true);
    const d = s.create('pods', pod('d', { app: 'db' }));
    expect(d.metadata.labels).toEqual({ app: 'db' });
  });

  it('turns selector exits into DELETED for a watcher', () => {
    const s = newStore();
    s.create('pods', pod('a', { app: 'x' }));
    const seen: string[] = [];
    s.watch('pods', { labelSelector: 'app=x', resourceVersion: String(s.currentRV()) }, (e) => seen.push(e.type));
    s.mutate('pods', 'default', 'a', (o) => {
      o.metadata.labels = { app: 'y' };
    });
    expect(seen).toEqual(['DELETED']);
  });

  it('keeps finalized objects until their finalizers go', () => {
    const s = newStore();
    s.create('configmaps', { metadata: { name: 'c', namespace: 'default', finalizers: ['x/y'] } });
    const r = s.delete('configmaps', 'default', 'c');
    expect(r.deleted).toBe(false);
    expect(r.object.metadata.deletionTimestamp).toBeTruthy();
    s.mutate('configmaps', 'default', 'c', (o) => {
      o.metadata.finalizers = [];
    });
    expect(s.get('configmaps', 'default', 'c')).toBeUndefined();
  });

  it('survives a reopen with every object and the resourceVersion', () => {
    const path = tempDb();
    const s = newStore(path);
    s.create('pods', pod('a'));
    const rv = s.currentRV();
    s.close();
    const s2 = newStore(path);
    expect(s2.currentRV()).toBe(rv);
    expect(s2.get('pods', 'default', 'a')?.metadata.name).toBe('a');
    s2.close();
  });

  it('resumes after the last resourceVersion whether the last write was a put or a delete', () => {
    const path = tempDb();
    const s = newStore(path);
    s.create('pods', pod('a'));
    s.create('pods', pod('b'));
    s.delete('pods', 'default', 'b');
    const afterDelete = s.currentRV();
    s.close();
    const s2 = newStore(path);
    expect(s2.currentRV()).toBe(afterDelete);
    s2.create('pods', pod('c'));
    s2.mutate('pods', 'default', 'a', (p) => {
      p.metadata.labels = { x: 'y' };
    });
    const afterPut = s2.currentRV();
    expect(afterPut).toBe(afterDelete + 2);
    s2.close();
    // A clean close leaves meta.rv current too (an older skiff reads only that).
    const db = new Database(path, { readonly: true });
    expect((db.prepare("SELECT value FROM meta WHERE key = 'rv'").get() as { value: string }).value).toBe(
      String(afterPut),
    );
    db.close();
    const s3 = newStore(path);
    expect(s3.currentRV()).toBe(afterPut);
    expect(s3.get('pods', 'default', 'a')?.metadata.resourceVersion).toBe(String(afterPut));
    expect(s3.get('pods', 'default', 'b')).toBeUndefined();
    s3.close();
  });

  it('delivers events in order when a handler writes during delivery', () => {
    const s = newStore();
    const order: string[] = [];
    s.watch('pods', { resourceVersion: String(s.currentRV()) }, (e) => {
      order.push(`w1:${e.object.metadata.name}`);
      if (e.object.metadata.name === 'a') s.create('pods', pod('b'));
    });
    s.watch('pods', { resourceVersion: String(s.currentRV()) }, (e) => order.push(`w2:${e.object.metadata.name}`));
    s.create('pods', pod('a'));
    expect(order).toEqual(['w1:a', 'w2:a', 'w1:b', 'w2:b']);
  });
});
