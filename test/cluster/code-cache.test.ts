import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requireWithCodeCache } from '../../source/cluster/code-cache.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A CommonJS "bundle" that uses what a module gets (require, module, __filename, __dirname, strict mode), not all ASCII. */
function bundle(answer: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-code-cache-'));
  dirs.push(dir);
  const file = join(dir, 'bundle.cjs');
  writeFileSync(
    file,
    `'use strict';
const { basename } = require('node:path');
function strict() { return this; }
module.exports = { answer: () => ${answer}, file: basename(__filename), dir: __dirname, strict: strict() === undefined, unit: 'µs' };
`,
  );
  return file;
}

describe('requireWithCodeCache', () => {
  it('runs a CommonJS bundle as require would, writes its code cache, and uses it on the next start', () => {
    const file = bundle(42);
    const first = requireWithCodeCache(file, 'build-a');
    expect(first.cacheUsed).toBe(false);
    expect((first.exports.answer as () => number)()).toBe(42);
    expect(first.exports).toMatchObject({ file: 'bundle.cjs', dir: join(file, '..'), strict: true, unit: 'µs' });
    expect(existsSync(`${file}.cache`)).toBe(false);
    expect(first.save()).toBe(true);
    expect(readFileSync(`${file}.cache`).subarray(0, 8).toString()).toBe('build-a:');

    const second = requireWithCodeCache(file, 'build-a');
    expect(second.cacheUsed).toBe(true);
    expect((second.exports.answer as () => number)()).toBe(42);
  });

  it('never uses a cache made from another build, even of the same length', () => {
    const file = bundle(42);
    requireWithCodeCache(file, 'build-a').save();
    writeFileSync(file, readFileSync(file, 'utf8').replace('42', '43'));
    const rebuilt = requireWithCodeCache(file, 'build-b');
    expect(rebuilt.cacheUsed).toBe(false);
    expect((rebuilt.exports.answer as () => number)()).toBe(43);
    // and its save() replaces the old cache with one of its own
    expect(rebuilt.save()).toBe(true);
    expect(requireWithCodeCache(file, 'build-b').cacheUsed).toBe(true);
  });

  it('ignores a damaged cache and reports a cache it cannot write', () => {
    const file = bundle(7);
    // the right stamp, but bytes V8 rejects
    writeFileSync(`${file}.cache`, `build-a:${process.version}:${process.arch}\ngarbage`);
    const damaged = requireWithCodeCache(file, 'build-a');
    expect(damaged.cacheUsed).toBe(false);
    expect((damaged.exports.answer as () => number)()).toBe(7);
    const unwritable = requireWithCodeCache(file, 'build-a', join(file, '..', 'missing-dir', 'bundle.cjs.cache'));
    expect(unwritable.save()).toBe(false);
  });
});
