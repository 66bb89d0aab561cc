// Engine API benchmarks: cold `cluster up` (SKIFF_BENCH_API_BASE=DIR: a baseline checkout's beside it), LIST of 10,000 pods (JSON and Table), watch fan-out.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, up } from '../source/cluster/daemon.ts';
import { startEngine } from '../source/engine/engine.ts';
import { distEnv } from './dist.ts';
import { summarize, type Figure } from './lib.ts';

/** LISTs of each kind timed: enough that p99 is not the slowest one. */
const LISTS = 100;
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

// SKIFF_BENCH_API_PARTS=up,list,watch picks parts (all by default).
// A baseline checkout whose cold start is measured run for run beside this one (its dist/ built).
const BASE = process.env.SKIFF_BENCH_API_BASE;

type Up = typeof up;
type Down = typeof down;

async function clusterUp(): Promise<Figure[]> {
  // The daemon as users run it: `cluster up` spawns the built dist/ when it is fresh (cluster/launcher.ts).
  distEnv();
  const builds: Array<{ tag: string; up: Up; down: Down; env: Record<string, string>; xs: number[] }> = [
    { tag: '', up, down, env: {}, xs: [] },
  ];
  if (BASE) {
    execFileSync(process.execPath, [join(BASE, 'scripts', 'build.mjs')], { cwd: BASE, stdio: 'ignore' });
    const d = (await import(join(BASE, 'source', 'cluster', 'daemon.ts'))) as { up: Up; down: Down };
    builds.push({ tag: ' [baseline build]', up: d.up, down: d.down, env: { SKIFF_DIST: '1' }, xs: [] });
  }
  const runs = BASE ? 5 : 3;
  for (let i = 0; i < runs; i++) {
    for (const b of builds) {
      const home = mkdtempSync(join(tmpdir(), 'skiff-bench-up-'));
      const t0 = performance.now();
      await b.up(home, { port: 0, mergeUserKubeconfig: false, env: b.env });
      b.xs.push((performance.now() - t0) / 1000);
      await b.down(home);
      rmSync(home, { recursive: true, force: true });
    }
  }
  return builds.map((b) =>
    summarize(`cluster up → nodes Ready (cold, fresh state)${b.tag}`, 's', b.xs, {
      anchor: 'kind create cluster ≈ 14 s',
      ...(b.tag ? {} : { goal: '< 0.3 s' }),
      note: 'the built daemon (dist/)',
    }),
  );
}

/** Runs bench/list-client.ts in a Node process of its own and returns what it measured. */
function listsFromClientProcess(job: object): Promise<{ first: number; ms: number[][] }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'list-client.ts'), JSON.stringify(job)],
      { maxBuffer: 1 << 20 },
      (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout))),
    );
  });
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
  // The first LIST right after the creates pays for memory the process has not touched yet (on
  // this VM a fresh page costs ~30 µs: 7 ms a MB); it is its own row, the p99 is over warm ones.
  const job = { url, token: e.token, ca: e.caCert, lists: LISTS, accepts: ['application/json', TABLE] };
  const { first, ms } = await listsFromClientProcess(job);
  const [json, table] = ms as [number[], number[]];
  await e.stop();
  rmSync(home, { recursive: true, force: true });
  return [
    summarize('LIST 10,000 pods as JSON', 'ms', json, {
      anchor: 'upstream SLO: p99 ≤ 1.5 s',
      goal: 'p99 < 80 ms',
      note: `p99 of ${LISTS}, the client in a process of its own; the first LIST after the creates ${Math.round(first)} ms`,
    }),
    summarize('first LIST of 10,000 pods as JSON, right after the creates', 'ms', [first]),
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
  const parts = process.env.SKIFF_BENCH_API_PARTS?.split(',') ?? ['up', 'list', 'watch'];
  return [
    ...(parts.includes('up') ? await clusterUp() : []),
    ...(parts.includes('list') ? await lists() : []),
    ...(parts.includes('watch') ? [await watchFanout()] : []),
  ];
}
