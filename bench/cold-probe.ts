// A probe, not a benchmark: cold `cluster up` of each checkout in SKIFF_PROBE_ROOTS (their dist/,
// built first unless SKIFF_PROBE_BUILD=0), alternating for SKIFF_PROBE_ROUNDS rounds. Per start:
// wall time of `up()` (spawn → nodes Ready seen, as api.bench.ts measures it), the daemon's CPU
// seconds when `up` returns (load-independent, unlike the wall time), and `skiff cluster up` as a
// command (its own Node start-up and CLI included); then `skiff --version` against `node -e 0`.
// SKIFF_PROBE_NODE_OPTIONS reaches the daemons (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
// Run: npx tsx bench/cold-probe.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds } from './child.ts';
import { percentile } from './lib.ts';

type Daemon = typeof import('../source/cluster/daemon.ts');

const ROUNDS = Number(process.env.SKIFF_PROBE_ROUNDS ?? 5);
const roots = (process.env.SKIFF_PROBE_ROOTS ?? join(import.meta.dirname, '..')).split(',');
const parts = (process.env.SKIFF_PROBE_PARTS ?? 'up,cli,version').split(',');
const nodeOptions = process.env.SKIFF_PROBE_NODE_OPTIONS;

interface Samples {
  root: string;
  daemon: Daemon;
  up: number[];
  cpu: number[];
  /** The daemon's CPU seconds once every component started (its "listening" log line). */
  cpuStarted: number[];
  cli: number[];
  version: number[];
}

const samples: Samples[] = [];
for (const root of roots) {
  if (process.env.SKIFF_PROBE_BUILD !== '0')
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'ignore' });
  const daemon = (await import(join(root, 'source', 'cluster', 'daemon.ts'))) as Daemon;
  samples.push({ root, daemon, up: [], cpu: [], cpuStarted: [], cli: [], version: [] });
}
const env = nodeOptions ? { NODE_OPTIONS: nodeOptions } : {};
const floor: number[] = [];
const load: number[] = [];

for (let i = 0; i < ROUNDS; i++) {
  for (const s of samples) {
    load.push(loadavg()[0]!);
    if (parts.includes('up')) {
      const home = mkdtempSync(join(tmpdir(), 'skiff-cold-probe-'));
      const t0 = performance.now();
      await s.daemon.up(home, { port: 0, mergeUserKubeconfig: false, env });
      s.up.push((performance.now() - t0) / 1000);
      const pid = JSON.parse(readFileSync(join(home, 'engine.json'), 'utf8')).pid as number;
      s.cpu.push(cpuSeconds(pid));
      while (!readFileSync(join(home, 'engine.log'), 'utf8').includes('skiff engine listening'))
        await new Promise((r) => setTimeout(r, 5));
      s.cpuStarted.push(cpuSeconds(pid));
      await s.daemon.down(home);
      rmSync(home, { recursive: true, force: true });
    }
    if (parts.includes('cli')) {
      const home = mkdtempSync(join(tmpdir(), 'skiff-cold-probe-'));
      const cliEnv = { ...process.env, ...env, SKIFF_HOME: home, HOME: home, SKIFF_DIST: '1' };
      const t0 = performance.now();
      execFileSync(process.execPath, [join(s.root, 'bin', 'skiff.js'), 'cluster', 'up'], {
        env: cliEnv,
        stdio: 'ignore',
      });
      s.cli.push((performance.now() - t0) / 1000);
      execFileSync(process.execPath, [join(s.root, 'bin', 'skiff.js'), 'cluster', 'down'], {
        env: cliEnv,
        stdio: 'ignore',
      });
      rmSync(home, { recursive: true, force: true });
    }
    if (parts.includes('version')) {
      for (let j = 0; j < 5; j++) {
        let t0 = performance.now();
        execFileSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
        floor.push((performance.now() - t0) / 1000);
        t0 = performance.now();
        execFileSync(process.execPath, [join(s.root, 'bin', 'skiff.js'), '--version'], {
          stdio: 'ignore',
          env: { ...process.env, SKIFF_DIST: '1' },
        });
        s.version.push((performance.now() - t0) / 1000);
      }
    }
  }
}

const med = (xs: number[]) => (xs.length ? percentile(xs, 50) : NaN);
const f = (x: number) => x.toFixed(3);
console.log(`load average during the runs: ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)}`);
for (const s of samples) {
  console.log(
    `${s.root}: up ${f(med(s.up))} s [${s.up.map(f).join(' ')}], daemon CPU ${f(med(s.cpu))} s [${s.cpu.map(f).join(' ')}]` +
      ` (${f(med(s.cpuStarted))} s once all started),` +
      ` cli up ${f(med(s.cli))} s [${s.cli.map(f).join(' ')}], --version ${f(med(s.version))} s`,
  );
}
if (parts.includes('version')) console.log(`node -e 0: ${f(med(floor))} s`);
if (samples.length > 1) {
  const [a, b] = samples as [Samples, Samples];
  const ratio = (x: number[], y: number[]) => (med(x) / med(y)).toFixed(2);
  console.log(
    `${a.root} / ${b.root}: up ×${ratio(a.up, b.up)}, daemon CPU ×${ratio(a.cpu, b.cpu)} (all started ×${ratio(a.cpuStarted, b.cpuStarted)}), cli up ×${ratio(a.cli, b.cli)}, --version ×${ratio(a.version, b.version)}`,
  );
}
