import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHILD = join(import.meta.dirname, '..', 'fixtures', 'heap-growth-child.ts');

/** Full GCs while the child's retained heap grows to ~160 MiB; a small heap's limit stays under `largeMiB`. */
const majorGcs = async (largeMiB: number) => {
  const r = await execa(process.execPath, ['--import', 'tsx', CHILD, String(largeMiB)], { timeout: 60_000 });
  const out = JSON.parse(r.stdout) as { major: number; kept: number };
  expect(out.kept).toBe(160);
  return out.major;
};

describe('heap growth by size', () => {
  it('lets a small heap double between full GCs and a large one grow by 30 %, switching at run time', async () => {
    const [small, large, switched] = await Promise.all([majorGcs(100_000), majorGcs(0), majorGcs(96)]);
    // Growing by 30 % takes more full GCs to reach the same size than doubling (4 against 7–8 here).
    // The switch comes late (survivors past 48 MiB) so that a loaded machine's extra GC cannot make
    // the switched count equal the large one: at 24 MiB CI saw 7 against 7.
    expect(large).toBeGreaterThanOrEqual(small + 2);
    // Small until its survivors pass 48 MiB (doubling would pass 96), large after: 5–6 full GCs.
    expect(switched).toBeGreaterThanOrEqual(small);
    expect(switched).toBeLessThan(large);
  });
});
