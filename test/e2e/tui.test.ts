import { execa } from 'execa';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

const ROOT = join(import.meta.dirname, '..', '..');
let t: TestEngine;
let tui: Tui | undefined;

const pod = (name: string, ns: string, labels: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: 'c', image: 'nginx:1.7.9' }] },
});

beforeAll(async () => {
  t = await startTestEngine();
  const objects = [
    pod('web-1', 'default', { app: 'web' }),
    pod('coredns-7db6d8ff4d-x2x9p', 'kube-system', { 'k8s-app': 'kube-dns' }),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.7.9' }] } },
      },
    },
  ];
  const file = join(t.kubeHome, 'objects.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  await t.kubectl(['apply', '-f', file]);
});
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

function open(args: string[] = [], size = { cols: 120, rows: 30 }): Tui {
  return spawnTui(['--kubeconfig', t.engine.kubeconfigPath, ...args], { ...size, env: { HOME: t.kubeHome } });
}

/** No row of the screen shows the same object twice and the header is on the first row. */
function expectSaneScreen(lines: string[]) {
  expect(lines[0]).toMatch(/Context:/);
  const frameTop = lines.findIndex((l) => l.startsWith('┌'));
  const frameBottom = lines.findIndex((l) => l.startsWith('└'));
  expect(frameTop).toBeGreaterThan(0);
  expect(frameBottom).toBeGreaterThan(frameTop);
  expect(lines.filter((l) => l.startsWith('┌'))).toHaveLength(1);
}

describe('skiff in a terminal, on a real engine', () => {
  it('opens on pods; :deploy; a kubectl scale from outside shows up with no key pressed', async () => {
    tui = open();
    await tui.waitFor((s) => s.includes('Pods(default)[') && s.includes('web-1'));
    expectSaneScreen(await tui.frame());
    await tui.press(':');
    await tui.type('deploy');
    await tui.press(KEY.enter);
    await tui.waitFor(/web\s+\d\/1\s/);
    await t.kubectl(['scale', 'deployment', 'web', '--replicas=3']);
    await tui.waitFor(/web\s+\d\/3\s/);
    expectSaneScreen(await tui.frame());
  });

  it('-A and 0 show kube-system; /coredns filters; esc clears', async () => {
    tui = open(['-A']);
    let s = await tui.waitFor((x) => x.includes('Pods(all)[') && x.includes('coredns-7db6d8ff4d-x2x9p'));
    expect(s).toMatch(/kube-system\s+coredns/);
    await tui.press('/');
    await tui.type('coredns');
    s = await tui.waitFor(/Pods\(all\)\[\d+\/\d+\] <\/coredns>/);
    expect(s).toContain('coredns-7db6d8ff4d-x2x9p');
    expect(s).not.toContain('web-1');
    await tui.press(KEY.enter, KEY.esc);
    await tui.waitFor((x) => /Pods\(all\)\[\d+\]/.test(x) && x.includes('web-1'));
    tui.kill();

    tui = open();
    await tui.waitFor((s) => s.includes('Pods(default)[') && s.includes('web-1'));
    await tui.press('0');
    s = await tui.waitFor(/kube-system\s+coredns/);
    expect(s).toMatch(/Pods\(all\)\[\d+\]/);
  });

  it('? shows help, esc returns, q quits and restores the terminal', async () => {
    tui = open();
    await tui.waitFor((s) => s.includes('Pods(default)[') && s.includes('web-1'));
    expect(tui.term.buffer.active.type).toBe('alternate');
    await tui.press('?');
    await tui.waitFor('Help pods');
    await tui.press(KEY.esc);
    await tui.waitFor((s) => s.includes('Pods(default)[') && s.includes('web-1'));
    await tui.press('q');
    expect(await tui.exited).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(tui.term.buffer.active.type).toBe('normal');
    expect(tui.output().endsWith('\x1b[?1049l') || tui.output().includes('\x1b[?25h\x1b[?1049l')).toBe(true);
  });

  it('restores the terminal when killed with SIGTERM', async () => {
    tui = open();
    await tui.waitFor('web-1');
    expect(tui.term.buffer.active.type).toBe('alternate');
    process.kill(tui.pid, 'SIGTERM');
    expect(await tui.exited).toBe(143);
    await new Promise((r) => setTimeout(r, 50));
    expect(tui.term.buffer.active.type).toBe('normal');
    expect(tui.output()).toContain('\x1b[?25h');
  });

  it('fits 80x24 and 200x60 without wrapping, and follows a resize', async () => {
    tui = open([], { cols: 80, rows: 24 });
    await tui.waitFor((s) => s.includes('Pods(default)[') && s.includes('web-1'));
    let lines = await tui.frame();
    expectSaneScreen(lines);
    expect(lines[22]).toMatch(/<\?> help/); // last frame row is rows - 1
    tui.resize(200, 60);
    await tui.waitFor((s) => s.split('\n')[58]?.includes('<?> help'));
    lines = await tui.frame();
    expectSaneScreen(lines);
    expect(lines.find((l) => l.startsWith('┌'))!.length).toBe(200);
  });

  it('shows an error screen for an unreachable cluster, retries, and quits cleanly', async () => {
    const kc = join(t.kubeHome, 'dead.yaml');
    writeFileSync(
      kc,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'dead', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'u', user: { token: 'x' } }],
        contexts: [{ name: 'dead', context: { cluster: 'dead', user: 'u' } }],
        'current-context': 'dead',
      }),
    );
    tui = spawnTui(['--kubeconfig', kc], { env: { HOME: t.kubeHome } });
    await tui.waitFor('Cannot reach cluster "dead"');
    await tui.press('r');
    await tui.waitFor('Cannot reach cluster "dead"');
    await tui.press('q');
    expect(await tui.exited).toBe(0);
  });
});

describe('skiff with no context', () => {
  it('starts the local engine (a spinner while it starts), then shows its pods', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skiff-e2e-home-'));
    const skiffHome = join(home, '.skiff');
    const env = {
      HOME: home,
      SKIFF_HOME: skiffHome,
      KUBECONFIG: join(home, '.kube', 'config'),
      SKIFF_TIME_SCALE: '0.05',
    };
    try {
      tui = spawnTui([], { env });
      await tui.waitFor('Pods(default)', 60_000);
      // The start begins before the UI's code loads: the spinner is drawn only if the cluster is
      // still starting when the first frame is (a cold start now often wins that race).
      expect(existsSync(join(skiffHome, 'state.db'))).toBe(true);
      expect(tui.output()).toMatch(/Starting the local cluster|Connecting/);
      await tui.press(':');
      await tui.type('ns');
      await tui.press(KEY.enter);
      await tui.waitFor('kube-system');
      await tui.press('q');
      expect(await tui.exited).toBe(0);
    } finally {
      await execa(process.execPath, [join(ROOT, 'bin', 'skiff.js'), 'cluster', 'down', '--home', skiffHome], {
        env,
        reject: false,
      });
      rmSync(home, { recursive: true, force: true });
    }
  }, 90_000);
});
