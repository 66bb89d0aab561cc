// Workload benchmarks with the real kubectl at time scale 1: scale 0 → 1,000 nginx replicas until
// all are Ready (on the engine as the daemon runs it, and on one in this process), and a rolling
// update of 100 replicas.
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../source/engine/engine.ts';
import { childEngine, cpuSeconds } from './child.ts';
import { summarize, type Figure } from './lib.ts';
import { scaleHome } from './scale-home.ts';

const KUBECTL = process.env.SKIFF_KUBECTL ?? '/usr/bin/kubectl';

interface Bench {
  e: Engine;
  kubectl(...args: string[]): Promise<string>;
  readyReplicas(name: string): Promise<number>;
  done(): Promise<void>;
}

/**
 * Directories of finished runs, deleted when the benchmark ends rather than between runs: on ext4
 * without a journal (this host's), every inode made in the minutes after a mass deletion skips the
 * recently deleted ones (60 s, 360 s while their inode-table block is dirty), so deleting 1,000 pod
 * directories slowed the next run's container starts.
 */
const leftovers: string[] = [];

function removeLeftovers(): void {
  for (const d of leftovers.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** An engine in this process with `podsPerWorker` pod capacity. */
async function engine(podsPerWorker: number): Promise<Bench> {
  const home = scaleHome(podsPerWorker, 'skiff-bench-wl-');
  const kubeHome = mkdtempSync(join(tmpdir(), 'skiff-bench-kube-'));
  // The image pull is not what is measured: keep it short.
  const pullDelay = process.env.SKIFF_PULL_DELAY_MS;
  process.env.SKIFF_PULL_DELAY_MS = '100';
  const e = await startEngine({ home, port: 0, timeScale: 1, log: () => {} });
  if (pullDelay === undefined) delete process.env.SKIFF_PULL_DELAY_MS;
  else process.env.SKIFF_PULL_DELAY_MS = pullDelay;
  const env = { HOME: kubeHome, KUBECONFIG: e.kubeconfigPath, PATH: process.env.PATH };
  return {
    e,
    async kubectl(...args) {
      return String((await execa(KUBECTL, args, { env, extendEnv: false, timeout: 600_000 })).stdout);
    },
    async readyReplicas(name) {
      const url = `${e.url}/apis/apps/v1/namespaces/default/deployments/${name}`;
      return new Promise((resolve, reject) => {
        const req = request(url, { ca: e.caCert, headers: { Authorization: `Bearer ${e.token}` } }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve(JSON.parse(body).status?.readyReplicas ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
    },
    async done() {
      await e.stop();
      leftovers.push(home, kubeHome);
    },
  };
}

async function until(fn: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Seconds from `kubectl scale` 0 → 1,000 until the deployment reports 1,000 Ready replicas, and
 * the CPU seconds the engine spent meanwhile (kubectl runs apart), on an engine in this process:
 * its later runs reuse code the earlier ones compiled, and it has V8's default heap sizes.
 */
async function scaleTo1000(): Promise<{ s: number; cpu: number }> {
  const b = await engine(1000);
  try {
    // Warm-up: nginx pulled on both workers, kubectl's discovery cached.
    await b.kubectl('create', 'deployment', 'warm', '--image=nginx', '--replicas=2');
    await b.kubectl('rollout', 'status', 'deployment/warm', '--timeout=60s');
    await b.kubectl('create', 'deployment', 'bench', '--image=nginx', '--replicas=0');
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await b.kubectl('scale', 'deployment', 'bench', '--replicas=1000');
    await until(async () => (await b.readyReplicas('bench')) === 1000, 600_000, '1,000 Ready replicas');
    const cpu = process.cpuUsage(cpu0);
    return { s: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await b.done();
  }
}

/**
 * The same on the engine as `skiff cluster up` runs it: the built engine (dist/bin/engine.cjs) in
 * its own process, with the daemon's Node flags (engine-flags.ts), started for this run: its first
 * burst of work, compiled as it goes, as a user's first scale is.
 */
async function scaleTo1000Daemon(): Promise<{ s: number; cpu: number }> {
  const home = scaleHome(1000, 'skiff-bench-wl-');
  const kubeHome = mkdtempSync(join(tmpdir(), 'skiff-bench-kube-'));
  const e = await childEngine(home, { nofile: 65_536, env: { SKIFF_PULL_DELAY_MS: '100' } });
  try {
    const env = { HOME: kubeHome, KUBECONFIG: e.kubeconfig, PATH: process.env.PATH };
    const kubectl = async (...args: string[]) =>
      String((await execa(KUBECTL, args, { env, extendEnv: false, timeout: 600_000 })).stdout);
    const ready = async () =>
      (await e.json('GET', '/apis/apps/v1/namespaces/default/deployments/bench')).body.status?.readyReplicas ?? 0;
    await kubectl('create', 'deployment', 'warm', '--image=nginx', '--replicas=2');
    await kubectl('rollout', 'status', 'deployment/warm', '--timeout=60s');
    await kubectl('create', 'deployment', 'bench', '--image=nginx', '--replicas=0');
    const t0 = performance.now();
    const cpu0 = cpuSeconds(e.pid);
    await kubectl('scale', 'deployment', 'bench', '--replicas=1000');
    await until(async () => (await ready()) === 1000, 600_000, '1,000 Ready replicas');
    return { s: (performance.now() - t0) / 1000, cpu: cpuSeconds(e.pid) - cpu0 };
  } finally {
    await e.stop();
    leftovers.push(home, kubeHome);
  }
}

/** Seconds from `kubectl set image` to `rollout status` returning, 100 replicas, `runs` times. */
async function rollingUpdate100(runs: number): Promise<number[]> {
  const b = await engine(200);
  try {
    await b.kubectl('create', 'deployment', 'roll', '--image=nginx:1.25', '--replicas=100');
    await b.kubectl('rollout', 'status', 'deployment/roll', '--timeout=600s');
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await b.kubectl('set', 'image', 'deployment/roll', `nginx=${i % 2 ? 'nginx:1.25' : 'nginx:1.9.1'}`);
      await b.kubectl('rollout', 'status', 'deployment/roll', '--timeout=600s');
      xs.push((performance.now() - t0) / 1000);
    }
    return xs;
  } finally {
    await b.done();
  }
}

export async function run(): Promise<Figure[]> {
  const daemon: Array<{ s: number; cpu: number }> = [];
  const inProcess: Array<{ s: number; cpu: number }> = [];
  try {
    // Alternating, so both see the same machine.
    for (let i = 0; i < 3; i++) {
      daemon.push(await scaleTo1000Daemon());
      inProcess.push(await scaleTo1000());
    }
  } finally {
    removeLeftovers();
  }
  const roll = await rollingUpdate100(3).finally(removeLeftovers);
  const note = (runs: Array<{ s: number; cpu: number }>) =>
    `${runs.map((r) => r.s.toFixed(2)).join(' / ')} s; engine CPU ${runs.map((r) => r.cpu.toFixed(1)).join(' / ')} s`;
  return [
    summarize(
      'kubectl scale 0 → 1,000 nginx replicas, all Ready (the engine as the daemon runs it)',
      'pods/s',
      daemon.map((r) => 1000 / r.s),
      { anchor: 'kwok ≥ 167 pods/s, kube-scheduler ≥ 270 pods/s', goal: '≥ 1,000 pods/s', note: note(daemon) },
    ),
    summarize(
      'in the bench process (code compiled by earlier runs, V8 default heap): kubectl scale 0 → 1,000, all Ready',
      'pods/s',
      inProcess.map((r) => 1000 / r.s),
      { note: note(inProcess) },
    ),
    summarize('rolling update of 100 replicas (set image → rollout complete)', 's', roll, {
      note: '25% surge / 25% unavailable',
    }),
  ];
}
