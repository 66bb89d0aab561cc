import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

// :xray of the other roots — statefulsets, daemonsets, jobs, nodes — and sorting, which keeps the tree.
let t: TestEngine;
let tui: Tui | undefined;

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: nginx, image: nginx:1.25}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: busybox, command: [sleep, "3600"]}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: fail}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: fail, image: busybox, command: [sh, -c, "exit 1"]}]
`;

beforeAll(async () => {
  t = await startTestEngine();
  await t.kubectl(['apply', '-f', '-'], { input: STS });
  await t.kubectl(['create', 'job', 'once', '--image=busybox', '--', 'sh', '-c', 'echo done']);
  await t.kubectl(['rollout', 'status', 'sts/db', '--timeout=90s']);
  await t.kubectl(['rollout', 'status', 'ds/agent', '--timeout=90s']);
  await t.kubectl(['wait', '--for=condition=Complete', 'job/once', '--timeout=90s']);
  await t.kubectl(['wait', '--for=condition=Failed', 'job/fail', '--timeout=90s']);
}, 180_000);
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

function open(): Tui {
  return spawnTui(['--kubeconfig', t.engine.kubeconfigPath], { cols: 160, rows: 45, env: { HOME: t.kubeHome } });
}

async function command(ui: Tui, cmd: string, title: string | RegExp): Promise<string> {
  await ui.press(':');
  await ui.type(cmd);
  await ui.press(KEY.enter);
  return ui.waitFor(title);
}

const tableLines = (screen: string) => screen.split('\n');

describe(':xray of statefulsets, daemonsets, jobs and nodes, in a terminal', { timeout: 150_000 }, () => {
  it(':xray sts — the StatefulSet over its ordinal pods and their containers', async () => {
    tui = open();
    await tui.waitFor('Pods(default)', 45_000);
    await command(tui, 'xray sts', 'Xray(default)');
    const lines = tableLines(await tui.waitFor(/pod\/db-1\s+Running/, 30_000));
    const sts = lines.findIndex((l) => /▾ sts\/db\s+Ready\s+2\/2\s+revision db-\w+/.test(l));
    expect(sts).toBeGreaterThan(0);
    expect(lines[sts + 1]).toMatch(/▾ pod\/db-0\s+Running\s+1\/1\s+on node\d/);
    expect(lines[sts + 2]).toMatch(/· container\/nginx\s+Running\s+1\/1\s+nginx:1\.25/);
    expect(lines[sts + 3]).toMatch(/▾ pod\/db-1\s+Running\s+1\/1/);
  });

  it(':xray ds — the DaemonSet over one pod per node; :xray job — a completed Job and a failed one with its reason', async () => {
    tui = open();
    await tui.waitFor('Pods(default)', 45_000);
    await command(tui, 'xray ds', 'Xray(default)');
    const screen = await tui.waitFor(/▾ ds\/agent\s+Ready\s+(\d)\/\1\s+\d updated/, 30_000);
    const desired = Number(/ds\/agent\s+Ready\s+(\d)\//.exec(screen)![1]);
    const pods = tableLines(screen).filter((l) => /pod\/agent-\w+\s+Running\s+1\/1\s+on \w+/.test(l));
    expect(pods).toHaveLength(desired);
    expect(new Set(pods.map((l) => /on (\w+)/.exec(l)![1])).size).toBe(desired);

    await command(tui, 'xray job', /job\/once/);
    const jobs = tableLines(await tui.waitFor(/job\/fail\s+\S+\s+0\/1\s+Failed: BackoffLimitExceeded/, 30_000));
    const once = jobs.findIndex((l) => /▾ job\/once\s+\S+\s+1\/1\s+0 active/.test(l));
    expect(once).toBeGreaterThan(0);
    expect(jobs[once + 1]).toMatch(/pod\/once-\w+\s+Completed\s+0\/1/);
    const fail = jobs.findIndex((l) => /job\/fail/.test(l));
    expect(jobs[fail + 1]).toMatch(/pod\/fail-\w+\s+Error\s+0\/1/);
  });

  it(':xray node — each node over the pods it runs (every namespace); sorting is off and says why', async () => {
    const wide = (await t.kubectl(['get', 'pod', 'db-0', '-o', 'jsonpath={.spec.nodeName}'])).stdout.trim();
    tui = open();
    await tui.waitFor('Pods(default)', 45_000);
    await command(tui, 'xray node', 'Xray(all)');
    const screen = await tui.waitFor(/pod\/db-0\s+Running/, 30_000);
    const lines = tableLines(screen);
    const node = lines.findIndex((l) => new RegExp(`▾ node/${wide}\\s+Ready\\s+\\d+ pods`).test(l));
    expect(node).toBeGreaterThan(0);
    const next = lines.findIndex((l, i) => i > node && /[▾▸] node\//.test(l));
    const under = lines.slice(node + 1, next < 0 ? undefined : next);
    expect(under.some((l) => /pod\/db-0\s+Running/.test(l))).toBe(true);
    // kube-system's pods are listed under their nodes too.
    expect(screen).toMatch(/pod\/coredns-\w+-\w+/);
    const before = lines.filter((l) => /[▾▸·] (node|pod|container)\//.test(l));
    await tui.press('S');
    await tui.waitFor('Sorting is off in xray', 10_000);
    await tui.press('<');
    await tui.waitQuiet(300);
    const after = tableLines(tui.screen()).filter((l) => /[▾▸·] (node|pod|container)\//.test(l));
    expect(after.map((l) => /[▾▸·] (\S+)/.exec(l)![1])).toEqual(before.map((l) => /[▾▸·] (\S+)/.exec(l)![1]));
  });
});
