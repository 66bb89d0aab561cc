import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { KEYS, renderApp, type AppHarness } from './harness.tsx';

let t: TestEngine;
let app: AppHarness | undefined;
const RIGHT = '\x1b[C';

const chatty = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          {
            name: 'main',
            image: 'busybox',
            command: ['sh', '-c', 'while true; do echo main-says-hi; sleep 0.3; done'],
          },
          {
            name: 'side',
            image: 'busybox',
            command: ['sh', '-c', 'while true; do echo side-says-hi; sleep 0.3; done'],
          },
        ],
      },
    },
  },
});

beforeAll(async () => {
  t = await startTestEngine();
  const file = join(t.kubeHome, 'chatty.yaml');
  writeFileSync(file, stringify(chatty('chatty', 2)));
  await t.kubectl(['apply', '-f', file]);
  await waitFor(
    async () => (await t.kubectl(['get', 'deploy', 'chatty', '-o', 'jsonpath={.status.readyReplicas}'])).stdout === '2',
    30_000,
    'chatty ready',
  );
});
afterAll(async () => t?.stop());
afterEach(() => {
  app?.unmount();
  app = undefined;
});

const open = (opts: Parameters<typeof renderApp>[0] = {}) =>
  renderApp({ kubeconfigPath: t.engine.kubeconfigPath, ...opts });
async function focus(a: AppHarness, name: string) {
  await a.waitFor(name);
  await a.press('/');
  await a.type(`^${name}$`);
  await a.press(KEYS.enter);
  await a.waitFor((f) => f.includes(`</^${name}$>`) && f.includes(name));
}
const jsonpath = async (args: string[], path: string) =>
  (await t.kubectl(['get', ...args, '-o', `jsonpath=${path}`])).stdout;

describe('workload and node actions', () => {
  it('l on a deployment streams every pod with a prefix; c picks the container', async () => {
    app = open({ command: 'deploy' });
    await focus(app, 'chatty');
    await app.press('l');
    await app.waitFor('Logs deployment/chatty');
    const f = await app.waitFor(
      (x) =>
        (x.match(/chatty-\S+ main-says-hi/g) ?? []).length > 2 &&
        new Set(x.match(/chatty-[a-z0-9]+-[a-z0-9]+/g)).size >= 2,
    );
    expect(f).toContain('2 pods');
    await app.press('c');
    await app.waitFor('Container');
    await app.press(KEYS.down, KEYS.enter);
    await app.waitFor((x) => x.includes('side-says-hi') && !x.includes('main-says-hi'));
    await app.press('w');
    await app.waitFor(' wrap');
  });

  it('o shows the rollout; r restarts it (after confirming) and the rollout completes again', async () => {
    app = open({ command: 'deploy' });
    await focus(app, 'chatty');
    await app.press('r');
    await app.waitFor('Restart every pod of deployment/chatty');
    await app.press(RIGHT, KEYS.enter);
    await app.waitFor('deployment/chatty restarted');
    expect(await jsonpath(['deploy', 'chatty'], '{.spec.template.metadata.annotations}')).toContain(
      'kubectl.kubernetes.io/restartedAt',
    );
    await app.press('o');
    await app.waitFor('Rollout deployment/chatty');
    const done = await app.waitFor((x) => x.includes('✓ COMPLETE') && /2 new/.test(x), 60_000);
    expect(done).toMatch(/1 old\s+chatty-/);
  });

  it('ctrl-k kills a pod at once', async () => {
    await t.kubectl(['run', 'victim', '--image=busybox', '--', 'sleep', '3600']);
    app = open();
    await focus(app, 'victim');
    await app.press(KEYS.ctrlK);
    await app.waitFor('Kill pod/victim now');
    await app.press(RIGHT, KEYS.enter);
    await app.waitFor('pod/victim killed');
    await waitFor(
      async () => (await t.kubectl(['get', 'pod', 'victim'], { reject: false })).exitCode !== 0,
      15_000,
      'victim gone',
    );
  });

  it('c cordons, u uncordons, r drains a node', async () => {
    app = open({ command: 'no' });
    await focus(app, 'node2');
    await app.press('c');
    await app.waitFor('Cordon node node2?');
    await app.press(RIGHT, KEYS.enter);
    await app.waitFor('node/node2 cordoned');
    await app.waitFor(/node2\s+Ready,SchedulingDisabled/);
    await app.press('u');
    await app.waitFor('Uncordon node node2?');
    await app.press(RIGHT, KEYS.enter);
    await app.waitFor('node/node2 uncordoned');
    await app.waitFor((x) => /node2\s+Ready\s/.test(x));
    await app.press('r');
    await app.waitFor('Cordon node node2 and evict its pods');
    await app.press(RIGHT, KEYS.enter);
    await app.waitFor(/node\/node2 drained \(\d+ pods evicted\)/, 20_000);
    expect(await jsonpath(['node', 'node2'], '{.spec.unschedulable}')).toBe('true');
    await t.kubectl(['uncordon', 'node2']);
  });
});
