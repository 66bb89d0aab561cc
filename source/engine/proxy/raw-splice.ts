import { Socket, type SocketConstructorOpts } from 'node:net';
import { assertLoopback } from '../net/loopback.ts';
import type { HostPort } from './targets.ts';

/**
 * The libuv stream handles under Node's net.Socket, driven directly. A spliced connection only
 * moves bytes: reading into a buffer and writing it out is all it needs, and through net.Socket
 * each chunk also goes through a Readable and a Writable (state objects, events, a nextTick per
 * write) and each backend connection builds a Duplex. Here the client's accepted handle is taken
 * over from its (paused, never read) Socket, the backend is a bare TCP handle, and a chunk is one
 * read callback and one write call. These are Node's internal bindings (`process.binding`, not a
 * public API): `rawBindings()` checks their shape and the relay falls back to net.Socket streams
 * where they differ.
 */
interface Req {
  oncomplete: ((status: number) => void) | null;
  buffer?: Uint8Array;
}

interface TcpHandle {
  /** Called by libuv after each read; nread is in the shared state. Returning a buffer reads into it next. */
  onread: (this: TcpHandle) => Uint8Array | undefined;
  reading?: boolean;
  readStart(): number;
  readStop(): number;
  useUserBuffer(buf: Uint8Array): void;
  writeBuffer(req: Req, data: Uint8Array): number;
  shutdown(req: Req): number;
  setNoDelay(enable: boolean): number;
  connect(req: Req, host: string, port: number): number;
  close(cb?: () => void): void;
  /** Close with a reset (RST), as Socket.resetAndDestroy(); absent in older Nodes. */
  reset?(cb?: () => void): number;
  getpeername?(out: { address?: string }): number;
}

/** A connection accepted on a listening handle, before (or instead of) a net.Socket. */
export type AcceptedHandle = TcpHandle;

/** The client side of a splice: its Socket, or the bare accepted handle nothing else owns. */
interface ClientEnd {
  readonly destroyed: boolean;
  destroy(): void;
  reset(): void;
}

interface Bindings {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => Req;
  WriteWrap: new () => Req;
  ShutdownWrap: new () => Req;
  socketType: number;
  state: Int32Array;
  kReadBytesOrError: number;
  kLastWriteWasAsync: number;
  UV_EOF: number;
}

let bindings: Bindings | null | undefined;

/** Node's stream bindings, or null where they are not what this module drives. */
export function rawBindings(): Bindings | null {
  if (bindings !== undefined) return bindings;
  bindings = null;
  try {
    const binding = (process as unknown as { binding(name: string): Record<string, unknown> }).binding;
    const tcp = binding('tcp_wrap');
    const stream = binding('stream_wrap');
    const uv = binding('uv');
    const constants = tcp.constants as { SOCKET?: unknown } | undefined;
    const proto = (tcp.TCP as { prototype?: Record<string, unknown> } | undefined)?.prototype;
    const methods = ['readStart', 'readStop', 'useUserBuffer', 'writeBuffer', 'shutdown', 'setNoDelay', 'connect'];
    if (
      typeof tcp.TCP === 'function' &&
      typeof tcp.TCPConnectWrap === 'function' &&
      typeof stream.WriteWrap === 'function' &&
      typeof stream.ShutdownWrap === 'function' &&
      stream.streamBaseState instanceof Int32Array &&
      typeof stream.kReadBytesOrError === 'number' &&
      typeof stream.kLastWriteWasAsync === 'number' &&
      typeof constants?.SOCKET === 'number' &&
      typeof uv.UV_EOF === 'number' &&
      methods.every((m) => typeof proto?.[m] === 'function')
    ) {
      bindings = {
        TCP: tcp.TCP as Bindings['TCP'],
        TCPConnectWrap: tcp.TCPConnectWrap as Bindings['TCPConnectWrap'],
        WriteWrap: stream.WriteWrap as Bindings['WriteWrap'],
        ShutdownWrap: stream.ShutdownWrap as Bindings['ShutdownWrap'],
        socketType: constants.SOCKET,
        state: stream.streamBaseState,
        kReadBytesOrError: stream.kReadBytesOrError,
        kLastWriteWasAsync: stream.kLastWriteWasAsync,
        UV_EOF: uv.UV_EOF,
      };
    }
  } catch {
    bindings = null;
  }
  return bindings;
}

