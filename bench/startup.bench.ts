// Start-up as users get it (the compiled package, dist/): `skiff --version`, and the TUI from
// spawn to its first frame against a running local engine. `node -e 0` on the same machine in the
// same run is the floor (Node's own start-up). SKIFF_BENCH_STARTUP_BASE=DIR runs another
// checkout's built package (its dist/) run for run beside this one, for before/after ratios.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTui } from '../test/e2e/pty.ts';
import { benchHome, childEngine } from './child.ts';
import { distEnv } from './dist.ts';
import { summarize, type Figure } from './lib.ts';

const RUNS = Number(process.env.SKIFF_BENCH_STARTUP_RUNS ?? 7);
const ROOT = join(import.meta.dirname, '..');
const BASE = process.env.SKIFF_BENCH_STARTUP_BASE;

function timed(args: string[], env: Record<string, string>): number {
  const t0 = performance.now();
  execFileSync(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  return (performance.now() - t0) / 1000;
}

interface Samples {
  version: number[];
  anyFrame: number[];
  frame: number[];
}

export async function run(): Promise<Figure[]> {
  const dist = distEnv();
  const roots: Array<[string, Samples]> = [[ROOT, { version: [], anyFrame: [], frame: [] }]];
  if (BASE) roots.push([BASE, { version: [], anyFrame: [], frame: [] }]);
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    floor.push(timed(['-e', '0'], {}));
    for (const [root, s] of roots) s.version.push(timed([join(root, 'bin', 'skiff.js'), '--version'], dist));
  }
  const home = benchHome('startup');
  const e = await childEngine(home);
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [root, s] of roots) {
        const tuiHome = mkdtempSync(join(tmpdir(), 'skiff-bench-startup-'));
        const t0 = performance.now();
        const tui = spawnTui(['--kubeconfig', e.kubeconfig], {
          cols: 160,
          rows: 45,
          root,
          env: { HOME: tuiHome, ...dist },
        });
        try {
          await tui.waitFor(() => tui.output().includes('\x1b[?2026l'), 60_000); // a whole frame arrived
          s.anyFrame.push((performance.now() - t0) / 1000);
          await tui.waitFor('Context:', 60_000);
          s.frame.push((performance.now() - t0) / 1000);
        } finally {
          tui.kill();
          rmSync(tuiHome, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
  const figures = (s: Samples, tag: string): Figure[] => [
    summarize(`skiff --version (dist)${tag}`, 's', s.version, tag ? {} : { goal: '< 0.15 s' }),
    summarize(`TUI spawn → first frame on the local engine (dist)${tag}`, 's', s.anyFrame, {
      ...(tag ? {} : { goal: '< 0.5 s' }),
      note: 'the "Connecting…" splash',
    }),
    summarize(`TUI spawn → header drawn on the local engine (dist)${tag}`, 's', s.frame, {
      note: 'kubeconfig read, connected, discovery done',
    }),
  ];
  const [mine, base] = roots.map(([, s]) => s);
  return [
    ...figures(mine!, '').slice(0, 1),
    summarize('node -e 0 (the floor for the line above)', 's', floor),
    ...figures(mine!, '').slice(1),
    ...(base ? figures(base, ' [baseline build]') : []),
  ];
}
