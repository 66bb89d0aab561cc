import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

// The tutorial (shared/seed) walked inside skiff, by keyboard only, against the real engine.
let t: TestEngine;
let tui: Tui | undefined;

beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

const RIGHT = '\x1b[C';

async function command(ui: Tui, text: string) {
  await ui.press(':');
  await ui.type(text);
  await ui.press(KEY.enter);
}

async function focus(ui: Tui, name: string) {
  await ui.press('/');
  await ui.type(`^${name}$`);
  await ui.press(KEY.enter);
  await ui.waitFor(`</^${name}$>`);
}

async function setImage(ui: Tui, from: string, to: string) {
  await ui.press('i');
  await ui.waitFor('Set image of nginx in deployment/my-nginx');
  for (let i = 0; i < from.length; i++) await ui.press(KEY.backspace);
  await ui.type(to);
  await ui.press(KEY.enter);
  await ui.waitFor(`image set to ${to}`);
}

const image = async () =>
  (await t.kubectl(['get', 'deploy', 'my-nginx', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).stdout;

describe('the tutorial, inside skiff', () => {
  it('create, expose, scale, round robin, rolling update, stuck rollout, history, undo, delete', async () => {
    tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath], { cols: 140, rows: 40, env: { HOME: t.kubeHome } });
    await tui.waitFor('Pods(default)');

    await command(tui, 'create deployment my-nginx --image=nginx:1.7.9');
    await tui.waitFor('deployment.apps/my-nginx created');
    await command(tui, 'expose deployment my-nginx --port=81 --target-port=80 --type=NodePort');
    await tui.waitFor('service/my-nginx exposed');

    await command(tui, 'deploy');
    await tui.waitFor('my-nginx');
    await focus(tui, 'my-nginx');
    await tui.press('s');
    await tui.waitFor('Scale deployment/my-nginx');
    await tui.press(KEY.backspace, '3', KEY.enter);
    await tui.waitFor(/my-nginx\s+3\/3/, 30_000);

    await command(tui, 'svc');
    await tui.waitFor('my-nginx');
    await focus(tui, 'my-nginx');
    await tui.press('t');
    await tui.waitFor('Traffic test through service/my-nginx');
    await tui.press(KEY.enter);
    const traffic = await tui.waitFor('[done]', 30_000);
    const answered = [...traffic.matchAll(/my-nginx-\S+\s+█+\s+(\d+)/g)].map((m) => Number(m[1]));
    expect(answered).toHaveLength(3);
    expect(answered.reduce((a, b) => a + b, 0)).toBe(30);
    for (const n of answered) expect(n).toBeGreaterThan(0);
    expect(traffic).toMatch(/30\/30 sent · 30 ok/);
    await tui.press(KEY.esc);

    await command(tui, 'deploy');
    await focus(tui, 'my-nginx');
    await setImage(tui, 'nginx:1.7.9', 'nginx:1.9.1');
    await tui.press('o');
    await tui.waitFor('Rollout deployment/my-nginx');
    const done = await tui.waitFor('✓ COMPLETE', 60_000);
    expect(done).toMatch(/2 new\s+my-nginx-\S+\s+nginx:1\.9\.1/);
    await tui.press(KEY.esc);

    await setImage(tui, 'nginx:1.9.1', 'nginx:no-such-tag');
    await tui.press('o');
    const stuck = await tui.waitFor(/✗ STUCK: pod my-nginx-\S+: (ErrImagePull|ImagePullBackOff)/, 60_000);
    expect(stuck).toContain('nginx:no-such-tag');
    await tui.press(KEY.esc);

    await tui.press('h');
    const history = await tui.waitFor('History of deployment/my-nginx');
    expect(history).toMatch(/1\s+nginx:1\.7\.9/);
    expect(history).toMatch(/3\*\s+nginx:no-such-tag/);
    await tui.press(KEY.up, KEY.up, KEY.enter);
    await tui.waitFor('Roll deployment/my-nginx back to revision 1?');
    await tui.press(RIGHT, KEY.enter);
    await tui.waitFor('rolled back to revision 1');
    await waitFor(async () => (await image()) === 'nginx:1.7.9', 10_000, 'image back to 1.7.9');
    await tui.press('o');
    await tui.waitFor('✓ COMPLETE', 60_000);
    await tui.press(KEY.esc);

    await tui.press(KEY.ctrlD);
    await tui.waitFor('Delete deployment/my-nginx in default?');
    await tui.press(RIGHT, KEY.enter);
    await tui.waitFor('deployment/my-nginx deleted');
    await waitFor(
      async () => (await t.kubectl(['get', 'deploy', 'my-nginx'], { reject: false })).exitCode !== 0,
      10_000,
      'deleted',
    );
    await tui.press('q');
    expect(await tui.exited).toBe(0);
  }, 240_000);
});
