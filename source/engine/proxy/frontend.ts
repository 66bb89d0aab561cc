import { createServer, type Server, type Socket } from 'node:net';
import { rawBindings, type AcceptedHandle } from './raw-splice.ts';
import { listenLoopback } from '../net/loopback.ts';
import { closeFd, dupFd, NativeAccept, type NativeTable } from './native-accept.ts';
import type { HostPort } from './targets.ts';

/** What a frontend opens and closes: a TCP server or a UDP socket. */
export interface Listener {
  /** Bind host:port (0 = any free port); resolves to the bound port, rejects with the bind error. */
  bind(host: string, port: number): Promise<number>;
  close(): void;
  /** End what is tied to endpoints that are gone (UDP flows); `live` says which targets remain. */
  prune?(live: (target: HostPort) => boolean): void;
  /** Accept in the native relay with these backends (native-accept.ts), or in JavaScript (null). */
  native?(table: NativeTable | null): void;
}

/**
 * A TCP listener handing each accepted connection, paused, to `onConnection`; with `onHandle`,
 * the bare accepted handle goes there instead, before net.Server builds a Socket for it (where
 * Node's bindings allow: raw-splice.ts). Given a table (`native`), the native relay's thread
 * accepts instead (listeners of `group`). Switching either way, the listening socket stays open
 * (the relay accepts on a descriptor of its own, `anchor`, that outlives net.Server's and goes
 * to the next net.Server) and the new acceptor starts before the old one stops: the kernel hands
 * each waiting connection to exactly one of them.
 */
export function tcpListener(
  onConnection: (socket: Socket) => void,
  onError: (e: Error) => void,
  onHandle?: (handle: AcceptedHandle) => void,
  group = 0,
): Listener {
  const newServer = () => {
    const s = createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, onConnection);
    s.on('error', onError);
    return s;
  };
  let server: Server | undefined = newServer();
  let anchor = -1;
  let nativeAccept: NativeAccept | undefined;
  let wanted: NativeTable | null = null;
  let bound = false;

  const toNative = (table: NativeTable) => {
    if (nativeAccept) {
      nativeAccept.set(table);
      return;
    }
    if (anchor < 0) anchor = dupFd(handleFd(server));
    if (anchor < 0) return;
    const started = NativeAccept.start(anchor, group, table, () => {
      onError(new Error('native accept failed (out of descriptors?): accepting in JavaScript'));
      toJs();
    });
    if (!started) return;
    nativeAccept = started;
    server?.close();
    server = undefined;
  };
  const toJs = () => {
    if (!nativeAccept) return;
    const s = newServer();
    // The anchor goes to net.Server (no new descriptor: this also runs when they are out).
    // Synchronous in a process that is not a cluster worker: the handle listens on return.
    s.listen({ fd: anchor });
    if (handleFd(s) < 0) return;
    anchor = -1;
    if (onHandle) takeOverAccept(s, onHandle, onError);
    server = s;
    nativeAccept.stop();
    nativeAccept = undefined;
  };
  const apply = () => {
    if (!bound) return;
    if (wanted) toNative(wanted);
    else toJs();
  };

  return {
    bind: async (host, port) => {
      await listenLoopback(server!, host, port);
      if (onHandle) takeOverAccept(server!, onHandle, onError);
      const actual = (server!.address() as { port: number }).port;
      bound = true;
      apply();
      return actual;
    },
    close: () => {
      bound = false;
      nativeAccept?.stop();
      nativeAccept = undefined;
      server?.close();
      server = undefined;
      if (anchor >= 0) closeFd(anchor);
      anchor = -1;
    },
    native: (table) => {
      wanted = table;
      apply();
    },
  };
}

/** The descriptor of a listening net.Server, or -1. */
function handleFd(server: Server | undefined): number {
  const fd = (server as unknown as { _handle?: { fd?: unknown } | null } | undefined)?._handle?.fd;
  return typeof fd === 'number' ? fd : -1;
}

