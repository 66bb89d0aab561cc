import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { INK_CACHE_LIMIT, boundInkCaches } from '../../source/ui/ink-cache-bound.mjs';

const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));

describe('bounding ink 6.8 text caches (ink#986)', () => {
  for (const file of ['measure-text', 'wrap-text'] as const) {
    it(`rewrites the installed ${file}.js, and the result evicts`, async () => {
      const source = readFileSync(join(inkBuild, `${file}.js`), 'utf8');
      const patched = boundInkCaches(source, file);
      expect(patched).not.toBe(source); // ink changed: the hook no longer applies; check the upstream fix
      expect(patched).toContain(String(INK_CACHE_LIMIT));
      // Run the patched module with its imports stubbed, and feed it many distinct strings.
      const body = patched.replace(/^import .*$/gm, '').replace('export default', 'return');
      let computed = 0;
      const count = (s: string) => (computed++, s);
      const fn = new Function('widestLine', 'wrapAnsi', 'cliTruncate', body)(
        (s: string) => count(s).length,
        count,
        count,
      );
      fn('line 0', 80, 'wrap');
      fn('line 0', 80, 'wrap');
      expect(computed).toBe(1); // still a cache
      for (let i = 1; i <= INK_CACHE_LIMIT * 2; i++) fn(`line ${i}`, 80, 'wrap');
      computed = 0;
      fn('line 0', 80, 'wrap');
      expect(computed).toBe(1); // evicted: old strings do not stay forever
    });
  }
});

describe('sharing ink 6.8 output caches across frames', () => {
  it("rewrites the installed output.js so a second frame reuses the first one's work, within a bound", async () => {
    const source = readFileSync(join(inkBuild, 'output.js'), 'utf8');
    const patched = boundInkCaches(source, 'output');
    expect(patched).not.toBe(source); // ink changed: the hook no longer applies
    const body = patched.replace(/^import .*$/gm, '').replace(/export default class Output/, 'return class Output');
    let tokenized = 0;
    const Output = new Function(
      'sliceAnsi',
      'stringWidth',
      'styledCharsFromTokens',
      'styledCharsToString',
      'tokenize',
      body,
    )(
      (s: string) => s,
      (s: string) => s.length,
      (tokens: string[]) => tokens.map((value) => ({ type: 'char', value, fullWidth: false, styles: [] })),
      (chars: Array<{ value: string }>) => chars.map((c) => c.value).join(''),
      (line: string) => (tokenized++, [...line]),
    );
    const frame = (lines: string[]) => {
      const o = new Output({ width: 10, height: lines.length });
      lines.forEach((l, y) => o.write(0, y, l, { transformers: [] }));
      return o.get().output;
    };
    expect(frame(['abc', 'def'])).toBe('abc\ndef');
    const first = tokenized;
    expect(frame(['abc', 'xyz'])).toBe('abc\nxyz');
    expect(tokenized).toBe(first + 1); // only the changed line
    for (let i = 0; i < INK_CACHE_LIMIT * 2; i++) frame([`l${i}`]);
    tokenized = 0;
    frame(['abc']);
    expect(tokenized).toBe(1); // bounded: evicted
  });
});
