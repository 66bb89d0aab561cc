import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { connect, type ClusterSession } from '../../source/client/session.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui } from './pty.ts';

// Big-table behaviour: 5,000 pods, churn while keys are pressed. Prints figures for the issue's
// closing note; asserts generous bounds so it stays a regression guard on slow machines.
const PODS = Number(process.env.SKIFF_PERF_PODS ?? 5000);
let t: TestEngine;
let s: ClusterSession;

const pod = (i: number) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `load-${String(i).padStart(5, '0')}`, namespace: `ns-${i % 10}`, labels: { app: `a${i % 50}` } },
  spec: { nodeName: `node${1 + (i % 2)}`, containers: [{ name: 'c', image: 'nginx:1.7.9' }] },
});

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  s = await connect(loadKubeConfig({ path: t.engine.kubeconfigPath }));
  for (let n = 0; n < 10; n++) {
    await s.transport.json({
      method: 'POST',
      path: '/api/v1/namespaces',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${n}` } },
    });
  }
  for (let i = 0; i < PODS; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, PODS - i) }, (_, k) =>
        s.transport.json({ method: 'POST', path: `/api/v1/namespaces/ns-${(i + k) % 10}/pods`, body: pod(i + k) }),
      ),
    );
  }
}, 300_000);
afterAll(async () => {
  s?.close();
  await t?.stop();
});

/** User + system CPU time of a process, in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function pct(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

describe(`${PODS} pods`, () => {
  it('paints the first table fast and keeps keys responsive under churn', async () => {
    const t0 = Date.now();
    const tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath, '-A'], {
      cols: 200,
      rows: 60,
      env: { HOME: t.kubeHome, ...(process.env.SKIFF_KEYLOG ? { SKIFF_KEYLOG: process.env.SKIFF_KEYLOG } : {}) },
    });
    try {
      await tui.waitFor('Context:', 30_000);
      const shell = Date.now() - t0;
      await tui.waitFor(`Pods(all)[${PODS}]`, 60_000);
      const firstPaint = Date.now() - t0;

      // Churn: 20 pod updates per second while we press keys.
      let churning = true;
      let n = 0;
      const churn = (async () => {
        while (churning) {
          const i = n++ % PODS;
          const p = pod(i);
          void s.transport
            .json({
              method: 'PATCH',
              path: `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`,
              contentType: 'application/merge-patch+json',
              body: { metadata: { labels: { tick: String(n) } } },
            })
            .catch(() => {});
          await new Promise((r) => setTimeout(r, 50));
        }
      })();

      const latencies: number[] = [];
      const bytesBefore = tui.output().length;
      // The selected table row: the first highlighted screen row (the crumb bar is further down).
      const selectedRow = () => tui.highlightedRows()[0];
      for (let k = 0; k < 30; k++) {
        const before = selectedRow();
        const up = k % 10 === 9;
        const expected = before + (up ? -1 : 1);
        const t1 = Date.now();
        await tui.press(up ? KEY.up : 'j');
        await tui
          .waitFor(() => selectedRow() === expected, 5000)
          .catch((e) => {
            throw new Error(
              `key ${k}: selection at row ${selectedRow()}, expected ${expected}\n${e.message.slice(0, 200)}`,
            );
          });
        latencies.push(Date.now() - t1 - 30); // press() waits 30 ms after writing
      }
      const bytes = tui.output().length - bytesBefore;
      churning = false;
      await churn;

      // Idle: no key, no churn: what does the TUI write and burn in 10 s?
      await tui.waitQuiet(500);
      const idleStart = tui.output().length;
      const cpu0 = cpuMs(tui.pid);
      await new Promise((r) => setTimeout(r, 10_000));
      const idleCpuPercent = Math.round(((cpuMs(tui.pid) - cpu0) / 10_000) * 1000) / 10;
      const idleBytes = tui.output().length - idleStart;

      const figures = {
        pods: PODS,
        processStartMs: shell,
        firstTablePaintMs: firstPaint,
        keyToFrameP50Ms: pct(latencies, 50),
        keyToFrameP95Ms: pct(latencies, 95),
        bytesPerKeyFrame: Math.round(bytes / latencies.length),
        idleBytesPer10s: idleBytes,
        idleCpuPercent,
      };
      console.log('PERF', JSON.stringify(figures));
      expect(firstPaint).toBeLessThan(30_000);
      expect(pct(latencies, 95)).toBeLessThan(1000);
      await tui.press('q');
    } finally {
      tui.kill();
    }
  }, 300_000);
});
