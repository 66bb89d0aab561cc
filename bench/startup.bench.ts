// Start-up as users get it (the compiled package, dist/): `skiff --version`, and the TUI from
// spawn to its first frame against a running local engine. `node -e 0` on the same machine in the
// same run is the floor (Node's own start-up).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTui } from '../test/e2e/pty.ts';
import { benchHome, childEngine } from './child.ts';
import { distEnv } from './dist.ts';
import { summarize, type Figure } from './lib.ts';

const RUNS = Number(process.env.SKIFF_BENCH_STARTUP_RUNS ?? 7);
const BIN = join(import.meta.dirname, '..', 'bin', 'skiff.js');

function timed(args: string[], env: Record<string, string>): number {
  const t0 = performance.now();
  execFileSync(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  return (performance.now() - t0) / 1000;
}

export async function run(): Promise<Figure[]> {
  const dist = distEnv();
  const version: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(timed(['-e', '0'], {}));
    version.push(timed([BIN, '--version'], dist));
  }
  const home = benchHome('startup');
  const e = await childEngine(home);
  const frame: number[] = [];
  const anyFrame: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const tuiHome = mkdtempSync(join(tmpdir(), 'skiff-bench-startup-'));
      const t0 = performance.now();
      const tui = spawnTui(['--kubeconfig', e.kubeconfig], { cols: 160, rows: 45, env: { HOME: tuiHome, ...dist } });
      try {
        await tui.waitFor(() => tui.output().includes('\x1b[?2026l'), 60_000); // a whole frame arrived
        anyFrame.push((performance.now() - t0) / 1000);
        await tui.waitFor('Context:', 60_000);
        frame.push((performance.now() - t0) / 1000);
      } finally {
        tui.kill();
        rmSync(tuiHome, { recursive: true, force: true });
      }
    }
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
  return [
    summarize('skiff --version (dist)', 's', version, { goal: '< 0.15 s' }),
    summarize('node -e 0 (the floor for the line above)', 's', floor),
    summarize('TUI spawn → first frame on the local engine (dist)', 's', anyFrame, {
      goal: '< 0.5 s',
      note: 'the "Connecting…" splash',
    }),
    summarize('TUI spawn → header drawn on the local engine (dist)', 's', frame, {
      note: 'kubeconfig read, connected, discovery done',
    }),
  ];
}
