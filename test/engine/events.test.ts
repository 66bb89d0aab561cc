import { describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import type { StoreEvent } from '../../source/engine/store/store.ts';
import { testContext } from './controllers/endpoints-helpers.ts';

const source = { component: 'replicaset-controller' };

function setUp() {
  const ctx = testContext();
  const rs = ctx.store.create('replicasets.apps', {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  } as KObject);
  return { ...ctx, rs };
}

describe('event recorder', () => {
  it('queues events: a watcher sees none until they are written, a reader never misses one', () => {
    const { store, recorder, rs } = setUp();
    const seen: StoreEvent[] = [];
    const w = store.watch('events', { resourceVersion: String(store.currentRV()) }, (ev) => seen.push(ev));
    recorder.record(rs, 'Normal', 'ScalingReplicaSet', 'one', source);
    recorder.record(rs, 'Normal', 'ScalingReplicaSet', 'one', source);
    expect(seen).toEqual([]);
    // A LIST writes what is queued first; the repeat was folded into the first while it waited.
    const items = store.list('events', { namespace: 'default' }).items;
    expect(items.map((e) => [e.reason, e.message, e.count])).toEqual([['ScalingReplicaSet', 'one', 2]]);
    expect(seen.map((e) => e.type)).toEqual(['ADDED']);
    // A repeat after the write bumps the written Event.
    recorder.record(rs, 'Normal', 'ScalingReplicaSet', 'one', source);
    expect(store.list('events').items.map((e) => e.count)).toEqual([3]);
    w.stop();
  });

  it('combines similar events of one object past 10 (client-go EventAggregator)', () => {
    const { store, recorder, rs } = setUp();
    for (let i = 0; i < 1000; i++) recorder.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`, source);
    const items = store.list('events').items;
    expect(items).toHaveLength(10);
    const combined = items.filter((e) => String(e.message).startsWith('(combined from similar events): '));
    expect(combined.map((e) => [e.message, e.count])).toEqual([
      ['(combined from similar events): Created pod: web-999', 991],
    ]);
    expect(items.filter((e) => e !== combined[0]).map((e) => e.message)).toContain('Created pod: web-0');
  });

  it('writes queued events on its own, at a bounded rate', async () => {
    const { store, recorder, rs } = setUp();
    let written = 0;
    store.watch('events', { resourceVersion: String(store.currentRV()) }, () => written++);
    for (let i = 0; i < 5; i++) recorder.record(rs, 'Normal', `Reason${i}`, 'm', source);
    const deadline = Date.now() + 10_000;
    while (written < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(written).toBe(5);
    recorder.stop();
  });
});
