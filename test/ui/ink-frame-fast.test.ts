import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { styledCharsFromTokens, styledCharsToString, tokenize } from '@alcalzone/ansi-tokenize';
import { describe, expect, it } from 'vitest';
import { cachedRowStrings, fastStyledChars, sharedBlankCell } from '../../source/ui/ink-frame-fast.mjs';
import { rewriteModuleSource } from '../../source/ui/module-rewrites.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const inkBuild = dirname(createRequire(import.meta.url).resolve('ink'));
// The copy ink imports (no nested one under ink/node_modules).
const tokenizer = join(ROOT, 'node_modules', '@alcalzone', 'ansi-tokenize', 'build');

const E = '\u001b[';
const SAMPLES = [
  '│ plain log line │',
  `${E}90m│${E}39m ${E}36mweb-1 ${E}39mGET /healthz 200${E}1m bold${E}22m${E}2m dim${E}22m │`,
  `${E}7m inverse ${E}27m${E}31m red${E}1m and bold${E}39m just bold${E}22m`,
  `${E}1m${E}2mbold+dim${E}22m after`,
  `${E}38;5;208morange${E}48;2;1;2;3m on rgb${E}49m${E}39m end`,
  `${E}4munderline to the end`,
  '',
];

describe('Ink frames without per-cell work that changes nothing', () => {
  it('rewrites the installed ansi-tokenize and ink output', () => {
    const chars = readFileSync(join(tokenizer, 'styledChars.js'), 'utf8');
    expect(fastStyledChars(chars)).not.toBe(chars); // ansi-tokenize changed: check its styledCharsToString
    const output = readFileSync(join(inkBuild, 'output.js'), 'utf8');
    expect(sharedBlankCell(output)).not.toBe(output); // ink changed: check Output.get's grid
    expect(cachedRowStrings(output)).not.toBe(output); // ink changed: check how Output.get joins its rows
  });

  it('builds the text of the rows whose cells changed only, and the same frames as unpatched ink', () => {
    const path = join(inkBuild, 'output.js');
    const source = readFileSync(path, 'utf8');
    let rowsBuilt = 0;
    const load = (src: string) => {
      const body = src.replace(/^import .*$/gm, '').replace(/export default class Output/, 'return class Output');
      return new Function('sliceAnsi', 'stringWidth', 'styledCharsFromTokens', 'styledCharsToString', 'tokenize', body)(
        (s: string) => s,
        (s: string) => s.length,
        styledCharsFromTokens,
        (chars: Parameters<typeof styledCharsToString>[0]) => (rowsBuilt++, styledCharsToString(chars)),
        tokenize,
      );
    };
    const Patched = load(rewriteModuleSource(path, source)!);
    const Plain = load(source);
    const frame = (Output: typeof Patched, lines: string[]) => {
      const o = new Output({ width: 24, height: lines.length + 1 });
      lines.forEach((l, y) => o.write(1, y, l, { transformers: [] }));
      return o.get().output as string;
    };
    const frames = [
      [SAMPLES[0]!, SAMPLES[1]!, SAMPLES[2]!],
      [SAMPLES[0]!, SAMPLES[3]!, SAMPLES[2]!], // the middle row changes
      [SAMPLES[0]!, SAMPLES[3]!, SAMPLES[2]!], // nothing changes
      [SAMPLES[4]!, SAMPLES[5]!], // fewer rows
    ];
    const built: number[] = [];
    for (const lines of frames) {
      rowsBuilt = 0;
      const patched = frame(Patched, lines);
      built.push(rowsBuilt);
      expect(patched).toBe(frame(Plain, lines));
    }
    expect(built).toEqual([4, 1, 0, 3]); // every row, the changed one, none, the new two and the blank one below
  });

  it('prints exactly what the unpatched tokenizer prints, through the TUI’s module hook', () => {
    const hook = pathToFileURL(join(ROOT, 'source', 'ui', 'ink-cache-hook.mjs')).href;
    const script = `import { register } from 'node:module';
register(${JSON.stringify(hook)});
const t = await import('@alcalzone/ansi-tokenize');
const samples = JSON.parse(process.argv[1]);
console.log(JSON.stringify(samples.map((s) => t.styledCharsToString(t.styledCharsFromTokens(t.tokenize(s))))));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(SAMPLES)], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual(SAMPLES.map((s) => styledCharsToString(styledCharsFromTokens(tokenize(s)))));
  });
});
