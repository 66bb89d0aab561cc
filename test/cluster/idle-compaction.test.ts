import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHILD = join(import.meta.dirname, '..', 'fixtures', 'idle-compaction-child.ts');

/** The child's old generation before and after ~3 s of a quiet event loop. */
const run = async (nodeArgs: string[], mode: 'on' | 'off') => {
  const r = await execa(process.execPath, [...nodeArgs, '--import', 'tsx', CHILD, mode], { timeout: 60_000 });
  return JSON.parse(r.stdout) as { before: number; after: number; compactions: number; kept: number };
};

describe('idle compaction', () => {
  it('gives back a fragmented old generation once the event loop is quiet', async () => {
    const r = await run(['--expose-gc'], 'on');
    // Fifteen of sixteen objects were garbage, spread over every page: evacuating frees most pages.
    expect(r.after).toBeLessThan(r.before * 0.6);
    expect(r.compactions).toBeGreaterThanOrEqual(1);
    expect(r.kept).toBe(75_000);
  });

  it('is what gives it back: without it V8 keeps the pages while timers run', async () => {
    const r = await run(['--expose-gc'], 'off');
    expect(r.after).toBeGreaterThan(r.before * 0.9);
  });

  it('does nothing, and breaks nothing, without --expose-gc', async () => {
    const r = await run([], 'on');
    expect(r.kept).toBe(75_000);
  });
});
