import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import zlib from 'node:zlib';
import { SPDY_DICTIONARY } from './spdy-dictionary.ts';

// The server half of SPDY/3.1 as Kubernetes streaming uses it (moby/spdystream): streams opened
// by the client, header blocks compressed with one zlib context per direction, no flow control
// (spdystream neither sends nor honours WINDOW_UPDATE), pings echoed.

const VERSION = 3;
const SYN_STREAM = 1;
const SYN_REPLY = 2;
const RST_STREAM = 3;
const PING = 6;
const GOAWAY = 7;
const HEADERS = 8;
const FLAG_FIN = 0x01;
const MAX_DATA = 1 << 20;

export const RST_PROTOCOL_ERROR = 1;
export const RST_CANCEL = 5;
export const RST_INTERNAL_ERROR = 6;

/** A byte pipe under the session: a raw upgraded socket or a WebSocket tunnel. */
export interface Transport {
  write(b: Buffer): void;
  /** Whether writes should wait (the peer reads slower than we send). */
  congested(): boolean;
  onceDrained(fn: () => void): void;
  end(): void;
}

/** One zlib context used block by block, each block ending with a sync flush. */
class HeaderZlib {
  private out: Buffer[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  constructor(private readonly z: zlib.Inflate | zlib.Deflate) {
    z.on('data', (c: Buffer) => this.out.push(c));
    z.on('error', () => {});
  }
  run(block: Buffer): Promise<Buffer> {
    const p = this.chain.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          this.z.once('error', reject);
          this.z.write(block);
          this.z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            this.z.off('error', reject);
            const r = Buffer.concat(this.out);
            this.out = [];
            resolve(r);
          });
        }),
    );
    this.chain = p.catch(() => {});
    return p;
  }
  close(): void {
    this.z.destroy();
  }
}

export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [u32(Object.keys(headers).length)];
  for (const [k, v] of Object.entries(headers)) {
    const name = Buffer.from(k.toLowerCase());
    const value = Buffer.from(v);
    parts.push(u32(name.length), name, u32(value.length), value);
  }
  return Buffer.concat(parts);
}

/** Header names lower-cased; several values (NUL-separated) keep the first. */
export function decodeHeaderBlock(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  const n = b.readUInt32BE(off);
  off += 4;
  for (let i = 0; i < n; i++) {
    const nl = b.readUInt32BE(off);
    const name = b
      .subarray(off + 4, off + 4 + nl)
      .toString()
      .toLowerCase();
    off += 4 + nl;
    const vl = b.readUInt32BE(off);
    const value = b.subarray(off + 4, off + 4 + vl).toString();
    off += 4 + vl;
    if (!(name in out)) out[name] = value.split('\0')[0]!;
  }
  return out;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE((0x80000000 | (VERSION << 16) | type) >>> 0, 0);
  h.writeUInt32BE(((flags << 24) | payload.length) >>> 0, 4);
  return Buffer.concat([h, payload]);
}

export function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(streamId & 0x7fffffff, 0);
  h.writeUInt32BE(((flags << 24) | data.length) >>> 0, 4);
  return Buffer.concat([h, data]);
}

/** A client-opened stream: a Duplex whose writes become DATA frames and whose end is a FIN. */
export class SpdyStream extends Duplex {
  constructor(
    readonly id: number,
    readonly headers: Record<string, string>,
    private readonly session: SpdySession,
  ) {
    super({ allowHalfOpen: true });
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.session.sendData(this.id, chunk, false).then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.session.sendData(this.id, Buffer.alloc(0), true).then(() => cb(), cb);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.session.forget(this.id);
    cb(err);
  }

  /** Abort the stream (RST_STREAM). */
  reset(status = RST_CANCEL): void {
    if (this.destroyed) return;
    this.session.sendReset(this.id, status);
    this.destroy();
  }
}

/**
 * A server-side SPDY/3.1 session over a Transport. Feed it the bytes that arrive; it emits
 * `stream` for each SYN_STREAM (already answered with SYN_REPLY) and `close` once.
 */
