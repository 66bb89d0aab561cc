import type { ServerResponse } from 'node:http';
import type { KObject } from '../../api-types/index.ts';
import { serialize } from '../store/stored-json.ts';
import { goJson, isPretty } from './respond.ts';

/** Bytes per write of a LIST body. */
const CHUNK = 65536;
/** Bytes a LIST lets wait in the socket before it makes more: the rest waits for 'drain'. */
const AHEAD = 1 << 20;

/**
 * A list response as the apiserver writes it. Each stored object's JSON was made when it was
 * written (`store/stored-json.ts`), so a LIST joins texts instead of serializing every item.
 *
 * The body is encoded a chunk at a time as the socket takes it: a LIST of 10,000 pods (15 MB)
 * encoded at once held the whole body in fresh buffers and had TLS copy and encrypt all of it
 * in one call, blocking every other request for that long (the first LIST paid page faults on
 * ~45 MB of new memory).
 */
export function sendList(res: ServerResponse, kind: string, apiVersion: string, items: KObject[], meta: object): void {
  const head = `{"kind":"${kind}List","apiVersion":"${apiVersion}","metadata":${JSON.stringify(meta)},"items":[`;
  if (isPretty(res)) {
    const text = `${head}${items.map((o) => JSON.stringify(o)).join(',')}]}`;
    return send(res, Buffer.from(goJson(text, res)));
  }
  const first = goJson(head).slice(0, -1);
  const texts = items.map((o) => serialize(o));
  let length = Buffer.byteLength(first) + Buffer.byteLength(']}\n') + Math.max(0, texts.length - 1);
  for (const t of texts) length += Buffer.byteLength(t);
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': length,
    'Cache-Control': 'no-cache, private',
  });
  let i = 0;
  let text = first;
  const pump = (): void => {
    while (i < texts.length) {
      text += i ? `,${texts[i]}` : texts[i];
      i++;
      if (text.length < CHUNK) continue;
      res.write(Buffer.from(text));
      text = '';
      if (res.writableLength >= AHEAD) {
        if (!res.destroyed) res.once('drain', pump);
        return;
      }
    }
    res.end(Buffer.from(`${text}]}\n`));
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
