import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// kubectl top against measured figures: a busy-looping host process against an idle one.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const K127 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';
const K133 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';

/** `kubectl top pods` rows as name → [cpu millicores, memory MiB]. */
function parseTop(out: string): Map<string, [number, number]> {
  const rows = new Map<string, [number, number]>();
  for (const line of out.trim().split('\n').slice(1)) {
    const cells = line.trim().split(/\s+/);
    const cpu = cells.find((c) => /^\d+m$/.test(c));
    const mem = cells.find((c) => /^\d+Mi$/.test(c));
    if (cpu && mem) rows.set(cells[cells.length === 3 ? 0 : cells.length - 3]!, [parseInt(cpu), parseInt(mem)]);
  }
  return rows;
}

describe('kubectl top (metrics.k8s.io/v1beta1)', () => {
  it('a busy host-process pod shows CPU, an idle one stays near zero; both show their memory', async () => {
    await t.kubectl(['run', 'busy', '--image=busybox', '--', 'sh', '-c', 'while :; do :; done']);
    await t.kubectl(['run', 'idle', '--image=busybox', '--', 'sleep', '3600']);
    const rows = await waitFor(
      async () => {
        const r = parseTop((await t.kubectl(['top', 'pods'], { reject: false })).stdout);
        return (r.get('busy')?.[0] ?? 0) >= 50 && r.has('idle') ? r : undefined;
      },
      90_000,
      'busy pod above 50m in kubectl top',
    );
    expect(rows.get('idle')![0]).toBeLessThanOrEqual(5);
    expect(rows.get('idle')![1]).toBeGreaterThan(0);
    expect(rows.get('busy')![1]).toBeGreaterThan(0);
  });

  it('--containers, -A, --sort-by=cpu, -l and a single pod; kubectl 1.27 and 1.33 too', async () => {
    for (const bin of [undefined, K127, K133]) {
      const sorted = (await t.kubectl(['top', 'pods', '-A', '--sort-by=cpu'], { bin })).stdout.trim().split('\n');
      expect(sorted[0]).toMatch(/^NAMESPACE\s+NAME\s+CPU/);
      expect(sorted[1]).toMatch(/^default\s+busy\s/);
      const byLabel = (await t.kubectl(['top', 'pods', '-l', 'run=idle'], { bin })).stdout;
      expect(byLabel).toContain('idle');
      expect(byLabel).not.toContain('busy');
      const containers = (await t.kubectl(['top', 'pod', 'busy', '--containers'], { bin })).stdout;
      expect(containers).toMatch(/^POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
      expect(containers).toMatch(/\nbusy\s+busy\s+\d+m\s+\d+Mi/);
      expect((await t.kubectl(['top', 'pods', '--sort-by=memory'], { bin })).stdout).toContain('idle');
    }
    const missing = await t.kubectl(['top', 'pod', 'nope'], { reject: false });
    expect(missing.stderr).toContain('pods.metrics.k8s.io "default/nope" not found');
  });

  it('kubectl top nodes: the busy pod’s node carries at least its CPU', async () => {
    const node = t.engine.ctx.store.get('pods', 'default', 'busy')!.spec!.nodeName as string;
    const busy = parseTop((await t.kubectl(['top', 'pods'])).stdout).get('busy')![0];
    const out = (await t.kubectl(['top', 'nodes'])).stdout;
    expect(out).toMatch(/^NAME\s+CPU\(cores\)\s+CPU\(?%\)?\s+MEMORY\(bytes\)/);
    const line = out.split('\n').find((l) => l.startsWith(`${node} `))!;
    const cpu = parseInt(line.trim().split(/\s+/)[1]!);
    // A later window than the pod's: allow for the busy loop getting less of a loaded machine.
    expect(cpu).toBeGreaterThanOrEqual(Math.min(busy, 50) / 2);
    const raw = JSON.parse((await t.kubectl(['get', '--raw', `/apis/metrics.k8s.io/v1beta1/nodes/${node}`])).stdout);
    expect(raw).toMatchObject({ kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: node } });
    expect(raw.usage.cpu).toMatch(/^\d+n$/);
    expect(raw.window).toMatch(/^[\d.]+s$/);
  });

  it('discovery lists metrics.k8s.io; PodMetrics are read-only', async () => {
    expect((await t.kubectl(['api-resources', '--api-group=metrics.k8s.io'])).stdout).toMatch(
      /pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics/,
    );
    const del = await t.kubectl(['delete', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/busy'], {
      reject: false,
    });
    expect(del.exitCode).not.toBe(0);
  });

  it('a host-process container above its memory limit is OOM-killed (OOMKilled, exit code 137)', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hog' },
      spec: {
        containers: [
          {
            name: 'hog',
            image: 'busybox',
            command: ['python3', '-c', 'x = bytearray(80 << 20)\nimport time\ntime.sleep(3600)'],
            resources: { limits: { memory: '32Mi' } },
          },
        ],
      },
    };
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod) });
    const terminated = await waitFor(
      () => {
        const s = t.engine.ctx.store.get('pods', 'default', 'hog')?.status?.containerStatuses?.[0];
        return s?.lastState?.terminated ?? s?.state?.terminated;
      },
      90_000,
      'hog terminated',
    );
    expect(terminated).toMatchObject({ reason: 'OOMKilled', exitCode: 137 });
  });
});

