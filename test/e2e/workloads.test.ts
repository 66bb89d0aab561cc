import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

const RIGHT = '\x1b[C';
let t: TestEngine;
let tui: Tui | undefined;

beforeAll(async () => {
  t = await startTestEngine();
  await t.kubectl([
    'create',
    'cronjob',
    'nightly',
    '--image=busybox',
    '--schedule=0 3 * * *',
    '--',
    'sh',
    '-c',
    'echo nightly run',
  ]);
  await t.kubectl(['create', 'job', 'once', '--image=busybox', '--', 'sh', '-c', 'echo job output line']);
  const sts = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db' },
    spec: {
      serviceName: 'db',
      replicas: 2,
      selector: { matchLabels: { app: 'db' } },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
    },
  };
  await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(sts) });
  await t.kubectl(['wait', '--for=condition=complete', 'job/once', '--timeout=90s']);
  await t.kubectl(['rollout', 'status', 'sts/db', '--timeout=90s']);
}, 180_000);
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

function open(): Tui {
  return spawnTui(['--kubeconfig', t.engine.kubeconfigPath], { env: { HOME: t.kubeHome } });
}

async function command(ui: Tui, cmd: string, title: RegExp): Promise<void> {
  await ui.press(':');
  await ui.type(cmd);
  await ui.press(KEY.enter);
  await ui.waitFor(title);
}

async function focus(ui: Tui, name: string) {
  await ui.press('/');
  await ui.type(`^${name}$`);
  await ui.press(KEY.enter);
  await ui.waitFor(`</^${name}$>`);
}

describe('jobs, cronjobs and statefulsets in a terminal', { timeout: 120_000 }, () => {
  it(':cj — t triggers a run now, s suspends and resumes; both are in the help', async () => {
    tui = open();
    await tui.waitFor('Pods(default)', 45_000);
    await command(tui, 'cj', /CronJobs\(default\)/);
    await tui.waitFor(/nightly\s+0 3 \* \* \*\s+<none>\s+False/);
    await focus(tui, 'nightly');
    await tui.press('?');
    const help = await tui.waitFor('Trigger');
    expect(help).toContain('Suspend/Resume');
    await tui.press(KEY.esc);
    await tui.press('t');
    await tui.waitFor('Run cronjob/nightly now');
    await tui.press(RIGHT, KEY.enter);
    const toast = await tui.waitFor(/job\/nightly-manual-\w+ created from cronjob\/nightly/);
    const job = /job\/(nightly-manual-\w+)/.exec(toast)![1]!;
    await t.kubectl(['wait', '--for=condition=complete', `job/${job}`, '--timeout=30s']);
    expect((await t.kubectl(['logs', `job/${job}`])).stdout).toBe('nightly run');
    expect(
      (
        await t.kubectl([
          'get',
          'job',
          job,
          '-o',
          'jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}',
        ])
      ).stdout,
    ).toBe('manual');

    await tui.press('s');
    await tui.waitFor('Suspend cronjob/nightly?');
    await tui.press(RIGHT, KEY.enter);
    await tui.waitFor('cronjob/nightly suspended');
    await tui.waitFor(/nightly\s+0 3 \* \* \*\s+<none>\s+True/);
    expect((await t.kubectl(['get', 'cj', 'nightly', '-o', 'jsonpath={.spec.suspend}'])).stdout).toBe('true');
    await tui.press('s');
    await tui.waitFor('Resume cronjob/nightly?');
    await tui.press(RIGHT, KEY.enter);
    await tui.waitFor('cronjob/nightly resumed');
    await tui.waitFor(/nightly\s+0 3 \* \* \*\s+<none>\s+False/);
  });

  it(':job shows status and completions; l shows its logs; enter drills to its pods', async () => {
    tui = open();
    await tui.waitFor('Pods(default)', 45_000);
    await command(tui, 'job', /Jobs\(default\)/);
    await tui.waitFor(/once\s+Complete\s+1\/1/);
    await focus(tui, 'once');
    await tui.press('l');
    await tui.waitFor('job output line');
    await tui.press(KEY.esc);
    await tui.waitFor(/Jobs\(default\)/);
    await tui.press(KEY.enter);
    await tui.waitFor(/once-\w{5}\s+0\/1\s+Completed/);
  });

  it(':sts shows READY; enter lists db-0 and db-1; s scales', async () => {
    tui = open();
    await tui.waitFor('Pods(default)', 45_000);
    await command(tui, 'sts', /StatefulSets\(default\)/);
    await tui.waitFor(/db\s+2\/2/);
    await focus(tui, 'db');
    await tui.press('s');
    await tui.waitFor('Scale statefulset/db');
    await tui.press(KEY.backspace, '3', KEY.enter);
    await tui.waitFor('statefulset/db scaled to 3');
    await tui.waitFor(/db\s+3\/3/, 30_000);
    await tui.press(KEY.enter);
    const pods = await tui.waitFor(/db-2\s+1\/1\s+Running/);
    expect(pods).toMatch(/db-0\s+1\/1\s+Running/);
    expect(pods).toMatch(/db-1\s+1\/1\s+Running/);
  });
});
