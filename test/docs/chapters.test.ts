/**
 * Every chapter beyond the tutorial (docs/walkthrough-<topic>.md, with its .zh-CN.md
 * translation) runs block by block against its own fresh engine, like the tutorial itself.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, walkthroughSuite } from './walkthrough-suite.ts';

const DOCS = join(ROOT, 'docs');
const chapters = readdirSync(DOCS)
  .filter((f) => /^walkthrough-[a-z0-9-]+\.md$/.test(f) && !f.endsWith('.zh-CN.md'))
  .sort();

describe('walkthrough chapters', () => {
  it('each has its Chinese translation', () => {
    const all = new Set(readdirSync(DOCS));
    for (const f of chapters) expect(all.has(f.replace(/\.md$/, '.zh-CN.md')), f).toBe(true);
  });
});

for (const chapter of chapters) walkthroughSuite({ doc: join(DOCS, chapter), minBlocks: 3 });
