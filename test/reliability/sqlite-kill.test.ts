import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killLoop } from './support/kill-loop.ts';

const home = mkdtempSync(join(tmpdir(), 'skiff-kill-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('SQLite survives kill -9', () => {
  // Four child engines start here, tens of seconds each on a loaded machine: a hang guard, not a speed bound.
  it('keeps every acknowledged write through 3 SIGKILLs during writes, with a sound database file', async () => {
    const r = await killLoop(home, 3, 7);
    expect(r.problems).toEqual([]);
    expect(r.acked).toBeGreaterThan(10);
  }, 240_000);
});
