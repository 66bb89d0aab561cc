import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreEvent } from '../../source/engine/store/store.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { Rng } from './hostile/rng.ts';
import { ApiClient } from './support/client.ts';

const WATCHERS = 50;
const WRITES = 600;
const LOG_SIZE = 50;
const NS = 'watched';
const CMS = `/api/v1/namespaces/${NS}/configmaps`;

interface Seen {
  type: string;
  rv: number;
  name: string;
}

let t: TestEngine;
let api: ApiClient;
const truth: Seen[] = [];
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  // A short change log, so watchers that come back late get 410 Expired and must re-list.
  (t.engine.ctx.store as unknown as { logSize: number }).logSize = LOG_SIZE;
  api = new ApiClient(t.engine.url, t.engine.token, t.engine.caCert, WATCHERS * 2 + 8);
  expect((await api.json('POST', '/api/v1/namespaces', { metadata: { name: NS } })).status).toBe(201);
  // The store's own view of every change in the namespace: what each watcher is checked against.
  t.engine.ctx.store.watch(
    'configmaps',
    { namespace: NS, resourceVersion: String(t.engine.ctx.store.currentRV()) },
    (ev: StoreEvent) => truth.push({ type: ev.type, rv: ev.rv, name: ev.object.metadata.name! }),
  );
});
afterAll(async () => {
  api?.close();
  await t?.stop();
});

/** Creates, updates and deletes ConfigMaps in the namespace, one write at a time. */
async function writer(rng: Rng): Promise<void> {
  const live: string[] = [];
  for (let i = 0; i < WRITES; i++) {
    const roll = rng.next();
    if (live.length < 5 || roll < 0.4) {
      const name = `cm-${i}`;
      expect((await api.json('POST', CMS, { metadata: { name }, data: { i: String(i) } })).status).toBe(201);
      live.push(name);
    } else if (roll < 0.8) {
      const name = rng.pick(live);
      const r = await api.request({
        method: 'PATCH',
        path: `${CMS}/${name}`,
        headers: { 'Content-Type': 'application/merge-patch+json' },
        body: JSON.stringify({ data: { i: String(i) } }),
      });
      expect(r.status).toBe(200);
    } else {
      const name = live.splice(rng.int(live.length), 1)[0]!;
      expect((await api.json('DELETE', `${CMS}/${name}`)).status).toBe(200);
    }
  }
}

interface WatcherLog {
  /** Each connection: the resourceVersion it resumed from and the events it delivered. */
  segments: Array<{ from: number; events: Seen[] }>;
  relists: number;
  state: Map<string, number>;
}

/** List, then watch from the list's resourceVersion; on a cut, resume from the last event seen; on 410, list again. */
async function watcher(rng: Rng, stop: () => boolean, last: () => number): Promise<WatcherLog> {
  const log: WatcherLog = { segments: [], relists: 0, state: new Map() };
  const relist = async () => {
    const l = await api.json('GET', CMS);
    log.state = new Map(l.body.items.map((o: any) => [o.metadata.name, Number(o.metadata.resourceVersion)]));
    return Number(l.body.metadata.resourceVersion);
  };
  let rv = await relist();
  for (;;) {
    if (stop() && rv >= last()) return log;
    const seg = { from: rv, events: [] as Seen[] };
    log.segments.push(seg);
    let expired = false;
    const cutAfter = stop() ? Infinity : rng.range(1, 40);
    const w = api.stream(`${CMS}?watch=true&resourceVersion=${rv}&timeoutSeconds=2`, (line) => {
      const ev = JSON.parse(line);
      if (ev.type === 'ERROR') {
        if (ev.object.code === 410) expired = true;
        else throw new Error(`watch error: ${line}`);
        return;
      }
      const e = { type: ev.type, rv: Number(ev.object.metadata.resourceVersion), name: ev.object.metadata.name };
      seg.events.push(e);
      rv = e.rv;
      if (e.type === 'DELETED') log.state.delete(e.name);
      else log.state.set(e.name, e.rv);
      if (seg.events.length >= cutAfter || (stop() && rv >= last())) w.close();
    });
    expect(await w.status).toBe(200);
    await w.ended;
    if (expired) {
      log.relists++;
      log.segments.pop();
      rv = await relist();
    }
    // Sometimes stay away until the change log has moved past us.
    if (rng.chance(0.05)) {
      const away = rv;
      while (!stop() && t.engine.ctx.store.currentRV() <= away + LOG_SIZE) await new Promise((r) => setTimeout(r, 20));
    } else await new Promise((r) => setTimeout(r, rng.range(0, 50)));
  }
}

describe('watchers that disconnect and resume', () => {
  it(`${WATCHERS} watchers miss no event and see none twice, re-listing on 410 Expired`, async () => {
    const rng = new Rng(42);
    let done = false;
    const lastRv = () => (truth.length ? truth[truth.length - 1]!.rv : 0);
    const watchers = Array.from({ length: WATCHERS }, (_, i) => watcher(new Rng(1000 + i), () => done, lastRv));
    await writer(rng);
    done = true;
    const logs = await Promise.all(watchers);

    const final = new Map(
      t.engine.ctx.store
        .list('configmaps', { namespace: NS })
        .items.map((o) => [o.metadata.name!, Number(o.metadata.resourceVersion)]),
    );
    const problems: string[] = [];
    logs.forEach((log, w) => {
      for (const seg of log.segments) {
        // Exactly the changes after the resume point, in order, for as long as the connection lasted.
        const expected = truth.filter((e) => e.rv > seg.from).slice(0, seg.events.length);
        if (JSON.stringify(seg.events) !== JSON.stringify(expected)) {
          problems.push(
            `watcher ${w} from rv ${seg.from}: got ${JSON.stringify(seg.events.slice(0, 5))}, expected ${JSON.stringify(expected.slice(0, 5))}`,
          );
        }
      }
      if (JSON.stringify([...log.state].sort()) !== JSON.stringify([...final].sort()))
        problems.push(`watcher ${w}: final state differs from the store`);
    });
    expect(problems.slice(0, 10)).toEqual([]);
    expect(truth.length).toBe(WRITES);
    // The run exercised both paths: plain resumes and 410 re-lists.
    expect(logs.reduce((n, l) => n + l.segments.length, 0)).toBeGreaterThan(WATCHERS * 5);
    expect(logs.reduce((n, l) => n + l.relists, 0)).toBeGreaterThan(0);
  });
});
