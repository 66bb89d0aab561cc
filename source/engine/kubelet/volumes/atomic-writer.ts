import { createHash } from 'node:crypto';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, posix } from 'node:path';

/** One file of a ConfigMap/Secret/downward API volume: its path inside the volume, bytes and mode. */
export interface PayloadFile {
  path: string;
  data: Buffer;
  mode: number;
}

export type Payload = PayloadFile[];

const DATA = '..data';

/** A stable digest of a payload: equal payloads need no rewrite. */
export function payloadDigest(payload: Payload): string {
  const h = createHash('sha256');
  for (const f of [...payload].sort((a, b) => a.path.localeCompare(b.path))) {
    h.update(`${f.path}\0${f.mode}\0${f.data.length}\0`);
    h.update(f.data);
  }
  return h.digest('hex');
}

/** A relative path that stays inside the volume (`items[].path` is user input). */
export function checkPayloadPath(path: string): string | undefined {
  if (!path || path.startsWith('/')) return `must be a relative path`;
  const parts = path.split('/');
  if (parts.some((p) => p === '..')) return `must not contain '..'`;
  if (parts[0]!.startsWith('..')) return `must not start with '..'`;
  return undefined;
}

/**
 * The kubelet's AtomicWriter: the files go into a fresh timestamped directory, then the `..data`
 * symlink is swapped to it with one rename, so a reader sees the old set or the new one, never a
 * mix. Each top-level name in the volume is a symlink through `..data`; names that left the
 * payload are removed, and the previous directory goes last. Synchronous: a dozen small file
 * operations cost less in place than as many trips through the I/O thread pool.
 */
export function writeAtomically(dir: string, payload: Payload, now: Date): void {
  // A directory made just now holds nothing to replace or clean up.
  const fresh = mkdirSync(dir, { recursive: true }) !== undefined;
  const stamp = `..${now.toISOString().replace(/[-:]/g, '_').replace('T', '_').replace('Z', '')}${Math.random().toString(36).slice(2, 8)}`;
  const tsDir = join(dir, stamp);
  mkdirSync(tsDir, { mode: 0o755 });
  for (const f of payload) {
    const target = join(tsDir, ...f.path.split('/'));
    if (f.path.includes('/')) mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
    writeFileSync(target, f.data, { mode: f.mode });
    // The mode without the umask.
    chmodSync(target, f.mode);
  }
  const old = fresh ? undefined : readOr(() => readlinkSync(join(dir, DATA)));
  const tmpLink = join(dir, '..data_tmp');
  if (!fresh) rmSync(tmpLink, { force: true });
  symlinkSync(stamp, tmpLink);
  renameSync(tmpLink, join(dir, DATA));

  const top = new Set(payload.map((f) => f.path.split('/')[0]!));
  for (const name of top) {
    const link = join(dir, name);
    const st = fresh ? undefined : readOr(() => lstatSync(link));
    if (st?.isSymbolicLink()) continue;
    if (st) rmSync(link, { recursive: true, force: true });
    symlinkSync(posix.join(DATA, name), link);
  }
  if (fresh) return;
  for (const name of readdirSync(dir)) {
    if (name.startsWith('..') || top.has(name)) continue;
    rmSync(join(dir, name), { recursive: true, force: true });
  }
  if (old && old !== stamp) rmSync(join(dir, old), { recursive: true, force: true });
}

function readOr<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
