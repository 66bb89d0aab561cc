// The daemon `cluster up` spawns from a build: `node dist/bin/engine.cjs engine --home DIR
// [--port N]`, bundled as CommonJS by scripts/build.mjs (it never runs from source). It skips the
// CLI (its ES module loader, commander) and runs the engine's bundle, dist/engine.cjs, through V8's
// code cache (code-cache.ts); the build leaves a cache made by a first start beside it, and a
// daemon whose Node rejects that one writes its own once it has started.
import { join } from 'node:path';
import { requireWithCodeCache } from './code-cache.ts';
import type { runEngine } from './run-engine.ts';

/** The build's hash of dist/engine.cjs: a cache made from another build is never used. */
declare const SKIFF_ENGINE_BUILD: string;

/** `--home DIR` and `--port N` (what `cluster up` passes), read by hand: util.parseArgs took 20 ms to load. */
function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const bundle = requireWithCodeCache(join(__dirname, '..', 'engine.cjs'), SKIFF_ENGINE_BUILD);
const run = bundle.exports.runEngine as typeof runEngine;
void run({
  home: option('home'),
  port: option('port') === undefined ? undefined : Number(option('port')),
  started: () => {
    if (bundle.cacheUsed) return;
    const saved = bundle.save();
    process.stderr.write(`${new Date().toISOString()} engine code cache ${saved ? 'written' : 'not writable'}\n`);
  },
});
