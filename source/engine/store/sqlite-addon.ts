import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let found: string | null | undefined;

/**
 * The path of better-sqlite3's compiled addon, where an install puts it, or undefined to let
 * better-sqlite3 search. Its own search (the `bindings` package) reads a stack trace and tries a
 * dozen paths: ~16 ms of a cold `cluster up`.
 */
export function sqliteAddon(): string | undefined {
  if (found === undefined) {
    try {
      const pkg = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
      const addon = join(dirname(pkg), 'build', 'Release', 'better_sqlite3.node');
      found = existsSync(addon) ? addon : null;
    } catch {
      found = null;
    }
  }
  return found ?? undefined;
}
