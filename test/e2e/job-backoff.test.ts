import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

// Unscaled time: the TUI counts down the controller's real 10 s · 2^n back-off.
let t: TestEngine;
let tui: Tui | undefined;

beforeAll(async () => {
  t = await startTestEngine({ timeScale: 1 });
}, 60_000);
const flaky = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'flaky' },
  spec: {
    backoffLimit: 3,
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo trying; exit 1'] }],
      },
    },
  },
};
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

describe('a failing Job in a terminal', { timeout: 120_000 }, () => {
  it('its pods view counts down to the next retry, which grows after each failure; describe shows it', async () => {
    tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath], { env: { HOME: t.kubeHome } });
    await tui.waitFor('Pods(default)', 45_000);
    // Created once the TUI is up, so that the first back-off is still to come.
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(flaky) });
    await tui.press(':');
    await tui.type('job');
    await tui.press(KEY.enter);
    await tui.waitFor(/flaky\s+Running\s+0\/1/);
    await tui.press(KEY.enter);
    const first = await tui.waitFor(/next retry in \d+s \(back-off 10s after 1 failure\)/, 30_000);
    expect(first).toContain('job/flaky');
    const n1 = Number(first.match(/next retry in (\d+)s/)![1]);
    expect(n1).toBeLessThanOrEqual(10);
    // The countdown moves while nothing else changes.
    await tui.waitFor((s) => {
      const m = s.match(/next retry in (\d+)s/);
      return !!m && Number(m[1]) < n1;
    }, 5_000);
    // The retry comes, fails, and the next back-off is twice as long.
    await tui.waitFor(/next retry in \d+s \(back-off 20s after 2 failures\)/, 40_000);
    await tui.press(KEY.esc);
    await tui.waitFor(/Jobs\(default\)/);
    await tui.press('d');
    await tui.waitFor(/Next Retry:\s+in \d+s \(back-off 20s after 2 failures\)/);
  });
});
