import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { startEngine } from '../source/engine/engine.ts';
import { timedGet } from './lib.ts';
const gcs: Array<{ t: number; d: number; k: number }> = [];
new PerformanceObserver((l) => { for (const e of l.getEntries()) gcs.push({ t: e.startTime, d: e.duration, k: (e as any).detail?.kind }); }).observe({ entryTypes: ['gc'] });
const home = mkdtempSync(join(tmpdir(), 'skiff-list-probe-'));
const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
for (let i = 0; i < 10_000; i++) e.ctx.store.create('pods', { metadata: { name: `pod-${i}`, namespace: 'default', labels: { app: `app-${i % 10}` } }, spec: { nodeName: i % 2 ? 'node1' : 'node2', containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] } } as any);
const url = `${e.url}/api/v1/namespaces/default/pods`;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const first = await timedGet(url, e.token, e.caCert);
console.log('first', first.ms.toFixed(0));
const rows: string[] = []; const json: number[] = [];
for (let i = 0; i < 100; i++) {
  const t0 = performance.now();
  const r = await timedGet(url, e.token, e.caCert);
  json.push(r.ms);
  const g = gcs.filter((x) => x.t >= t0 && x.t <= t0 + r.ms);
  rows.push(`${r.ms.toFixed(1)} gc=${g.map((x) => `${x.k}:${x.d.toFixed(1)}`).join(',')}`);
  if (process.env.TABLE !== '0') await timedGet(url, e.token, e.caCert, TABLE);
}
const s = [...json].sort((a, b) => a - b);
console.log('median', s[50].toFixed(1), 'p99', s[98].toFixed(1), 'max', s[99].toFixed(1));
console.log(rows.map((r, i) => [json[i], r] as const).sort((a, b) => b[0] - a[0]).slice(0, 8).map((x) => x[1]).join('\n'));
await e.stop(); rmSync(home, { recursive: true, force: true });
