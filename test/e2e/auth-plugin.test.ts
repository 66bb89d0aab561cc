import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { pluginLogin, type PluginLogin } from '../helpers/exec-plugin.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

let t: TestEngine;
let tui: Tui | undefined;
const logins: PluginLogin[] = [];

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  await t.kubectl(['create', 'deployment', 'api', '--image=nginx']);
}, 60_000);
afterAll(async () => {
  for (const l of logins) rmSync(l.dir, { recursive: true, force: true });
  await t?.stop();
});
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

describe('exec credential plugins in the TUI', () => {
  it('shows what a prompting plugin prints while it waits, then connects once the user logged in', async () => {
    const l = await pluginLogin(t, { prompt: true });
    logins.push(l);
    tui = spawnTui(['--kubeconfig', l.kubeconfig], { env: { HOME: t.kubeHome } });
    const screen = await tui.waitFor('enter the code SKIF-F00D', 60_000);
    expect(screen).toContain('https://login.example.test/device');
    expect(screen).toMatch(/Waiting for .*node.* \(credential plugin\)/);
    l.approve();
    await tui.waitFor('Pods(default)', 60_000);
  }, 120_000);

  it('keeps working after the credential expires and the old token is revoked: the plugin runs again, no user action', async () => {
    const l = await pluginLogin(t, { ttlSeconds: 3 });
    logins.push(l);
    tui = spawnTui(['--kubeconfig', l.kubeconfig], { env: { HOME: t.kubeHome } });
    await tui.waitFor('Pods(default)', 60_000);
    const runs = l.runs();
    const expired = Date.now() + 3_200;
    while (Date.now() < expired) await new Promise((r) => setTimeout(r, 200));
    await l.revokeLatest();
    await tui.press(':');
    await tui.type('deploy');
    await tui.press(KEY.enter);
    await tui.waitFor(/Deployments\(default\)[\s\S]*api/, 30_000);
    expect(tui.screen()).not.toMatch(/Unauthorized|401/);
    expect(l.runs()).toBeGreaterThan(runs);
  }, 120_000);

  it('interactiveMode: Always gets the terminal: the plugin asks, the user answers, the TUI comes back connected', async () => {
    const l = await pluginLogin(t, { interactiveMode: 'Always', readStdin: true });
    logins.push(l);
    tui = spawnTui(['--kubeconfig', l.kubeconfig], { env: { HOME: t.kubeHome } });
    await tui.waitFor('Enter the one-time code:', 60_000);
    expect(tui.screen()).toContain('the credential plugin of context "plugin" needs you');
    await tui.type('SKIF-F00D\r');
    await tui.waitFor('Pods(default)', 60_000);
    expect(l.runs()).toBe(1);
    await tui.press('q');
    expect(await tui.exited).toBe(0);
  }, 120_000);
});
