import type { ServerResponse } from 'node:http';
import type { KObject } from '../../api-types/index.ts';
import { goJson, isPretty } from './respond.ts';

/**
 * Serialized items of a LIST, cached per stored object. Stored objects are frozen and replaced on
 * every write, so an object is its resourceVersion: its bytes never go stale and are collected
 * with it. Only frozen objects (the store's own) are cached.
 */
const bytes = new WeakMap<KObject, Buffer>();

function itemBytes(o: KObject): Buffer {
  let b = bytes.get(o);
  if (!b) {
    // Go's encoder escapes <, >, & and U+2028/9 (see goJson); per item this is the same as on the whole.
    b = Buffer.from(goJson(JSON.stringify(o)).slice(0, -1));
    if (Object.isFrozen(o)) bytes.set(o, b);
  }
  return b;
}

/** A list response as the apiserver writes it, without stringifying items already sent once. */
export function sendList(res: ServerResponse, kind: string, apiVersion: string, items: KObject[], meta: object): void {
  const head = `{"kind":"${kind}List","apiVersion":"${apiVersion}","metadata":${JSON.stringify(meta)},"items":[`;
  if (isPretty(res)) {
    const text = `${head}${items.map((o) => JSON.stringify(o)).join(',')}]}`;
    return send(res, Buffer.from(goJson(text, res)));
  }
  const parts: Buffer[] = [Buffer.from(goJson(head).slice(0, -1))];
  for (let i = 0; i < items.length; i++) {
    if (i) parts.push(COMMA);
    parts.push(itemBytes(items[i]!));
  }
  parts.push(FOOT);
  let length = 0;
  for (const p of parts) length += p.length;
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': length,
    'Cache-Control': 'no-cache, private',
  });
  // Written in chunks of about 64 KiB: no copy of the whole body, few writes.
  let from = 0;
  let size = 0;
  for (let i = 0; i < parts.length; i++) {
    size += parts[i]!.length;
    if (size >= 65536 || i === parts.length - 1) {
      const chunk = Buffer.concat(parts.slice(from, i + 1), size);
      if (i === parts.length - 1) res.end(chunk);
      else res.write(chunk);
      from = i + 1;
      size = 0;
    }
  }
}

const COMMA = Buffer.from(',');
const FOOT = Buffer.from(']}\n');

function send(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': body.length,
    'Cache-Control': 'no-cache, private',
  });
  res.end(body);
}
