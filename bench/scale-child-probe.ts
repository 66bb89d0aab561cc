// Not part of `npm run bench`: `kubectl scale` 0 → N (env N, default 1,000) built-in nginx replicas
// on the engine as the daemon runs it (the built engine in its own process, with the daemon's Node
// flags), a fresh engine each run, as `workloads.bench.ts` measures it; prints the wall time to
// all Ready and the engine's CPU seconds (its main thread's apart, and how long that thread was
// runnable but waiting for a core).
// ROOT=DIR runs another checkout's built engine (to compare two side by side, alternating);
// NODEARGS="--flag …" adds Node flags after the daemon's (a later flag wins); RUNS=n engines one
// after another; KEEP=1 leaves each run's directories; PERF=FILE records `perf record -g` of the
// engine during the scale (Linux perf).
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEngine, cpuSeconds } from './child.ts';
import { scaleHome } from './scale-home.ts';

const N = Number(process.env.N ?? 1000);
const KUBECTL = process.env.SKIFF_KUBECTL ?? '/usr/bin/kubectl';

/** [on a core, runnable but waiting for one] seconds of the engine's main thread (/proc schedstat). */
function mainThread(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')
    .split(' ')
    .slice(0, 2)
    .map((ns) => Number(ns) / 1e9);
}

async function once(): Promise<void> {
  const home = scaleHome(N, 'skiff-probe-');
  const kubeHome = mkdtempSync(join(tmpdir(), 'skiff-probe-kube-'));
  const nodeArgs = process.env.NODEARGS ? process.env.NODEARGS.split(' ') : [];
  const e = await childEngine(home, {
    nofile: 65_536,
    env: { SKIFF_PULL_DELAY_MS: '100' },
    nodeArgs,
    root: process.env.ROOT,
  });
  try {
    const env = { HOME: kubeHome, KUBECONFIG: e.kubeconfig, PATH: process.env.PATH };
    const k = async (...a: string[]) => (await execa(KUBECTL, a, { env, extendEnv: false })).stdout;
    await k('create', 'deployment', 'warm', '--image=nginx', '--replicas=2');
    await k('rollout', 'status', 'deployment/warm', '--timeout=60s');
    await k('create', 'deployment', 'bench', '--image=nginx', '--replicas=0');
    const ready = async () =>
      (await e.json('GET', '/apis/apps/v1/namespaces/default/deployments/bench')).body.status?.readyReplicas ?? 0;
    const perf = process.env.PERF
      ? spawn('perf', ['record', '-F', '2000', '-g', '-p', String(e.pid), '-o', process.env.PERF], { stdio: 'ignore' })
      : undefined;
    if (perf) await new Promise((r) => setTimeout(r, 500));
    const t = performance.now();
    const c0 = cpuSeconds(e.pid);
    const m0 = mainThread(e.pid);
    await k('scale', 'deployment', 'bench', `--replicas=${N}`);
    while ((await ready()) < N) await new Promise((r) => setTimeout(r, 50));
    const s = (performance.now() - t) / 1000;
    const cpu = cpuSeconds(e.pid) - c0;
    const [mainCpu, mainWait] = mainThread(e.pid).map((v, i) => v - m0[i]!);
    if (perf) {
      perf.kill('SIGINT');
      await new Promise((r) => perf.once('exit', r));
    }
    const walPath = join(home, 'state.db-wal');
    const wal = existsSync(walPath) ? statSync(walPath).size / 2 ** 20 : 0;
    console.log(
      `scale 0→${N} (engine process): ${s.toFixed(2)} s, ${(N / s).toFixed(0)} pods/s, engine CPU ${cpu.toFixed(2)} s (its main thread ${mainCpu!.toFixed(2)} s, waiting for a core ${mainWait!.toFixed(2)} s), log ${wal.toFixed(1)} MiB ${nodeArgs.join(' ')}`,
    );
  } finally {
    await e.stop();
    // KEEP=1 leaves the run's directories (a mass delete slows the next runs' inode creation on
    // journal-less ext4: delete them after the last run).
    if (!process.env.KEEP) {
      rmSync(home, { recursive: true, force: true });
      rmSync(kubeHome, { recursive: true, force: true });
    }
  }
}

const RUNS = Number(process.env.RUNS ?? 1);
for (let i = 0; i < RUNS; i++) await once();
process.exit(0);
