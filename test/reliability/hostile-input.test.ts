import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { runHostile } from './hostile/run.ts';
import { seedTargets } from './hostile/targets.ts';
import { ApiClient } from './support/client.ts';
import { dbSnapshot, storeSnapshot } from './support/snapshot.ts';

const SEED = Number(process.env.SKIFF_HOSTILE_SEED ?? 1);
const COUNT = 1_000;

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

describe('hostile input', () => {
  it(`answers ${COUNT} generated hostile requests (seed ${SEED}) with 4xx Status objects and stores nothing`, async () => {
    const db = join(t.home, 'state.db');
    const before = { store: storeSnapshot(t.engine.ctx.store), db: dbSnapshot(db) };
    const r = await runHostile(api, SEED, COUNT);
    expect(r.failures.slice(0, 40), `${r.failures.length} failures`).toEqual([]);
    expect(Object.keys(r.categories).length).toBeGreaterThanOrEqual(14);
    expect({ store: storeSnapshot(t.engine.ctx.store), db: dbSnapshot(db) }).toEqual(before);
    expect(before.db.integrity).toBe('ok');
  });
});
