import zlib from 'node:zlib';
import { SPDY_DICTIONARY } from '../../../source/engine/net/spdy-dictionary.ts';
import { controlFrame, dataFrame, decodeHeaderBlock, encodeHeaderBlock } from '../../../source/engine/net/spdy.ts';

/** A zlib context used one sync-flushed block at a time. */
function blockCodec(z: zlib.Deflate | zlib.Inflate) {
  let out: Buffer[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  z.on('data', (c: Buffer) => out.push(c));
  return (b: Buffer): Promise<Buffer> => {
    const p = chain.then(
      () =>
        new Promise<Buffer>((resolve) => {
          z.write(b);
          z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            const r = Buffer.concat(out);
            out = [];
            resolve(r);
          });
        }),
    );
    chain = p;
    return p;
  };
}

/**
 * The client half of SPDY/3.1 port-forwarding, as client-go does it, for tests: open an error
 * and a data stream per connection and collect what comes back.
 */
export class SpdyTestClient {
  private deflate = blockCodec(zlib.createDeflate({ dictionary: SPDY_DICTIONARY }));
  private inflate = blockCodec(zlib.createInflate({ dictionary: SPDY_DICTIONARY }));
  private nextId = 1;
  private buf = Buffer.alloc(0);
  private chain: Promise<void> = Promise.resolve();
  readonly replies = new Set<number>();
  readonly data = new Map<number, Buffer>();
  readonly fin = new Set<number>();
  readonly resets = new Set<number>();
  readonly pings: number[] = [];

  constructor(private readonly write: (b: Buffer) => void) {}

  async open(headers: Record<string, string>, fin = false): Promise<number> {
    const id = this.nextId;
    this.nextId += 2;
    const head = Buffer.alloc(10);
    head.writeUInt32BE(id, 0);
    const block = await this.deflate(encodeHeaderBlock(headers));
    this.write(controlFrame(1, fin ? 1 : 0, Buffer.concat([head, block])));
    return id;
  }

  /** A forwarded connection: error stream (closed at once, as kubectl does) + data stream. */
  async connect(port: number, requestID: number): Promise<{ error: number; data: number }> {
    const error = await this.open({ streamType: 'error', port: String(port), requestID: String(requestID) }, true);
    const data = await this.open({ streamType: 'data', port: String(port), requestID: String(requestID) });
    return { error, data };
  }

  send(id: number, data: Buffer | string, fin = false): void {
    this.write(dataFrame(id, fin ? 1 : 0, Buffer.from(data)));
  }

  reset(id: number): void {
    const p = Buffer.alloc(8);
    p.writeUInt32BE(id, 0);
    p.writeUInt32BE(5, 4);
    this.write(controlFrame(3, 0, p));
  }

  ping(id: number): void {
    const p = Buffer.alloc(4);
    p.writeUInt32BE(id, 0);
    this.write(controlFrame(6, 0, p));
  }

  text(id: number): string {
    return this.data.get(id)?.toString() ?? '';
  }

  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) break;
      const f = this.buf.subarray(0, 8 + len);
      this.buf = this.buf.subarray(8 + len);
      this.chain = this.chain.then(() => this.handle(f));
    }
  }

  private async handle(f: Buffer): Promise<void> {
    const w0 = f.readUInt32BE(0);
    const flags = f[4]!;
    const payload = f.subarray(8);
    if (!(w0 & 0x80000000)) {
      const id = w0 & 0x7fffffff;
      this.data.set(id, Buffer.concat([this.data.get(id) ?? Buffer.alloc(0), payload]));
      if (flags & 1) this.fin.add(id);
      return;
    }
    const type = w0 & 0xffff;
    if (type === 2) {
      const id = payload.readUInt32BE(0);
      decodeHeaderBlock(await this.inflate(payload.subarray(4)));
      this.replies.add(id);
    } else if (type === 3) this.resets.add(payload.readUInt32BE(0));
    else if (type === 6) this.pings.push(payload.readUInt32BE(0));
  }
}
