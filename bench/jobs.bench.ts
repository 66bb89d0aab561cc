// Jobs benchmark at time scale 1: 1,000 single-pod Jobs (busybox `true`, a real process each)
// POSTed through the API, from the first create until every Job is Complete.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../source/engine/engine.ts';
import { summarize, type Figure } from './lib.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const JOBS = 1000;
const CONCURRENCY = 16;

function call(e: Engine, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      `${e.url}${path}`,
      {
        method,
        ca: e.caCert,
        headers: { Authorization: `Bearer ${e.token}`, ...(data ? { 'Content-Type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const job = (name: string) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name },
  spec: {
    template: {
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.37', command: ['true'] }] },
    },
  },
});

async function completed(e: Engine): Promise<number> {
  const r = await call(e, 'GET', '/apis/batch/v1/namespaces/default/jobs?fieldSelector=status.successful%3D1');
  return (r.json as { items: unknown[] }).items.length;
}

/** Seconds from the first POST until all JOBS are Complete. */
async function thousandJobs(): Promise<{ seconds: number; createSeconds: number }> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-jobs-'));
  let yaml = readFileSync(join(FIXTURES, 'cluster.yaml'), 'utf8');
  yaml = yaml.replace(/127\.244\.1\.0\/24/, '127.244.12.0/22').replace(/127\.244\.2\.0\/24/, '127.244.16.0/22');
  yaml = yaml.replace(/(role: worker[\s\S]*?pods: )"110"/g, '$1"1000"');
  yaml = yaml.replace(/serviceCIDR: \S+/, `serviceCIDR: 127.${200 + Math.floor(Math.random() * 40)}.0.0/16`);
  writeFileSync(join(home, 'cluster.yaml'), yaml);
  const e = await startEngine({ home, port: 0, timeScale: 1, log: () => {} });
  try {
    // Warm-up: busybox pulled on both workers.
    for (const n of ['warm-a', 'warm-b']) await call(e, 'POST', '/apis/batch/v1/namespaces/default/jobs', job(n));
    const warmDeadline = Date.now() + 120_000;
    while ((await completed(e)) < 2) {
      if (Date.now() > warmDeadline) throw new Error('warm-up jobs did not complete');
      await new Promise((r) => setTimeout(r, 200));
    }
    const t0 = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < JOBS) {
        const i = next++;
        const r = await call(e, 'POST', '/apis/batch/v1/namespaces/default/jobs', job(`bench-${i}`));
        if (r.status !== 201) throw new Error(`create bench-${i}: HTTP ${r.status}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const createSeconds = (performance.now() - t0) / 1000;
    const deadline = Date.now() + 900_000;
    while ((await completed(e)) < JOBS + 2) {
      if (Date.now() > deadline) throw new Error('timed out waiting for 1,000 Complete jobs');
      await new Promise((r) => setTimeout(r, 250));
    }
    return { seconds: (performance.now() - t0) / 1000, createSeconds };
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

export async function run(): Promise<Figure[]> {
  const r = await thousandJobs();
  return [
    summarize('1,000 single-pod Jobs, create → all Complete', 'jobs/s', [JOBS / r.seconds], {
      note: `${r.seconds.toFixed(1)} s in all, creates took ${r.createSeconds.toFixed(1)} s; busybox \`true\` as a real process per pod`,
    }),
  ];
}
