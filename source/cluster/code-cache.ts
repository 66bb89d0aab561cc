import { isAscii } from 'node:buffer';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/*
 * Runs a CommonJS bundle as Node's `require` would, but with V8's code cache: what V8 compiled
 * during the last start (the bundle's parse and the functions start-up ran) is read back from
 * `<file>.cache` instead of compiled again. Node 20 keeps no such cache itself (its compile cache
 * arrived in Node 22), and compiling the engine's bundle was about a quarter of a cold start.
 *
 * V8 checks the cache against its version and flags but the source only by its length, so the
 * file starts with `stamp`, which must name the bundle's contents (the build's hash of it): a
 * rebuilt bundle never runs against code compiled from the one before. A rejected or missing cache
 * costs only the compile it would have saved; `save()` writes a fresh one (call it once start-up
 * has run: the functions compiled by then are what it holds).
 */

export interface CachedModule {
  exports: Record<string, unknown>;
  /** Whether V8 took the cache (false: none, stale, or rejected). */
  cacheUsed: boolean;
  /** Writes the cache if it was not used, atomically; false when that failed (a read-only install). */
  save(): boolean;
}

const WRAP = ['(function (exports, require, module, __filename, __dirname) { ', '\n})'];

/** An ASCII file (what the build makes) as a one-byte string: decoding it as UTF-8 costs far more. */
function readSource(file: string): string {
  const bytes = readFileSync(file);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

function readCache(cacheFile: string, stamp: Buffer): Buffer | undefined {
  try {
    const data = readFileSync(cacheFile);
    if (data.length > stamp.length && data.subarray(0, stamp.length).equals(stamp)) return data.subarray(stamp.length);
  } catch {
    /* none yet */
  }
  return undefined;
}

/** `file` (CommonJS) run with the code cache at `cacheFile` when it was made from the build `stamp` names. */
export function requireWithCodeCache(file: string, stamp: string, cacheFile = `${file}.cache`): CachedModule {
  const header = Buffer.from(`${stamp}:${process.version}:${process.arch}\n`);
  const cachedData = readCache(cacheFile, header);
  const script = new Script(WRAP[0] + readSource(file) + WRAP[1], { filename: file, cachedData });
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  const mod = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  return {
    exports: mod.exports,
    cacheUsed,
    save() {
      if (cacheUsed) return true;
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, Buffer.concat([header, script.createCachedData()]));
        renameSync(tmp, cacheFile); // a daemon starting beside this one reads a whole file or none
        return true;
      } catch {
        rmSync(tmp, { force: true });
        return false;
      }
    },
  };
}