/** The handle under an accepted Socket, if it is one this module can drive. */
function handleOf(s: Socket): TcpHandle | undefined {
  const h = (s as unknown as { _handle?: TcpHandle | null })._handle;
  return h && typeof h.readStart === 'function' && typeof h.writeBuffer === 'function' ? h : undefined;
}

const READ_BUFFER_BYTES = 16 * 1024;
const FREE_BUFFERS_KEPT = 128;
const freeBuffers: Buffer[] = [];
/** Addresses already checked to be loopback (the check parses the address). */
const loopbackHosts = new Set<string>();

const takeBuffer = (): Buffer => freeBuffers.pop() ?? Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);

/**
 * One direction of a splice: reads from `from` into its buffer and writes each read to `to`.
 * A write the kernel cannot take at once keeps that buffer (the next read gets a fresh one) and
 * stops reading until it completes: backpressure.
 */
class Direction {
  private buffer: Buffer = takeBuffer();
  /** The write request for the next chunk: one written through at once leaves it unused, free to reuse. */
  private req: Req;
  private pending = 0;
  private ended = false;
  /** `to` was shut down after the end of `from` (a half-close passed on). */
  finished = false;

  constructor(
    private readonly b: Bindings,
    private readonly from: TcpHandle,
    private readonly to: TcpHandle,
    private readonly splice: RawSplice,
  ) {
    this.req = this.newReq();
  }

  private newReq(): Req {
    const req = new this.b.WriteWrap();
    req.oncomplete = this.onWritten;
    return req;
  }

  start(): void {
    this.from.onread = this.onread;
    this.from.useUserBuffer(this.buffer);
    this.from.reading = true;
    if (this.from.readStart() !== 0) this.splice.abort();
  }

  private onread = (): Uint8Array | undefined => {
    const b = this.b;
    const n = b.state[b.kReadBytesOrError]!;
    if (!this.splice.live()) {
      this.splice.abort();
      return undefined;
    }
    if (n > 0) {
      const chunk = this.buffer.subarray(0, n);
      const req = this.req;
      if (this.to.writeBuffer(req, chunk) !== 0) {
        this.splice.abort();
        return undefined;
      }
      if (!b.state[b.kLastWriteWasAsync]) return undefined;
      // The rest is queued in libuv, pointing into this buffer: it stays with the write, and so
      // does the request object (now bound to that write).
      req.buffer = chunk;
      this.req = this.newReq();
      this.pending++;
      this.from.reading = false;
      this.from.readStop();
      this.buffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
      return this.buffer;
    }
    if (n === 0) return undefined;
    if (n === b.UV_EOF) {
      this.ended = true;
      this.from.reading = false;
      this.from.readStop();
      this.shutdownWhenFlushed();
      return undefined;
    }
    this.splice.abort();
    return undefined;
  };

  private onWritten = (status: number): void => {
    this.pending--;
    if (!this.splice.live()) return this.splice.abort();
    if (status < 0) return this.splice.abort();
    if (this.pending > 0) return;
    if (this.ended) return this.shutdownWhenFlushed();
    this.from.reading = true;
    if (this.from.readStart() !== 0) this.splice.abort();
  };

  private shutdownWhenFlushed(): void {
    if (this.pending > 0 || this.finished) return;
    // The other way has ended already: closing both sockets (next) sends this end as well.
    if (this.splice.otherWayFinished(this)) {
      this.finished = true;
      return this.splice.maybeDone();
    }
    const req = new this.b.ShutdownWrap();
    req.oncomplete = () => {
      this.finished = true;
      this.splice.maybeDone();
    };
    if (this.to.shutdown(req) !== 0) {
      this.finished = true;
      this.splice.maybeDone();
    }
  }

  /** The buffer goes back to the free list unless a pending write still holds it. */
  release(): void {
    if (this.pending === 0 && freeBuffers.length < FREE_BUFFERS_KEPT) freeBuffers.push(this.buffer);
  }
}

/**
 * A client connection spliced to a backend with bare handles. The client's Socket stays the
 * connection's owner for everyone else (tracking, stop()): destroying it ends the splice, and
 * the splice ends by destroying it.
 */
export class RawSplice {
  private closed = false;
  private backend?: TcpHandle;
  private up?: Direction;
  private down?: Direction;
  /** Told once the splice has closed both sides. */
  onClose?: () => void;