/** Replace net.Server's accept callback on its listening handle (set up by listen()). */
function takeOverAccept(server: Server, onHandle: (handle: AcceptedHandle) => void, onError: (e: Error) => void): void {
  const listening = (server as unknown as { _handle?: { onconnection?: unknown } | null })._handle;
  if (!listening || typeof listening.onconnection !== 'function' || !rawBindings()) return;
  listening.onconnection = (status: number, handle: AcceptedHandle) => {
    if (status !== 0) onError(new Error(`accept failed: ${status}`));
    else onHandle(handle);
  };
}

export interface FrontendHooks {
  /** A fresh listener (each open makes one). */
  listener(): Listener;
  /** The port could not be bound as asked (below 1024 without root) and listens here instead. */
  onMapped?(port: number): void;
  onError?(err: Error): void;
  /** Schedule a retry of a failed bind. */
  retryLater(fn: () => void): void;
}

/**
 * One listening address of a service (ClusterIP:port, NodeIP:nodePort). It is open only while
 * the service has endpoints: closed, the address refuses connections like kube-proxy's REJECT.
 */
export class Frontend {
  private server?: Listener;
  private want = false;
  private busy = false;
  private disposed = false;
  private failed = false;
  /** Where a privileged port was mapped to; reused when reopening. */
  mappedPort?: number;
  private nativeTable: NativeTable | null = null;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly hooks: FrontendHooks,
    private readonly mapLowPorts: boolean,
  ) {}

  get listening(): boolean {
    return !!this.server;
  }

  /** The port clients should use (the mapped one when the asked port could not be bound). */
  get effectivePort(): number {
    return this.mappedPort ?? this.port;
  }

  setOpen(open: boolean): void {
    this.want = open && !this.disposed;
    void this.reconcile();
  }

  /** Accept in the native relay with these backends, or in JavaScript (null). */
  setNative(table: NativeTable | null): void {
    if (table === this.nativeTable) return;
    this.nativeTable = table;
    this.server?.native?.(table);
  }

  /** The service's endpoints changed: drop what still leads to a removed one. */
  prune(live: (target: HostPort) => boolean): void {
    this.server?.prune?.(live);
  }

  dispose(): void {
    this.disposed = true;
    this.setOpen(false);
  }

  /** Resolves once the listener matches what was asked (tests). */
  async settled(): Promise<void> {
    while (this.busy) await new Promise((r) => setImmediate(r));
  }

  private async reconcile(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.want !== !!this.server && !(this.want && this.failed)) {
        if (this.want) await this.open();
        else this.close();
      }
    } finally {
      this.busy = false;
    }
  }

  private async open(): Promise<void> {
    const server = this.hooks.listener();
    try {
      if (this.mappedPort === undefined) {
        try {
          if (this.mapLowPorts && this.port < 1024)
            throw Object.assign(new Error('mapped on request'), { code: 'EACCES' });
          await server.bind(this.host, this.port);
          this.opened(server);
          return;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EACCES' || this.port >= 1024) throw e;
        }
      }
      await this.listenMapped(server);
      this.opened(server);
    } catch (e) {
      server.close();
      this.hooks.onError?.(e as Error);
      this.failed = true;
      this.hooks.retryLater(() => {
        this.failed = false;
        void this.reconcile();
      });
    }
  }

  private opened(server: Listener): void {
    this.server = server;
    server.native?.(this.nativeTable);
  }

  private async listenMapped(server: Listener): Promise<void> {
    if (this.mappedPort !== undefined) {
      try {
        await server.bind(this.host, this.mappedPort);
        return;
      } catch {
        // Taken meanwhile: take another one.
      }
    }
    this.mappedPort = await server.bind(this.host, 0);
    this.hooks.onMapped?.(this.mappedPort);
  }

  private close(): void {
    // Stop accepting at once; connections already spliced carry on.
    this.server?.close();
    this.server = undefined;
  }
}
