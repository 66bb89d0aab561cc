import type { Server, Socket } from 'node:net';
import { connectLoopback } from '../net/loopback.ts';
import { RawSplice } from './raw-splice.ts';
import type { HostPort } from './targets.ts';

/**
 * Give an accepted (paused) connection to a server in this process, as if it had accepted it:
 * its 'connection' handler takes over the socket, then reading starts.
 */
export function handOff(client: Socket, server: Server): void {
  server.emit('connection', client);
  client.resume();
}

/**
 * What a backend socket reads into: one buffer per connection, taken from a free list (a new
 * connection per request would otherwise allocate one for every request). A buffer goes back
 * only when nothing references it any more.
 */
const READ_BUFFER_BYTES = 16 * 1024;
const FREE_BUFFERS_KEPT = 64;
const freeBuffers: Buffer[] = [];

const takeBuffer = (): Buffer => freeBuffers.pop() ?? Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);

/** SKIFF_PROXY_STREAMS=1: splice through net.Socket streams only, never the bare handles (raw-splice.ts). */
const forceStreams = process.env.SKIFF_PROXY_STREAMS === '1';

function destroySelf(this: Socket): void {
  this.destroy();
}

/**
 * Splice a client connection to a backend chosen by `pick`: with bare libuv handles where Node's
 * bindings allow (raw-splice.ts), else through net.Socket streams (`opts.streams` forces those). A backend that refuses the
 * connection (a pod that just stopped or has not started listening) is skipped for the next
 * one, up to `attempts` tries; with none left the client gets a reset, as with kube-proxy's REJECT.
 */
export function relay(
  client: Socket,
  pick: () => HostPort | undefined,
  attempts: number,
  track?: (s: Socket) => void,
  opts: { streams?: boolean } = {},
): void {
  if (!(opts.streams ?? forceStreams) && RawSplice.relay(client, pick, attempts)) return;
  client.on('error', destroySelf);
  new Splice(client, pick, track).dial(attempts);
}

/**
 * One client connection and its backend. The backend's replies are read straight into the
 * connection's own buffer (net's `onread`: no stream chunk, no 'data' event, no allocation per
 * read) and written to the client from there; only when the client cannot take a chunk at once
 * does the buffer stay with that pending write, and the next read goes into a fresh one.
 * Requests go the other way as 'data' events. Either side's backpressure pauses the other.
 */
class Splice {
  private buffer: Buffer | undefined = takeBuffer();
  /** The last chunk written to the client from `buffer` is still queued there. */
  private held = false;
  private backend?: Socket;

  constructor(
    private readonly client: Socket,
    private readonly pick: () => HostPort | undefined,
    private readonly track?: (s: Socket) => void,
  ) {}

  dial(left: number): void {
    const client = this.client;
    const target = left > 0 ? this.pick() : undefined;
    if (!target || client.destroyed) {
      if (!client.destroyed) client.resetAndDestroy();
      this.release();
      return;
    }
    let backend: Socket;
    try {
      backend = connectLoopback(target.host, target.port, {
        buffer: () => this.readBuffer(),
        callback: (n, buf) => this.fromBackend(n, buf),
      });
    } catch {
      return this.dial(left - 1);
    }
    this.track?.(backend);
    const onEarlyError = () => {
      backend.destroy();
      this.dial(left - 1);
    };
    backend.once('error', onEarlyError);
    backend.once('connect', () => {
      backend.off('error', onEarlyError);
      this.splice(backend);
    });
  }

  /** The buffer the backend's next read goes into (called by net after each read). */
  private readBuffer(): Buffer {
    if (this.held || !this.buffer) {
      this.held = false;
      this.buffer = Buffer.allocUnsafeSlow(READ_BUFFER_BYTES);
    }
    return this.buffer;
  }

  /** A read from the backend; false stops reading until the client drains. */
  private fromBackend(n: number, buf: Uint8Array): boolean {
    const client = this.client;
    if (!client.writable) return true;
    const ok = client.write(buf.subarray(0, n));
    // Not written through to the kernel at once: the queued write holds on to `buf`.
    if (client.writableLength > 0) this.held = true;
    return ok;
  }

  /** The buffer is no longer read into: back to the free list, unless a write still holds it. */
  private release(): void {
    if (this.buffer && !this.held && freeBuffers.length < FREE_BUFFERS_KEPT) freeBuffers.push(this.buffer);
    this.buffer = undefined;
  }

  /** Copy both ways with half-close; a reset on one side resets the other. */
  private splice(backend: Socket): void {
    const client = this.client;
    this.backend = backend;
    client.on('data', (chunk: Buffer) => {
      // After the backend's write side closed, what the client still sends has nowhere to go.
      if (backend.writable && !backend.write(chunk)) client.pause();
    });
    backend.on('drain', () => client.resume());
    client.on('drain', () => backend.resume());
    client.on('end', () => backend.end());
    backend.on('end', () => client.end());
    backend.on('error', () => client.destroy());
    client.on('error', () => backend.destroy());
    // A side that closed cleanly lets the other flush what it still has, then closes it.
    backend.on('close', (hadError) => {
      this.release();
      closeAfter(hadError, client);
    });
    client.on('close', (hadError) => closeAfter(hadError, backend));
    client.resume();
  }
}

function closeAfter(hadError: boolean, other: Socket): void {
  if (hadError) other.destroy();
  else if (!other.destroyed) other.end(() => other.destroy());
}
