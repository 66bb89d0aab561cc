import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

// CPU/MEM columns in the TUI, read from the engine's metrics.k8s.io; absent when a cluster has none.
let t: TestEngine;
let tui: Tui | undefined;

beforeAll(async () => {
  t = await startTestEngine();
  const busy = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'busy' },
    spec: {
      containers: [
        {
          name: 'busy',
          image: 'busybox',
          command: ['sh', '-c', 'while :; do :; done'],
          resources: { requests: { cpu: '100m', memory: '64Mi' } },
        },
      ],
    },
  };
  await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(busy) });
  await t.kubectl(['wait', '--for=condition=Ready', 'pod/busy', '--timeout=90s']);
}, 180_000);
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

function open(e: TestEngine): Tui {
  return spawnTui(['--kubeconfig', e.engine.kubeconfigPath], { env: { HOME: e.kubeHome } });
}

describe('usage columns in a terminal', { timeout: 150_000 }, () => {
  it('pods show CPU and MEM, and %CPU/R … %MEM/L in wide mode; a busy pod burns CPU', async () => {
    tui = open(t);
    await tui.waitFor('Pods(default)', 45_000);
    const narrow = await tui.waitFor((s) => {
      const m = /busy\s+1\/1\s+Running\s+\d+\s+(\d+)m\s+(\d+)Mi\s+\d+s/.exec(s);
      return !!m && Number(m[1]) > 0;
    }, 60_000);
    expect(narrow).toMatch(/NAME\s+READY\s+STATUS\s+RESTARTS\s+CPU\s+MEM\s+AGE/);
    await tui.press('\x17'); // ctrl-w: wide columns
    const wide = await tui.waitFor(/busy\s+1\/1\s+Running\s+\d+\s+\d+m\s+\d+Mi\s+\d+\s+n\/a\s+\d+\s+n\/a/, 30_000);
    expect(wide).toMatch(/RESTARTS\s+CPU\s+MEM\s+%CPU\/R\s+%CPU\/L\s+%MEM\/R\s+%MEM\/L\s+AGE/);
  });

  it('nodes show CPU, MEM, %CPU and %MEM (allocatable in wide mode)', async () => {
    tui = open(t);
    await tui.waitFor('Pods(default)', 45_000);
    await tui.press(':');
    await tui.type('nodes');
    await tui.press(KEY.enter);
    const screen = await tui.waitFor(/node1\s+Ready\s+<none>\s+\d+m\s+\d+Mi\s+\d+\s+\d+\s+\d+[smh]/, 60_000);
    expect(screen).toMatch(/NAME\s+STATUS\s+ROLES\s+CPU\s+MEM\s+%CPU\s+%MEM\s+AGE/);
    await tui.press('\x17');
    await tui.waitFor(/%MEM\s+CPU\/A\s+MEM\/A\s+AGE/, 30_000);
  });

  it(':pulses — counts by health, CPU and memory sparklines per node, recent warnings; live', async () => {
    tui = open(t);
    await tui.waitFor('Pods(default)', 45_000);
    await tui.press(':');
    await tui.type('pulses');
    await tui.press(KEY.enter);
    await tui.waitFor('Pulses cluster [live]', 20_000);
    const screen = await tui.waitFor(/node1 CPU\s+[▁▂▃▄▅▆▇█]{2,}\s+\d+m/, 60_000);
    expect(screen).toMatch(/Pods\s+\d+\s+ok\s+\d+\s+warning\s+\d+\s+error\s+\d+/);
    expect(screen).toMatch(/Nodes\s+3\s+ok\s+3/);
    expect(screen).toMatch(/cluster MEM\s+[▁▂▃▄▅▆▇█]+\s+\d+Mi/);
    expect(screen).toContain('Recent warnings');
  });

  it(':pulses — j/k select a tile, enter opens its view (a node line: the pods on that node), esc comes back', async () => {
    tui = open(t);
    await tui.waitFor('Pods(default)', 45_000);
    await tui.press(':');
    await tui.type('pulses');
    await tui.press(KEY.enter);
    await tui.waitFor(/node1 CPU\s+[▁▂▃▄▅▆▇█]+\s+\d+m/, 60_000);
    const selected = () =>
      tui!
        .highlightedRows()
        .map((r) => tui!.lines()[r]!)
        .join('\n');
    // The first tile is selected at start.
    await tui.waitFor(() => /Pods\s+\d+\s+ok/.test(selected()), 10_000);
    // Down through Deployments, Nodes, the cluster's and each node's lines to node1 CPU.
    const pressUntil = async (key: string, re: RegExp) => {
      for (let i = 0; i < 12 && !re.test(selected()); i++) {
        const before = selected();
        await tui!.press(key);
        await tui!.waitFor(() => selected() !== before && selected() !== '', 5000);
      }
      await tui!.waitFor(() => re.test(selected()), 10_000);
    };
    await pressUntil('j', /node1 CPU/);
    await tui.press(KEY.enter);
    const pods = await tui.waitFor(/Pods\(all\)/, 20_000);
    expect(pods).toContain('node/node1');
    await tui.waitFor(/busy\s+1\/1\s+Running/, 20_000);
    await tui.press(KEY.esc);
    await tui.waitFor('Pulses cluster [live]', 10_000);
    await tui.waitFor(() => /node1 CPU/.test(selected()), 10_000);
    // Back up to Deployments: the deployments of every namespace.
    await pressUntil('k', /Deployments\s+\d+/);
    await tui.press(KEY.enter);
    await tui.waitFor(/Deployments\(all\)/, 20_000);
    await tui.waitFor(/coredns/, 20_000);
  });

  it('a cluster without metrics.k8s.io: no usage columns and no error', async () => {
    const plain = await startTestEngine();
    try {
      const registry = plain.engine.ctx.store.registry;
      for (const d of registry.all().filter((x) => x.group === 'metrics.k8s.io')) registry.remove(d);
      await waitFor(
        async () => !(await plain.kubectl(['api-resources'])).stdout.includes('metrics.k8s.io'),
        10_000,
        'metrics gone from discovery',
      );
      tui = open(plain);
      const screen = await tui.waitFor(/Pods\(default\)/, 45_000);
      await tui.waitFor(/NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/, 20_000);
      expect(screen).not.toContain('CPU');
      expect(tui.screen()).not.toMatch(/metrics|error/i);
    } finally {
      tui?.kill();
      tui = undefined;
      await plain.stop();
    }
  });
});
