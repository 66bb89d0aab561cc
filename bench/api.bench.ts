// Engine API benchmarks: cold `cluster up`, LIST of 10,000 pods (JSON and Table), watch fan-out.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, up } from '../source/cluster/daemon.ts';
import { startEngine } from '../source/engine/engine.ts';
import { summarize, timedGet, type Figure } from './lib.ts';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

async function clusterUp(): Promise<Figure> {
  const xs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const home = mkdtempSync(join(tmpdir(), 'skiff-bench-up-'));
    const t0 = performance.now();
    await up(home, { port: 0, mergeUserKubeconfig: false });
    xs.push((performance.now() - t0) / 1000);
    await down(home);
    rmSync(home, { recursive: true, force: true });
  }
  return summarize('cluster up → nodes Ready (cold, fresh state)', 's', xs, { anchor: 'kind create cluster ≈ 14 s' });
}

async function lists(): Promise<Figure[]> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-list-'));
  const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
  for (let i = 0; i < 10_000; i++) {
    e.ctx.store.create('pods', {
      metadata: { name: `pod-${i}`, namespace: 'default', labels: { app: `app-${i % 10}` } },
      spec: {
        nodeName: i % 2 ? 'node1' : 'node2',
        containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }],
      },
    });
  }
  const url = `${e.url}/api/v1/namespaces/default/pods`;
  const json: number[] = [];
  const table: number[] = [];
  for (let i = 0; i < 20; i++) {
    json.push((await timedGet(url, e.token, e.caCert)).ms);
    table.push((await timedGet(url, e.token, e.caCert, TABLE)).ms);
  }
  await e.stop();
  rmSync(home, { recursive: true, force: true });
  return [
    summarize('LIST 10,000 pods as JSON', 'ms', json, { anchor: 'upstream SLO: p99 ≤ 1.5 s' }),
    summarize('LIST 10,000 pods as Table', 'ms', table, { anchor: 'upstream SLO: p99 ≤ 1.5 s' }),
  ];
}

async function watchFanout(): Promise<Figure> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-watch-'));
  const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const reqs = [];
  let ready = 0;
  for (let w = 0; w < 100; w++) {
    const rv = e.ctx.store.currentRV();
    const req = request(
      `${e.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`,
      { ca: e.caCert, headers: { Authorization: `Bearer ${e.token}` } },
      (res) => {
        ready++;
        let buf = '';
        res.on('data', (c) => {
          buf += c;
          let i: number;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            const name = JSON.parse(line).object?.metadata?.name;
            const t = sentAt.get(name);
            if (t !== undefined) latencies.push(performance.now() - t);
          }
        });
      },
    );
    req.end();
    reqs.push(req);
  }
  while (ready < 100) await new Promise((r) => setTimeout(r, 10));
  for (let i = 0; i < 50; i++) {
    const name = `cm-${i}`;
    sentAt.set(name, performance.now());
    e.ctx.store.create('configmaps', { metadata: { name, namespace: 'default' }, data: { i: String(i) } });
    await new Promise((r) => setTimeout(r, 20));
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < 5000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  reqs.forEach((r) => r.destroy());
  await e.stop();
  rmSync(home, { recursive: true, force: true });
  return summarize('watch event delivery to 100 watchers (write → client)', 'ms', latencies, {
    note: `${latencies.length}/5000 deliveries`,
  });
}

export async function run(): Promise<Figure[]> {
  return [await clusterUp(), ...(await lists()), await watchFanout()];
}
