import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../source/engine/engine.ts';
import * as rtmod from '../source/engine/runtime/index.ts';
const CLUSTER = `serviceCIDR: 127.96.0.0/16
nodePortRange: 30000-32767
nodes:
  - {name: node1, role: worker, ip: 127.0.1.2, podCIDR: 127.244.4.0/22, cpu: "64", memory: 256Gi, pods: "1000"}
  - {name: node2, role: worker, ip: 127.0.1.3, podCIDR: 127.244.8.0/22, cpu: "64", memory: 256Gi, pods: "1000"}
`;
const home = mkdtempSync(join(tmpdir(), 'skiff-prof-'));
writeFileSync(join(home, 'cluster.yaml'), CLUSTER);
const e = await startEngine({ home, port: 0, log: () => {} });
const store = e.ctx.store;
const n = 1000;
let ready = 0;
const t0 = performance.now();
let done!: () => void; const all = new Promise<void>((r) => (done = r));
const lag: number[] = [];
let last = performance.now();
const iv = setInterval(() => { const now = performance.now(); lag.push(now - last - 10); last = now; }, 10);
store.watch('pods', {}, (ev) => {
  const s = ev.object.status;
  if (ev.object.metadata.namespace === 'default' && s?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') && !(ev.prev?.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'))) { ready++; if (ready % 100 === 0) console.log(ready, Math.round(performance.now() - t0)); if (ready === n) done(); }
});
for (const node of ['node1', 'node2']) store.create('pods', { metadata: { name: `warm-${node}`, namespace: 'kube-system' }, spec: { nodeName: node, containers: [{ name: 'nginx', image: 'nginx:1.25' }] } });
await new Promise((r) => setTimeout(r, 2500));
for (let i = 0; i < n; i++) store.create('pods', { metadata: { name: `p-${i}`, namespace: 'default' }, spec: { nodeName: i % 2 ? 'node1' : 'node2', containers: [{ name: 'nginx', image: 'nginx:1.25' }] } });
await all;
clearInterval(iv);
lag.sort((a, b) => b - a);
console.log('max lag', lag.slice(0, 5).map(Math.round), 'sum lag', Math.round(lag.reduce((a, b) => a + b, 0)));
await e.stop();
rmSync(home, { recursive: true, force: true });
process.exit(0);
