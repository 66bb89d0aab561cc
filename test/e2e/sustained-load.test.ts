import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

// The traffic test's sustained mode: `t` on a service, `20/s for 6s` — a steady load for that long.
let t: TestEngine;
let tui: Tui | undefined;

beforeAll(async () => {
  t = await startTestEngine();
  await t.kubectl(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']);
  await t.kubectl(['expose', 'deployment', 'web', '--port=80']);
  await t.kubectl(['rollout', 'status', 'deploy/web', '--timeout=90s']);
}, 180_000);
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

describe('sustained load from the TUI', { timeout: 150_000 }, () => {
  it('t on a service with "20/s for 6s": live per-second bars, both pods answer, then it finishes and sends nothing more', async () => {
    tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath], { cols: 160, rows: 45, env: { HOME: t.kubeHome } });
    await tui.waitFor('Pods(default)', 45_000);
    await tui.press(':');
    await tui.type('svc');
    await tui.press(KEY.enter);
    await tui.waitFor(/web\s+ClusterIP/, 20_000);
    await tui.press('/');
    await tui.type('web');
    await tui.press(KEY.enter);
    await tui.waitFor('</web>');
    await tui.press('t');
    await tui.waitFor('or a sustained load (20/s for 60s)');
    // A bad value is explained and the dialog stays.
    await tui.type('lots');
    await tui.press(KEY.enter);
    await tui.waitFor('Enter a count (30) or a rate and a time (20/s for 60s)');
    await tui.press('\x15'); // ctrl-u
    await tui.type('20/s for 6s');
    await tui.press(KEY.enter);
    const running = await tui.waitFor(
      /SUSTAINED LOAD through service\/web \(.*\) · 20 req\/s for 6 s · \d s left/,
      20_000,
    );
    expect(running).toContain('[running]');
    const done = await tui.waitFor(
      (s) => s.includes('[finished]') && (s.match(/web-\w+-\w+\s+█+\s+\d+/g) ?? []).length === 2,
      60_000,
    );
    const sent = Number(/sent (\d+) · ok (\d+)/.exec(done)![1]);
    // 20/s for 6 s is 120 requests; on a busy machine some are skipped, and the view says how many.
    const skipped = Number(/skipped (\d+)/.exec(done)?.[1] ?? 0);
    expect(sent + skipped).toBeGreaterThanOrEqual(100);
    expect(sent + skipped).toBeLessThanOrEqual(120);
    expect(sent).toBeGreaterThan(0);
    expect(done).toMatch(/PER SECOND/);
    expect(done).toMatch(/-\d+s █+/);
    // Finished: nothing more goes out.
    await new Promise((r) => setTimeout(r, 1500));
    expect(Number(/sent (\d+)/.exec(tui.screen())![1])).toBe(sent);
    await tui.press(KEY.esc);
    await tui.waitFor(/Services\(default\)/, 10_000);
  });
});
