import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engineLauncher } from '../../source/cluster/launcher.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A checkout: every file at time `t` (seconds), except those given. */
function checkout(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'skiff-launcher-'));
  dirs.push(root);
  for (const [path, t] of Object.entries(files)) {
    const p = join(root, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, '');
    utimesSync(p, t, t);
  }
  for (const d of ['source/engine', 'source', 'fixtures'])
    if (existsSync(join(root, d))) utimesSync(join(root, d), 1000, 1000);
  return root;
}

const FILES = {
  'bin/skiff.js': 1000,
  'cli.tsx': 1000,
  'package-lock.json': 1000,
  'fixtures/cluster.yaml': 1000,
  'source/engine/engine.ts': 1000,
};

describe('engineLauncher', () => {
  it('runs the build when nothing in the sources is newer than it', () => {
    const root = checkout({ ...FILES, 'dist/engine.cjs': 2000, 'dist/bin/engine.cjs': 2000 });
    expect(engineLauncher(join(root, 'bin', 'skiff.js'))).toBe(join(root, 'dist', 'bin', 'engine.cjs'));
  });

  it('runs the sources (tsx) when one was changed after the build, or there is no build', () => {
    const edited = checkout({
      ...FILES,
      'source/engine/engine.ts': 3000,
      'dist/engine.cjs': 2000,
      'dist/bin/engine.cjs': 2000,
    });
    expect(engineLauncher(join(edited, 'bin', 'skiff.js'))).toBe(join(edited, 'bin', 'skiff.js'));
    const lock = checkout({
      ...FILES,
      'package-lock.json': 3000,
      'dist/engine.cjs': 2000,
      'dist/bin/engine.cjs': 2000,
    });
    expect(engineLauncher(join(lock, 'bin', 'skiff.js'))).toBe(join(lock, 'bin', 'skiff.js'));
    const none = checkout(FILES);
    expect(engineLauncher(join(none, 'bin', 'skiff.js'))).toBe(join(none, 'bin', 'skiff.js'));
  });

  it('runs the daemon beside the launcher when there are no sources around it (an installed package)', () => {
    const root = checkout({ 'dist/engine.cjs': 2000, 'dist/bin/engine.cjs': 2000, 'dist/bin/skiff.js': 2000 });
    expect(engineLauncher(join(root, 'dist', 'bin', 'skiff.js'))).toBe(join(root, 'dist', 'bin', 'engine.cjs'));
  });

  it('keeps the launcher when a build has no daemon beside it', () => {
    const root = checkout({ 'dist/cli.js': 2000, 'dist/bin/skiff.js': 2000 });
    expect(engineLauncher(join(root, 'dist', 'bin', 'skiff.js'))).toBe(join(root, 'dist', 'bin', 'skiff.js'));
  });
});
