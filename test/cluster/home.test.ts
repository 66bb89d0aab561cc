import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** skiffHome() in a fresh process, with the environment given and a scratch directory as cwd. */
function homeWith(env: Record<string, string>): { home: string; cwd: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'skiff-home-cwd-'));
  try {
    const home = execFileSync(
      process.execPath,
      [
        '--import',
        TSX,
        '-e',
        `import('${join(ROOT, 'source/cluster/home.ts')}').then((m) => console.log(m.skiffHome()))`,
      ],
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' },
    ).trim();
    return { home, cwd };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

describe('the skiff home directory', () => {
  it('is $SKIFF_HOME when set', () => {
    expect(homeWith({ SKIFF_HOME: '/opt/somewhere', HOME: '/home/x' }).home).toBe('/opt/somewhere');
  });

  it('is ~/.skiff when SKIFF_HOME is unset or empty, never the current directory', () => {
    expect(homeWith({ HOME: '/home/x' }).home).toBe('/home/x/.skiff');
    expect(homeWith({ SKIFF_HOME: '', HOME: '/home/x' }).home).toBe('/home/x/.skiff');
    const { home, cwd } = homeWith({ SKIFF_HOME: '', HOME: '' });
    expect(home).toBe(join(userInfo().homedir, '.skiff'));
    expect(home.startsWith(cwd)).toBe(false);
  });
});
