import { onAcceptFailed, relayAddon } from './native-relay.ts';
import type { HostPort } from './targets.ts';

/**
 * Accept in the native relay's thread (relay.c): for a service port whose connections need
 * nothing from JavaScript (every backend a process pod, no session affinity, no Local traffic
 * policy), the relay thread accepts on the listening socket itself and picks each connection's
 * backend from a table JavaScript pushes when the endpoints change: round robin, the next one
 * when a backend refuses, a reset when none is left, as the JavaScript path does. Such a
 * connection never reaches the event loop, neither when it opens nor when it ends.
 */
export interface NativeTable {
  readonly targets: readonly HostPort[];
  /** Backends a connection tries before the client gets a reset. */
  readonly attempts: number;
}

let nextId = 1;
let nextGroup = 1;
/** What to run when a listener's native accept fails, by listener id. */
const onFail = new Map<number, () => void>();
onAcceptFailed((id) => onFail.get(id)?.());

/** Whether the relay can accept natively (the addon is loaded). */
export function nativeAcceptAvailable(): boolean {
  return !!relayAddon();
}

/** A number for the listeners of one owner, whose connections `abortAccepted` closes together. */
export function nativeAcceptGroup(): number {
  return nextGroup++;
}

/** Close both sides of every open connection the group's listeners accepted (the engine stopping). */
export function abortAccepted(group: number): void {
  relayAddon()?.abortGroup(group);
}

/** A close-on-exec duplicate of `fd`, or -1. */
export function dupFd(fd: number): number {
  const a = relayAddon();
  const d = a ? a.dup(fd) : -1;
  return d >= 0 ? d : -1;
}

export function closeFd(fd: number): void {
  relayAddon()?.close(fd);
}

const columns = (t: NativeTable): [string[], number[]] => [t.targets.map((x) => x.host), t.targets.map((x) => x.port)];

/** The relay thread accepting on one listening socket (`fd` stays the caller's, to close after stop()). */
export class NativeAccept {
  private constructor(private readonly id: number) {}

  /**
   * Null when the relay is not loaded or refuses (a backend outside 127.0.0.0/8): accept in
   * JavaScript. `failed` runs when the relay thread gave up accepting (out of descriptors).
   */
  static start(fd: number, group: number, table: NativeTable, failed: () => void): NativeAccept | null {
    const a = relayAddon();
    if (!a) return null;
    const id = nextId++;
    const [hosts, ports] = columns(table);
    if (a.listen(id, group, fd, hosts, ports, table.attempts) !== 0) return null;
    onFail.set(id, failed);
    return new NativeAccept(id);
  }

  /** New backends for the next connections; false when the relay refused them (the old ones stay). */
  set(table: NativeTable): boolean {
    const [hosts, ports] = columns(table);
    return relayAddon()!.table(this.id, hosts, ports, table.attempts) === 0;
  }

  /** Stop accepting; when this returns the relay thread no longer touches the socket. */
  stop(): void {
    onFail.delete(this.id);
    relayAddon()!.unlisten(this.id);
  }
}
