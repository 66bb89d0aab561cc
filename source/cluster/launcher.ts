import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What `cluster up` runs as the daemon, given the CLI's launcher. A build runs dist/bin/engine.cjs
 * (the engine's bundle through V8's code cache): an installed package's (`launcher` is then
 * dist/bin/skiff.js, beside it). In a checkout `launcher` is bin/skiff.js, which runs the
 * TypeScript through tsx: loading the engine that way took most of a cold start, so a built
 * dist/ is used instead when nothing in the sources is newer than the build (an edit, a checkout
 * or a merge since makes the sources win, so a stale build never runs).
 */
export function engineLauncher(launcher: string): string {
  const beside = join(dirname(launcher), 'engine.cjs');
  if (existsSync(beside)) return beside;
  const root = dirname(dirname(launcher));
  const built = join(root, 'dist', 'bin', 'engine.cjs');
  try {
    const builtAt = statSync(join(root, 'dist', 'engine.cjs')).mtimeMs;
    statSync(built);
    const sources = [join(root, 'cli.tsx'), join(root, 'package-lock.json'), join(root, 'fixtures')];
    if (sources.some((p) => statSync(p).mtimeMs > builtAt)) return launcher;
    return newestUnder(join(root, 'source')) > builtAt ? launcher : built;
  } catch {
    return launcher; // no build (or no checkout around it)
  }
}

/** The newest modification time of a file or directory under `dir` (a deleted file touches its directory). */
function newestUnder(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}
