// What users run is the compiled package: TUI and start-up benchmarks build dist/ once per bench
// process and run bin/skiff.js with SKIFF_DIST=1 (in a checkout it would otherwise run tsx).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
let built = false;

/** Builds dist/ from the current sources (once per process); returns the env that selects it. */
export function distEnv(): Record<string, string> {
  if (!built) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    built = true;
  }
  return { SKIFF_DIST: '1' };
}