export class SpdySession extends EventEmitter {
  private buf: Buffer = Buffer.alloc(0);
  private streams = new Map<number, SpdyStream>();
  private inflate = new HeaderZlib(zlib.createInflate({ dictionary: SPDY_DICTIONARY }));
  private deflate = new HeaderZlib(zlib.createDeflate({ dictionary: SPDY_DICTIONARY }));
  // Frames in and out are handled in order; only header (de)compression is asynchronous.
  private inbound: Promise<void> = Promise.resolve();
  private outbound: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly transport: Transport) {
    super();
  }

  /** Bytes from the transport. */
  push(chunk: Buffer): void {
    if (this.closed) return;
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) break;
      const frame = this.buf.subarray(0, 8 + len);
      this.buf = this.buf.subarray(8 + len);
      this.inbound = this.inbound.then(() => this.handle(frame)).catch((e) => this.fail(e));
    }
  }

  /** Tear everything down (transport gone, or GOAWAY). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of [...this.streams.values()]) s.destroy();
    this.streams.clear();
    this.inflate.close();
    this.deflate.close();
    this.transport.end();
    this.emit('close');
  }

  forget(id: number): void {
    this.streams.delete(id);
  }

  sendData(id: number, data: Buffer, fin: boolean): Promise<void> {
    const frames: Buffer[] = [];
    for (let off = 0; off < data.length; off += MAX_DATA)
      frames.push(dataFrame(id, 0, data.subarray(off, off + MAX_DATA)));
    if (fin) frames.push(dataFrame(id, FLAG_FIN, Buffer.alloc(0)));
    return this.send(async () => Buffer.concat(frames));
  }

  sendReset(id: number, status: number): void {
    const p = Buffer.alloc(8);
    p.writeUInt32BE(id & 0x7fffffff, 0);
    p.writeUInt32BE(status, 4);
    void this.send(async () => controlFrame(RST_STREAM, 0, p)).catch(() => {});
  }

  private send(make: () => Promise<Buffer>): Promise<void> {
    const p = this.outbound.then(async () => {
      if (this.closed) throw new Error('spdy session closed');
      this.transport.write(await make());
      if (this.transport.congested()) await new Promise<void>((r) => this.transport.onceDrained(r));
    });
    this.outbound = p.catch(() => {});
    return p;
  }

  private fail(e: unknown): void {
    this.emit('error', e);
    this.close();
  }

  private async handle(f: Buffer): Promise<void> {
    if (this.closed) return;
    const w0 = f.readUInt32BE(0);
    const flags = f[4]!;
    const payload = f.subarray(8);
    if (!(w0 & 0x80000000)) return this.onData(w0 & 0x7fffffff, flags, payload);
    const type = w0 & 0xffff;
    switch (type) {
      case SYN_STREAM: {
        const id = payload.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(await this.inflate.run(payload.subarray(10)));
        return this.onSynStream(id, flags, headers);
      }
      case SYN_REPLY:
      case HEADERS:
        // Never expected from a client, but the zlib context must see every block.
        await this.inflate.run(payload.subarray(4));
        return;
      case RST_STREAM: {
        const s = this.streams.get(payload.readUInt32BE(0) & 0x7fffffff);
        s?.destroy();
        return;
      }
      case PING:
        void this.send(async () => controlFrame(PING, 0, payload.subarray(0, 4))).catch(() => {});
        return;
      case GOAWAY:
        this.close();
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE: nothing to do without flow control
    }
  }

  private onSynStream(id: number, flags: number, headers: Record<string, string>): void {
    const stream = new SpdyStream(id, headers, this);
    this.streams.set(id, stream);
    const reply = Buffer.alloc(4);
    reply.writeUInt32BE(id, 0);
    void this.send(async () =>
      controlFrame(SYN_REPLY, 0, Buffer.concat([reply, await this.deflate.run(encodeHeaderBlock({}))])),
    ).catch(() => {});
    if (flags & FLAG_FIN) stream.push(null);
    this.emit('stream', stream);
  }

  private onData(id: number, flags: number, data: Buffer): void {
    const s = this.streams.get(id);
    if (!s) return;
    if (data.length) s.push(Buffer.from(data));
    if (flags & FLAG_FIN) s.push(null);
  }
}
