import { describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/engine.ts';
import { filterBy, runCommand, useTuiSession } from '../helpers/tui-session.ts';
import { KEY, type Tui } from './pty.ts';

// The rollout view as a control room, and dialogs that do what a person expects — by keyboard, in a pty.
let tui: Tui;

const RIGHT = '\x1b[C';
const CTRL_U = '\x15';

const t = useTuiSession({ cols: 150, rows: 50 });

const focus = (ui: Tui, name: string) => filterBy(ui, `^${name}$`);

async function openDeployment(ui: Tui, name: string) {
  await ui.waitFor('Pods(default)', 30_000);
  await runCommand(ui, 'deploy');
  await ui.waitFor(name);
  await focus(ui, name);
}

const jsonpath = async (what: string, path: string) =>
  (await t.kubectl(['get', what, '-o', `jsonpath={${path}}`])).stdout;

describe('the scale dialog', () => {
  it('typing 3 over the prefilled 1 scales to 3; a bad value is explained before it is submitted', async () => {
    await t.kubectl(['create', 'deployment', 'scaled', '--image=nginx:1.7.9']);
    tui = t.open();
    await openDeployment(tui, 'scaled');
    await tui.press('s');
    await tui.waitFor('Scale deployment/scaled');
    await tui.waitFor('> 1');
    await tui.press('x');
    await tui.waitFor('"x" is not a number'); // said while typing, nothing submitted
    await tui.press(CTRL_U);
    await tui.waitFor('Enter a number from 0 to 10000');
    await tui.press(KEY.esc);
    expect(await jsonpath('deploy/scaled', '.spec.replicas')).toBe('1');

    await tui.press('s');
    await tui.waitFor('> 1');
    await tui.press('3');
    const typed = await tui.waitFor('> 3');
    expect(typed).not.toContain('> 13');
    await tui.press(KEY.enter);
    await tui.waitFor('deployment/scaled scaled to 3');
    expect(await jsonpath('deploy/scaled', '.spec.replicas')).toBe('3');
    await tui.waitFor(/scaled\s+3\/3/, 60_000);

    // up/down step the number.
    await tui.press('s');
    await tui.waitFor('> 3');
    await tui.press(KEY.down, KEY.down);
    await tui.waitFor('> 1');
    await tui.press(KEY.enter);
    await tui.waitFor('deployment/scaled scaled to 1');
    expect(await jsonpath('deploy/scaled', '.spec.replicas')).toBe('1');
  }, 180_000);
});

describe('the rollout view as a control room', () => {
  it('p pauses and resumes, u undoes (Cancel focused), and the view stays open showing it', async () => {
    await t.kubectl(['create', 'deployment', 'room', '--image=nginx:1.7.9']);
    await t.kubectl(['rollout', 'status', 'deploy/room', '--timeout=90s']);
    await t.kubectl(['set', 'image', 'deploy/room', 'nginx=nginx:1.9.1']);
    await t.kubectl(['rollout', 'status', 'deploy/room', '--timeout=90s']);
    tui = t.open();
    await openDeployment(tui, 'room');
    await tui.press('o');
    await tui.waitFor('Rollout deployment/room');
    await tui.waitFor(/2 new\s+room-\S+\s+nginx:1\.9\.1/);

    await tui.press('p');
    await tui.waitFor('‖ PAUSED', 30_000);
    expect(await jsonpath('deploy/room', '.spec.paused')).toBe('true');
    await tui.press('u'); // like kubectl: a paused rollout is not undone
    await tui.waitFor('is paused: resume it (p) before undoing');
    await tui.press('p');
    await tui.waitFor('deployment/room resumed');
    await tui.waitFor((s) => !s.includes('PAUSED') && s.includes('✓ COMPLETE'), 30_000);
    expect(await jsonpath('deploy/room', '.spec.paused')).toBe('');

    await tui.press('u');
    await tui.waitFor('Roll deployment/room back to its previous revision?');
    await tui.press(KEY.enter); // Cancel has the focus
    await tui.waitFor((s) => !s.includes('back to its previous revision?'));
    expect(await jsonpath('deploy/room', '.spec.template.spec.containers[0].image')).toBe('nginx:1.9.1');

    await tui.press('u');
    await tui.waitFor('Roll deployment/room back to its previous revision?');
    await tui.press(RIGHT, KEY.enter);
    await tui.waitFor('deployment/room rolled back to revision 1');
    expect(await jsonpath('deploy/room', '.spec.template.spec.containers[0].image')).toBe('nginx:1.7.9');
    // Still the rollout view, now showing revision 3 (the old template, renumbered) rolling out.
    const after = await tui.waitFor(/3 new\s+room-\S+\s+nginx:1\.7\.9/, 30_000);
    expect(after).toContain('Rollout deployment/room');
    await tui.waitFor('✓ COMPLETE', 60_000);

    await tui.press('h');
    await tui.waitFor('Compare revisions of deployment/room');
    await tui.press(KEY.enter);
    const diff = await tui.waitFor('Diff deployment/room revision 2 ↔ 3');
    expect(diff).toMatch(/image: nginx:1\.9\.1\s+\|\s+image: nginx:1\.7\.9/);
    await tui.press(KEY.esc);
    await tui.waitFor('Rollout deployment/room');
    await tui.press('q');
    expect(await tui.exited).toBe(0);
  }, 240_000);

  it('t: live traffic through the Service during a rolling update and a broken one — both revisions answer, nothing fails', async () => {
    await t.kubectl(['apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: Deployment
metadata: {name: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.7.9
        ports: [{containerPort: 80}]
        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  selector: {app: shop}
  ports: [{port: 81, targetPort: 80}]
`,
    });
    await t.kubectl(['rollout', 'status', 'deploy/shop', '--timeout=90s']);
    tui = t.open();
    await openDeployment(tui, 'shop');
    await tui.press('o');
    await tui.waitFor('Rollout deployment/shop');
    await tui.press('t');
    await tui.waitFor('Requests per second (10), or for a time (10/s for 60s):');
    await tui.press(KEY.enter);
    await tui.waitFor('LIVE TRAFFIC through service/shop');
    const answered = (s: string, rev: number) =>
      Number(new RegExp(`rev ${rev} \\((?:new|old)\\) answered (\\d+)`).exec(s)?.[1] ?? -1);
    const failed = (s: string) => Number(/sent \d+ · ok \d+ · failed (\d+)/.exec(s)?.[1] ?? -1);
    await tui.waitFor((s) => answered(s, 1) >= 20, 60_000);

    // A rolling update under traffic: the new revision takes over, with readiness gating it.
    await tui.press('i');
    await tui.waitFor('Set image of nginx in deployment/shop');
    await tui.type('nginx:1.9.1');
    await tui.press(KEY.enter);
    await tui.waitFor(/2 new\s+shop-\S+\s+nginx:1\.9\.1/, 30_000);
    await tui.waitFor('✓ COMPLETE', 90_000);
    const rolled = await tui.waitFor((s) => answered(s, 2) >= 20, 60_000);
    expect(answered(rolled, 1)).toBeGreaterThan(0);
    expect(failed(rolled)).toBe(0);

    // A broken rollout: nginx:abc never pulls, the old revision keeps serving everything.
    await tui.press('i');
    await tui.waitFor('Set image of nginx in deployment/shop');
    await tui.type('nginx:abc');
    await tui.press(KEY.enter);
    const stuck = await tui.waitFor(/✗ STUCK: pod shop-\S+: (ErrImagePull|ImagePullBackOff)/, 60_000);
    const before = answered(stuck, 2);
    const later = await tui.waitFor((s) => answered(s, 2) >= before + 30, 60_000);
    expect(answered(later, 3)).toBe(0); // the broken revision answered nothing
    expect(failed(later)).toBe(0);
    expect(later).toMatch(/▒ rev 2 \(old\)/);
    expect(later).toMatch(/-\ds ▒+/); // the per-second bars are the old revision's
    await tui.press('t');
    await tui.waitFor(/Live traffic stopped: \d+ sent, 0 failed/);
  }, 300_000);

  it('o on a statefulset: revisions are ControllerRevisions; u from inside rolls back, h diffs two of them', async () => {
    await t.kubectl(['apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: nginx, image: nginx:1.7.9}]
`,
    });
    await t.kubectl(['rollout', 'status', 'sts/db', '--timeout=90s']);
    await t.kubectl(['set', 'image', 'sts/db', 'nginx=nginx:1.9.1']);
    await t.kubectl(['rollout', 'status', 'sts/db', '--timeout=90s']);
    tui = t.open();
    await tui.waitFor('Pods(default)', 30_000);
    await runCommand(tui, 'sts');
    await tui.waitFor('db');
    await focus(tui, 'db');
    await tui.press('o');
    await tui.waitFor('Rollout statefulset/db');
    await tui.waitFor(
      (s) => /2 new\s+db-\S+\s+nginx:1\.9\.1/.test(s) && /db-0\s+Running\s+ready\s+rev 2 \(new\)/.test(s),
      30_000,
    );
    await tui.press('u');
    await tui.waitFor('Roll statefulset/db back to its previous revision?');
    await tui.press(RIGHT, KEY.enter);
    await tui.waitFor('statefulset/db rolled back to revision 1');
    expect(await jsonpath('sts/db', '.spec.template.spec.containers[0].image')).toBe('nginx:1.7.9');
    await tui.waitFor(
      (s) =>
        /3 new\s+db-\S+\s+nginx:1\.7\.9/.test(s) &&
        s.includes('✓ COMPLETE') &&
        /db-1\s+Running\s+ready\s+rev 3 \(new\)/.test(s),
      90_000,
    );
    await tui.press('h');
    await tui.waitFor('Compare revisions of statefulset/db');
    await tui.press(KEY.enter);
    const diff = await tui.waitFor('Diff statefulset/db revision 2 ↔ 3');
    expect(diff).toMatch(/image: nginx:1\.9\.1\s+\|\s+.*image: nginx:1\.7\.9/);
  }, 240_000);
});
