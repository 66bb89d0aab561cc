import { execa } from 'execa';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { writeSplitKubeconfig, type SplitKubeconfig } from '../helpers/split-kubeconfig.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let t: TestEngine;
let split: SplitKubeconfig;
let tui: Tui | undefined;

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  split = writeSplitKubeconfig(t.engine.url, t.engine.token, t.engine.caCert);
}, 60_000);
afterAll(async () => {
  await t?.stop();
  if (split) rmSync(split.dir, { recursive: true, force: true });
});
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

describe('several kubeconfig files', () => {
  it('kubeadm-style files with duplicate names: the first file’s context is used and :ctx lists every context', async () => {
    await t.kubectl(['create', 'namespace', 'split-ns']);
    tui = spawnTui(['--context', 'kubernetes-admin@kubernetes', '-n', 'split-ns'], {
      env: { HOME: t.kubeHome, KUBECONFIG: split.env },
    });
    await tui.waitFor('Pods(split-ns)', 60_000);
    await tui.press(':');
    await tui.type('ctx');
    await tui.press(KEY.enter);
    const screen = await tui.waitFor('staging', 20_000);
    expect(screen).toContain('kubernetes-admin@kubernetes(*)');
    expect(screen).not.toContain('Duplicate');
  }, 120_000);
});

describe('skiff with no context, next to the user’s own kubeconfig', () => {
  it('opens the local engine without touching the user’s current-context, and :ctx offers the user’s contexts too', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skiff-e2e-kc-'));
    const skiffHome = join(home, '.skiff');
    const userConfig = join(home, '.kube', 'config');
    mkdirSync(join(home, '.kube'));
    writeFileSync(userConfig, readFileSync(split.second, 'utf8'), { mode: 0o600 });
    const before = readFileSync(userConfig, 'utf8');
    const env = { HOME: home, SKIFF_HOME: skiffHome, KUBECONFIG: userConfig, SKIFF_TIME_SCALE: '0.05' };
    try {
      tui = spawnTui([], { env });
      await tui.waitFor('Pods(default)', 90_000);
      await tui.press(':');
      await tui.type('ctx');
      await tui.press(KEY.enter);
      const screen = await tui.waitFor('staging', 20_000);
      expect(screen).toContain('skiff(*)');
      expect(readFileSync(userConfig, 'utf8')).toBe(before);
      await tui.press('q');
      expect(await tui.exited).toBe(0);
      expect(readFileSync(userConfig, 'utf8')).toBe(before);
    } finally {
      await execa(process.execPath, [join(ROOT, 'bin', 'skiff.js'), 'cluster', 'down', '--home', skiffHome], {
        env,
        reject: false,
      });
      rmSync(home, { recursive: true, force: true });
    }
  }, 150_000);
});
