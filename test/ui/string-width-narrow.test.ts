import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { NARROW_TEXT, narrowFastPath } from '../../source/ui/string-width-narrow.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const installed = createRequire(join(ROOT, 'node_modules', 'ink', 'package.json')).resolve('string-width');

const SAMPLES = [
  '│ firehose line 1234 of a busy log stream │',
  '┌─ Logs pod/firehose ─┐',
  ' a cut line…',
  '← ↑ → ↓ · ▲',
  '    ▾ pod/web-1-a   ▸ rs/web-0 · container/app',
  '⠋ Connecting… ⠙⠹⠸⠼⠴⠦⠧⠇⠏ ⣿',
  '│ 日本語 │',
  '│ 👍🏽 ok │',
  '│ e\u0301 combining │',
  '│ tab\tand\u00ad soft hyphen │',
  '\u001b[31m│ red │\u001b[39m',
  '',
];

describe('string-width measuring framed lines by their length', () => {
  it('applies to the installed string-width, and only to strings of narrow characters', () => {
    const source = readFileSync(installed, 'utf8');
    expect(narrowFastPath(source)).not.toBe(source); // string-width changed: check its own fast paths
    expect(NARROW_TEXT.test('│ line … ─┐')).toBe(true);
    expect(NARROW_TEXT.test('⠋ Connecting…')).toBe(true);
    expect(NARROW_TEXT.test('  ▾ rs/web-1 ▸')).toBe(true);
    expect(NARROW_TEXT.test('│ 日本 │')).toBe(false);
  });

  it('gives the widths string-width gives, through the TUI’s module hook', () => {
    const hook = pathToFileURL(join(ROOT, 'source', 'ui', 'ink-cache-hook.mjs')).href;
    const script = `import { register } from 'node:module';
register(${JSON.stringify(hook)});
const { default: sw } = await import('string-width');
const samples = JSON.parse(process.argv[1]);
console.log(JSON.stringify([samples.map((s) => sw(s)), samples.map((s) => sw(s, { ambiguousIsNarrow: false }))]));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(SAMPLES)], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const [narrow, wide] = JSON.parse(out) as [number[], number[]];
    expect(narrow).toEqual(SAMPLES.map((s) => stringWidth(s)));
    expect(wide).toEqual(SAMPLES.map((s) => stringWidth(s, { ambiguousIsNarrow: false })));
  });
});
