import type { ServerResponse } from 'node:http';
import type { KObject } from '../../api-types/index.ts';
import { serialize } from '../store/stored-json.ts';
import { goJson, isPretty } from './respond.ts';
import { ChunkPool } from './chunk-pool.ts';

/** Bytes per write of a LIST body: one buffer, reused once the socket is done with it. */
const CHUNK = 256 * 1024;
/** Bytes a LIST lets wait in the socket before it makes more: the rest waits for 'drain'. */
const AHEAD = 1 << 20;

const pool = new ChunkPool(CHUNK, 8);

/**
 * A list response as the apiserver writes it. Each stored object's JSON was made when it was
 * written (`store/stored-json.ts`), so a LIST copies texts instead of serializing every item.
 *
 * The body goes out a chunk at a time as the socket takes it, each chunk one buffer written on
 * its own event-loop turn. Why so: a LIST of 10,000 pods is 15 MB. Encoded at once it held the
 * whole body in fresh buffers and TLS encrypted all of it in one blocking call. Written as many
 * small buffers in one turn, http corks them into one writev, and TLS first copies a writev into
 * one new allocation: fresh memory for every megabyte, whose first touch costs ~7 ms a MB on our
 * machines. A single buffer per write goes to TLS as it is, and buffers from a pool are memory
 * already touched.
 */
export function sendList(res: ServerResponse, kind: string, apiVersion: string, items: KObject[], meta: object): void {
  const head = `{"kind":"${kind}List","apiVersion":"${apiVersion}","metadata":${JSON.stringify(meta)},"items":[`;
  if (isPretty(res)) {
    const text = `${head}${items.map((o) => JSON.stringify(o)).join(',')}]}`;
    return send(res, Buffer.from(goJson(text, res)));
  }
  const texts: string[] = new Array(items.length + 2);
  texts[0] = goJson(head).slice(0, -1);
  for (let i = 0; i < items.length; i++) texts[i + 1] = serialize(items[i]!);
  texts[items.length + 1] = ']}\n';
  streamJsonArray(res, texts);
}

/**
 * Answer 200 with `texts` — a head, the array's items (joined by commas here), a tail; all
 * already JSON as Go writes it — a pooled chunk per event-loop turn as the socket takes them (see sendList).
 */
export function streamJsonArray(res: ServerResponse, texts: string[]): void {
  const last = texts.length - 1;
  const sizes = new Int32Array(texts.length);
  let length = 0;
  for (let i = 0; i < texts.length; i++)
    length += sizes[i] = Buffer.byteLength(texts[i]!) + (i > 1 && i < last ? 1 : 0);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': length,
    'Cache-Control': 'no-cache, private',
  });
  let i = 0;
  const pump = (): void => {
    if (res.destroyed) return;
    if (sizes[i]! > CHUNK) return write(Buffer.from(i > 1 && i < last ? `,${texts[i++]}` : texts[i++]!), undefined);
    const chunk = pool.take();
    let used = 0;
    // A text larger than a chunk (a huge object) is left for the next turn, written alone.
    while (i < texts.length && used + sizes[i]! <= CHUNK) {
      if (i > 1 && i < last) chunk[used++] = 0x2c; // ','
      used += chunk.write(texts[i++]!, used);
    }
    write(chunk.subarray(0, used), chunk);
  };
  const write = (bytes: Buffer, pooled: Buffer | undefined): void => {
    const release = pooled && (() => pool.give(pooled));
    if (i === texts.length) return void res.end(bytes, release);
    res.write(bytes, release);
    if (res.writableLength >= AHEAD) res.once('drain', pump);
    else setImmediate(pump);
  };
  pump();
}

function send(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': body.length,
    'Cache-Control': 'no-cache, private',
  });
  res.end(body);
}