  private constructor(
    private readonly b: Bindings,
    private readonly client: ClientEnd,
    private readonly clientHandle: TcpHandle,
    private readonly pick: () => HostPort | undefined,
  ) {}

  /** Splice `client` to a backend from `pick`; false when the bindings or its handle are not usable. */
  static relay(client: Socket, pick: () => HostPort | undefined, attempts: number): boolean {
    const b = rawBindings();
    const h = handleOf(client);
    if (!b || !h) return false;
    const end: ClientEnd = {
      get destroyed() {
        return client.destroyed;
      },
      destroy: () => client.destroy(),
      reset: () => client.resetAndDestroy(),
    };
    const s = new RawSplice(b, end, h, pick);
    client.once('close', () => s.abort());
    client.on('error', () => s.abort());
    s.dial(attempts);
    return true;
  }

  /**
   * Splice a connection accepted on a listening handle, never wrapped in a net.Socket (no
   * Readable, Writable or listeners built for it). The caller keeps the splice to close it.
   */
  static relayHandle(
    handle: AcceptedHandle,
    pick: () => HostPort | undefined,
    attempts: number,
    onClose: () => void,
  ): RawSplice | null {
    const b = rawBindings();
    if (!b) return null;
    let destroyed = false;
    const end: ClientEnd = {
      get destroyed() {
        return destroyed;
      },
      destroy: () => {
        destroyed = true;
        handle.close();
      },
      reset: () => {
        destroyed = true;
        if (typeof handle.reset !== 'function' || handle.reset(() => {}) !== 0) handle.close();
      },
    };
    handle.setNoDelay(true);
    const s = new RawSplice(b, end, handle, pick);
    s.onClose = onClose;
    s.dial(attempts);
    return s;
  }

  /** The client's address (session affinity, Local traffic policies), '' if unknown. */
  static peerAddress(handle: AcceptedHandle): string {
    const out: { address?: string } = {};
    if (typeof handle.getpeername !== 'function' || handle.getpeername(out) !== 0) return '';
    return (out.address ?? '').replace(/^::ffff:/, '');
  }

  private dial(left: number): void {
    if (!this.live()) return this.abort();
    const target = left > 0 ? this.pick() : undefined;
    if (!target) {
      this.closed = true;
      this.client.reset();
      this.onClose?.();
      return;
    }
    if (!loopbackHosts.has(target.host)) {
      try {
        assertLoopback(target.host, 'connect to');
      } catch {
        return this.dial(left - 1);
      }
      if (loopbackHosts.size > 1000) loopbackHosts.clear();
      loopbackHosts.add(target.host);
    }
    const h = new this.b.TCP(this.b.socketType);
    const req = new this.b.TCPConnectWrap();
    req.oncomplete = (status: number) => {
      if (!this.live()) {
        h.close();
        return this.abort();
      }
      if (status !== 0) {
        h.close();
        return this.dial(left - 1);
      }
      this.backend = h;
      h.setNoDelay(true);
      this.up = new Direction(this.b, this.clientHandle, h, this);
      this.down = new Direction(this.b, h, this.clientHandle, this);
      this.down.start();
      this.up.start();
    };
    if (h.connect(req, target.host, target.port) !== 0) {
      h.close();
      this.dial(left - 1);
    }
  }

  /** Ended before its constructor returned (no backend to try). */
  closedAlready(): boolean {
    return this.closed;
  }

  /** Neither closed by the splice nor destroyed from outside (ServiceProxy.stop()). */
  live(): boolean {
    return !this.closed && !this.client.destroyed;
  }

  otherWayFinished(d: Direction): boolean {
    return !!(d === this.up ? this.down : this.up)?.finished;
  }

  /** Both halves passed on their end: close both sides. */
  maybeDone(): void {
    if (this.up?.finished && this.down?.finished) this.abort();
  }

  /** Close both sides now. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    this.backend?.close();
    this.up?.release();
    this.down?.release();
    if (!this.client.destroyed) this.client.destroy();
    this.onClose?.();
  }
}

/** A net.Socket for an accepted handle, as net.Server would build it for the proxy's listeners (paused). */
export function socketOf(handle: AcceptedHandle): Socket {
  const opts = { handle, allowHalfOpen: true, pauseOnCreate: true, readable: true, writable: true };
  const socket = new Socket(opts as SocketConstructorOpts);
  socket.setNoDelay(true);
  return socket;
}
