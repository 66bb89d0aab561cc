import type { ServerResponse } from 'node:http';
import type { KObject } from '../../api-types/index.ts';
import { serialize } from '../store/stored-json.ts';
import { goJson, isPretty } from './respond.ts';

/** Bytes per write of a LIST body: few writes, and no copy of the whole body at once. */
const CHUNK = 65536;

/**
 * A list response as the apiserver writes it. Each stored object's JSON was made when it was
 * written (`store/stored-json.ts`), so a LIST joins texts instead of serializing every item.
 */
export function sendList(res: ServerResponse, kind: string, apiVersion: string, items: KObject[], meta: object): void {
  const head = `{"kind":"${kind}List","apiVersion":"${apiVersion}","metadata":${JSON.stringify(meta)},"items":[`;
  if (isPretty(res)) {
    const text = `${head}${items.map((o) => JSON.stringify(o)).join(',')}]}`;
    return send(res, Buffer.from(goJson(text, res)));
  }
  const chunks: Buffer[] = [];
  let length = 0;
  let text = goJson(head).slice(0, -1);
  for (let i = 0; i < items.length; i++) {
    text += i ? `,${serialize(items[i]!)}` : serialize(items[i]!);
    if (text.length >= CHUNK) {
      chunks.push(Buffer.from(text));
      length += chunks[chunks.length - 1]!.length;
      text = '';
    }
  }
  chunks.push(Buffer.from(`${text}]}\n`));
  length += chunks[chunks.length - 1]!.length;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': length,
    'Cache-Control': 'no-cache, private',
  });
  for (let i = 0; i < chunks.length - 1; i++) res.write(chunks[i]!);
  res.end(chunks[chunks.length - 1]!);
}

function send(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': body.length,
    'Cache-Control': 'no-cache, private',
  });
  res.end(body);
}
