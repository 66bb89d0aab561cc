import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { ApiClient, statusProblem } from './support/client.ts';

const CLIENTS = 100;
const INCREMENTS = 5;
const NAMES = ['counter-a', 'counter-b', 'counter-c'];
const CMS = '/api/v1/namespaces/default/configmaps';
// 100 clients retrying on one engine in this process: on a loaded machine a request may wait long.
const REQUEST_TIMEOUT_MS = 120_000;

let t: TestEngine;
let api: ApiClient;
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  // One socket per client, so the read-modify-write cycles really interleave.
  api = new ApiClient(t.engine.url, t.engine.token, t.engine.caCert, CLIENTS);
  for (const name of NAMES)
    expect((await api.json('POST', CMS, { metadata: { name }, data: { n: '0' } })).status).toBe(201);
});
afterAll(async () => {
  api?.close();
  await t?.stop();
});

interface Tally {
  wins: Map<string, number[]>;
  conflicts: number;
  badConflicts: string[];
}

/** GET, add one, write back with the resourceVersion read (PUT or merge PATCH); on 409 start over. */
async function client(id: number, tally: Tally): Promise<void> {
  const usePatch = id % 2 === 1;
  for (let done = 0; done < INCREMENTS;) {
    const name = NAMES[(id + done) % NAMES.length]!;
    const got = await api.request({ method: 'GET', path: `${CMS}/${name}`, timeoutMs: REQUEST_TIMEOUT_MS });
    const cur = { body: JSON.parse(got.text) };
    const next = Number(cur.body.data.n) + 1;
    const rv = cur.body.metadata.resourceVersion;
    const r = usePatch
      ? await api.request({
          method: 'PATCH',
          path: `${CMS}/${name}`,
          headers: { 'Content-Type': 'application/merge-patch+json' },
          timeoutMs: REQUEST_TIMEOUT_MS,
          body: JSON.stringify({ metadata: { resourceVersion: rv }, data: { n: String(next) } }),
        })
      : await api.request({
          method: 'PUT',
          path: `${CMS}/${name}`,
          headers: { 'Content-Type': 'application/json' },
          timeoutMs: REQUEST_TIMEOUT_MS,
          body: JSON.stringify({ ...cur.body, data: { n: String(next) } }),
        });
    if (r.status === 200) {
      const written = JSON.parse(r.text);
      tally.wins.get(name)!.push(Number(written.data.n));
      done++;
    } else if (r.status === 409) {
      tally.conflicts++;
      const s = JSON.parse(r.text);
      const p = statusProblem(r) ?? (s.reason === 'Conflict' ? undefined : `reason ${s.reason}`);
      if (p) tally.badConflicts.push(p);
    } else throw new Error(`client ${id}: HTTP ${r.status}: ${r.text}`);
  }
}

describe('concurrent read-modify-write', () => {
  it(`${CLIENTS} clients incrementing ${NAMES.length} counters lose no update; losers get 409 Conflict`, async () => {
    const tally: Tally = { wins: new Map(NAMES.map((n) => [n, []])), conflicts: 0, badConflicts: [] };
    await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id, tally)));
    expect(tally.badConflicts).toEqual([]);
    expect(tally.conflicts).toBeGreaterThan(0);
    let total = 0;
    for (const name of NAMES) {
      const wins = tally.wins.get(name)!;
      total += wins.length;
      const final = await api.json('GET', `${CMS}/${name}`);
      // Every successful write produced the next value: 1, 2, ... with no value written twice.
      expect(Number(final.body.data.n)).toBe(wins.length);
      expect([...wins].sort((a, b) => a - b)).toEqual(Array.from({ length: wins.length }, (_, i) => i + 1));
    }
    expect(total).toBe(CLIENTS * INCREMENTS);
  }, 300_000);
});
