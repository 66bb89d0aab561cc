import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

let t: TestEngine;
let tui: Tui | undefined;

const INIT_POD = `
apiVersion: v1
kind: Pod
metadata: {name: staged, namespace: default}
spec:
  initContainers:
  - {name: setup, image: busybox, command: [sh, -c, 'echo init-done-$((6*7))']}
  containers:
  - {name: main, image: busybox, command: [sh, -c, 'while true; do echo main-line; sleep 1; done']}
`;

const phase = (pod: string) => t.kubectl(['get', 'pod', pod, '-o', 'jsonpath={.status.phase}']).then((r) => r.stdout);

beforeAll(async () => {
  t = await startTestEngine();
  await t.kubectl(['apply', '-f', '-'], { input: INIT_POD });
  await t.kubectl([
    'create',
    'deployment',
    'many',
    '--image=busybox',
    '--replicas=7',
    '--',
    'sh',
    '-c',
    'while true; do echo many-$HOSTNAME; sleep 1; done',
  ]);
  await waitFor(async () => (await phase('staged')) === 'Running', 90_000, 'pods running');
  await waitFor(
    async () => (await t.kubectl(['get', 'deploy', 'many', '-o', 'jsonpath={.status.readyReplicas}'])).stdout === '7',
    90_000,
    'many ready',
  );
}, 180_000);
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

function open(command = 'pods'): Tui {
  return spawnTui(['--kubeconfig', t.engine.kubeconfigPath, '--command', command], {
    env: { HOME: t.kubeHome },
    cols: 160,
    rows: 40,
  });
}

async function focus(ui: Tui, name: string) {
  await ui.press('/');
  await ui.type(`^${name}$`);
  await ui.press(KEY.enter);
  await ui.waitFor(`</^${name}$>`);
}

describe('logs', () => {
  it('a crash-looping pod’s log continues across restarts: each new instance is streamed by itself', async () => {
    // Created here, so its restart back-off starts small (10 s scaled by the test engine's time scale).
    await t.kubectl([
      'run',
      'crashy',
      '--image=busybox',
      '--',
      'sh',
      '-c',
      'echo "instance-$(cat /proc/sys/kernel/random/uuid | cut -c1-8)"; sleep 1; exit 1',
    ]);
    tui = open();
    await tui.waitFor('crashy', 60_000);
    await focus(tui, 'crashy');
    await tui.press('l');
    await tui.waitFor('Logs pod/crashy');
    const instances = (s: string) => new Set([...s.matchAll(/instance-([0-9a-f]{8})/g)].map((m) => m[1])).size;
    await tui.waitFor((s) => instances(s) >= 3 && s.includes('restarted (restarts:'), 150_000);
  }, 240_000);

  it('init containers can be picked in the logs view', async () => {
    tui = open();
    await tui.waitFor('staged', 60_000);
    await focus(tui, 'staged');
    await tui.press('l');
    await tui.waitFor('main-line');
    await tui.press('c');
    await tui.waitFor('setup (init)');
    await tui.press('k', KEY.up, KEY.up);
    await tui.press(KEY.enter);
    await tui.waitFor('init-done-42', 30_000);
  }, 120_000);

  it('ephemeral containers (kubectl debug) can be picked in the logs view', async () => {
    await t.kubectl([
      'debug',
      'staged',
      '--image=busybox',
      '-c',
      'debugger',
      '--',
      'sh',
      '-c',
      'echo ephemeral-hello; sleep 3600',
    ]);
    await waitFor(
      async () =>
        (
          await t.kubectl([
            'get',
            'pod',
            'staged',
            '-o',
            'jsonpath={.status.ephemeralContainerStatuses[0].state.running}',
          ])
        ).stdout !== '',
      60_000,
      'debugger running',
    );
    tui = open();
    await tui.waitFor('staged', 60_000);
    await focus(tui, 'staged');
    await tui.press('l');
    await tui.waitFor('main-line');
    await tui.press('c');
    await tui.waitFor('debugger (ephemeral)');
    await tui.press(KEY.down);
    await tui.press(KEY.enter);
    await tui.waitFor('ephemeral-hello', 30_000);
  }, 120_000);

  it('a workload’s logs follow at most 5 pods, like kubectl --max-log-requests, and say so', async () => {
    tui = open('deploy');
    await tui.waitFor('many', 60_000);
    await focus(tui, 'many');
    await tui.press('l');
    await tui.waitFor('capped at 5, 2 more not followed (--max-log-requests)', 60_000);
    await tui.waitFor(/many-many-/, 30_000);
    const hosts = new Set([...tui.screen().matchAll(/many-(many-\S+)/g)].map((m) => m[1]));
    expect(hosts.size).toBeLessThanOrEqual(5);
  }, 120_000);
});
