import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AcceptedHandle } from './raw-splice.ts';
import type { HostPort } from './targets.ts';

/**
 * The native relay (native/relay/relay.c, built by scripts/build-native.mjs): connections to
 * process pods handed over as file descriptors to a thread of its own, which dials the backend and
 * moves the bytes with epoll and read/write, outside JavaScript. JavaScript still picks each
 * backend (round robin, affinity) and hears when a connection ends; a backend that refuses is
 * reported back with the client's socket, for the next pick. Without the addon (not built, or
 * SKIFF_PROXY_NATIVE=0) the JavaScript splice (raw-splice.ts) does the same.
 */
export interface Addon {
  start(onDone: (batch: number[]) => void): number;
  dup(fd: number): number;
  open(id: number, fd: number, host: string, port: number): number;
  reset(fd: number): void;
  abort(id: number): void;
  live(): number;
  /** Accept on listening socket `fd` in the relay thread (native-accept.ts); 0 or -errno. */
  listen(id: number, group: number, fd: number, hosts: string[], ports: number[], attempts: number): number;
  table(id: number, hosts: string[], ports: number[], attempts: number): number;
  /** Stops accepting before it returns. */
  unlisten(id: number): void;
  abortGroup(group: number): void;
  close(fd: number): void;
  accepted(): number;
}

/** Kinds of the relay's completion records (relay.c). */
const REFUSED = 2;
const ACCEPT_FAILED = 4;

let acceptFailed: (listenerId: number) => void = () => {};

/** Hear of a native listener whose accept failed (out of descriptors): JavaScript accepts again. */
export function onAcceptFailed(fn: (listenerId: number) => void): void {
  acceptFailed = fn;
}

const ADDON_PATH = 'native/relay/build/Release/skiff_relay.node';

/** Where the addon is: from source/engine/proxy/ (tsx), or from dist/source/engine/proxy/, the URL the bundles give this module. */
function addonPath(): string | undefined {
  for (const up of ['../../../', '../../../../']) {
    const path = fileURLToPath(new URL(up + ADDON_PATH, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

interface Conn {
  readonly pick: () => HostPort | undefined;
  left: number;
  aborted: boolean;
  readonly onClose: () => void;
}

/** A connection the relay thread owns; `abort()` closes both sides (the engine is stopping). */
export interface NativeSplice {
  /** Not ended yet (it ends at once when no backend was left to try). */
  readonly open: boolean;
  abort(): void;
}

let addon: Addon | null | undefined;
let why = '';
const conns = new Map<number, Conn>();
let nextId = 1;
let spliced = 0;

/** The loaded relay, or null (then `nativeRelayStatus()` says why). */
export function relayAddon(): Addon | null {
  if (addon !== undefined) return addon;
  addon = null;
  if (process.env.SKIFF_PROXY_NATIVE === '0' || process.env.SKIFF_PROXY_STREAMS === '1') {
    why = 'turned off (SKIFF_PROXY_NATIVE=0)';
    return addon;
  }
  const path = addonPath();
  if (!path) {
    why = 'not built (scripts/build-native.mjs)';
    return addon;
  }
  try {
    const m = { exports: {} as Addon };
    process.dlopen(m, path);
    if (m.exports.start(onDone) !== 0) throw new Error('its thread did not start');
    addon = m.exports;
  } catch (e) {
    why = `failed to load: ${(e as Error).message}`;
  }
  return addon;
}

/** A line for the engine's log: which path relays connections to process pods. */
export function nativeRelayStatus(): string {
  return relayAddon() ? 'native relay (its own thread, epoll)' : `JavaScript splice; native relay ${why}`;
}

/** Connections spliced natively so far in this process, and those open now (tests, status). */
export function nativeRelayStats(): { spliced: number; accepted: number; open: number } {
  return { spliced, accepted: addon ? addon.accepted() : 0, open: addon ? addon.live() : 0 };
}

function onDone(batch: number[]): void {
  const a = addon!;
  for (let i = 0; i < batch.length; i += 3) {
    const id = batch[i]!;
    if (batch[i + 1] === ACCEPT_FAILED) {
      acceptFailed(id);
      continue;
    }
    const conn = conns.get(id);
    if (batch[i + 1] === REFUSED) {
      if (conn && !conn.aborted) dial(a, id, conn, batch[i + 2]!);
      else {
        a.reset(batch[i + 2]!);
        if (conn) end(id, conn);
      }
    } else if (conn) end(id, conn);
  }
}

function end(id: number, conn: Conn): void {
  conns.delete(id);
  conn.onClose();
}

/** Hand `fd` to the relay for the next backend `pick` gives; with none left, reset the client. */
function dial(a: Addon, id: number, conn: Conn, fd: number): void {
  while (conn.left > 0) {
    conn.left--;
    const target = conn.pick();
    if (!target) break;
    // Non-zero: not an address in 127.0.0.0/8 (relay.c refuses those), try the next.
    if (a.open(id, fd, target.host, target.port) === 0) return;
  }
  a.reset(fd);
  end(id, conn);
}

/**
 * Splice a connection accepted on a listening handle through the native relay: its socket is
 * duplicated into the relay and the handle closed (a close, not a shutdown: the duplicate keeps
 * the connection). Null when the relay is not loaded or the handle has no descriptor: the caller
 * splices in JavaScript.
 */
export function nativeSplice(
  handle: AcceptedHandle,
  pick: () => HostPort | undefined,
  attempts: number,
  onClose: () => void,
): NativeSplice | null {
  const a = relayAddon();
  const fd = (handle as { fd?: unknown }).fd;
  if (!a || typeof fd !== 'number' || fd < 0) return null;
  const own = a.dup(fd);
  if (own < 0) return null;
  handle.close();
  const id = nextId++;
  const conn: Conn = { pick, left: attempts, aborted: false, onClose };
  conns.set(id, conn);
  spliced++;
  dial(a, id, conn, own);
  return {
    get open() {
      return conns.has(id);
    },
    abort: () => {
      if (conn.aborted || !conns.has(id)) return;
      conn.aborted = true;
      a.abort(id);
    },
  };
}

/** Loaded and started (tests). */
export function nativeRelayLoaded(): boolean {
  return !!relayAddon();
}