describe('memory limits the sandbox cannot enforce', () => {
  it('a built-in nginx with a memory limit gets a MemoryLimitNotEnforced warning', async () => {
    await t.kubectl([
      'run',
      'limited',
      '--image=nginx',
      '--overrides',
      JSON.stringify({
        spec: { containers: [{ name: 'limited', image: 'nginx', resources: { limits: { memory: '16Mi' } } }] },
      }),
    ]);
    const out = await waitFor(
      async () => {
        const ev = (
          await t.kubectl([
            'get',
            'events',
            '--field-selector',
            'involvedObject.name=limited,reason=MemoryLimitNotEnforced',
          ])
        ).stdout;
        return ev.includes('MemoryLimitNotEnforced') && ev;
      },
      90_000,
      'MemoryLimitNotEnforced event',
    );
    expect(out).toContain('The memory limit of container limited is not enforced: it is served by the engine itself');
    expect(t.engine.ctx.store.get('pods', 'default', 'limited')!.status!.containerStatuses[0].restartCount).toBe(0);
  });
});

describe('before two samples', () => {
  it('kubectl top nodes says "metrics not available yet", as with metrics-server', async () => {
    // Unscaled time: the first window ends 20 s after start.
    const slow = await startTestEngine({ timeScale: 1 });
    try {
      const r = await slow.kubectl(['top', 'nodes'], { reject: false });
      expect(r.exitCode).not.toBe(0);
      expect(r.stderr).toContain('metrics not available yet');
    } finally {
      await slow.stop();
    }
  });
});

describe('RBAC', () => {
  it('the view role reads metrics.k8s.io (system:aggregated-metrics-reader, as metrics-server installs it)', async () => {
    const e = await startTestEngine();
    try {
      await e.kubectl(['create', 'serviceaccount', 'watcher']);
      await e.kubectl(['create', 'rolebinding', 'watcher', '--clusterrole=view', '--serviceaccount=default:watcher']);
      const can = await e.kubectl(
        ['auth', 'can-i', 'list', 'pods.metrics.k8s.io', '--as=system:serviceaccount:default:watcher'],
        { reject: false },
      );
      expect(can.stdout.trim()).toBe('yes');
      const before = await e.kubectl(
        [
          'auth',
          'can-i',
          'list',
          'pods.metrics.k8s.io',
          '-n',
          'kube-system',
          '--as=system:serviceaccount:default:watcher',
        ],
        { reject: false },
      );
      expect(before.stdout.trim()).toBe('no');
    } finally {
      await e.stop();
    }
  });
});
