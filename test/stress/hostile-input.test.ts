import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { runHostile } from '../reliability/hostile/run.ts';
import { seedTargets } from '../reliability/hostile/targets.ts';
import { ApiClient } from '../reliability/support/client.ts';
import { dbSnapshot, storeSnapshot } from '../reliability/support/snapshot.ts';

// A different seed from the `npm test` run, so the two cover different requests.
const SEED = Number(process.env.SKIFF_HOSTILE_SEED ?? 2);
const COUNT = Number(process.env.SKIFF_HOSTILE_COUNT ?? 10_000);

let t: TestEngine;
let api: ApiClient;
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  api = new ApiClient(t.engine.url, t.engine.token, t.engine.caCert);
  await seedTargets(async (path, body) => (await api.json('POST', path, body)).status);
});
afterAll(async () => {
  api?.close();
  await t?.stop();
});

describe('hostile input (stress)', () => {
  it(`answers ${COUNT} generated hostile requests (seed ${SEED}) with 4xx Status objects and stores nothing`, async () => {
    const db = join(t.home, 'state.db');
    const before = { store: storeSnapshot(t.engine.ctx.store), db: dbSnapshot(db) };
    const r = await runHostile(api, SEED, COUNT, { concurrency: 16, batch: 500 });
    expect(r.failures.slice(0, 40), `${r.failures.length} failures`).toEqual([]);
    expect({ store: storeSnapshot(t.engine.ctx.store), db: dbSnapshot(db) }).toEqual(before);
    expect(before.db.integrity).toBe('ok');
  });
});
