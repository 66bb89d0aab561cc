import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killLoop } from '../reliability/support/kill-loop.ts';

const ROUNDS = Number(process.env.SKIFF_KILL_ROUNDS ?? 40);
const home = mkdtempSync(join(tmpdir(), 'skiff-kill-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('SQLite survives kill -9 (stress)', () => {
  it(`keeps every acknowledged write through ${ROUNDS} SIGKILLs during writes`, async () => {
    const r = await killLoop(home, ROUNDS, 11);
    expect(r.problems).toEqual([]);
    expect(r.acked).toBeGreaterThan(ROUNDS * 5);
  });
});
