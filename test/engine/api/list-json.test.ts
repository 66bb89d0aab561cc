import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { sendList } from '../../../source/engine/api/list-json.ts';
import { deepFreeze } from '../../../source/engine/store/freeze.ts';
import { bodyServer } from './body-server.ts';

let items: KObject[] = [];
const { get, port } = bodyServer((res) => sendList(res, 'Pod', 'v1', items, { resourceVersion: '7' }));

const pod = (i: number): KObject =>
  deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `p${i}`, annotations: { a: '<b> & é \u2028' } },
    spec: { x: 'y'.repeat(i % 300) },
  } as KObject);

describe('LIST bodies', () => {
  it.each([0, 1, 2, 3000])(
    'with %i items: Content-Length is the body, Go escaping, a trailing newline; twice the same',
    async (n) => {
      items = Array.from({ length: n }, (_, i) => pod(i));
      for (let round = 0; round < 2; round++) {
        const { length, body } = await get('/');
        expect(body.length).toBe(length);
        const text = body.toString();
        expect(text.endsWith(']}\n')).toBe(true);
        expect(text).not.toMatch(/[<>&\u2028]/);
        if (n) expect(text).toContain('\\u003cb\\u003e \\u0026 é \\u2028');
        const list = JSON.parse(text);
        expect(list).toMatchObject({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '7' } });
        expect(list.items).toEqual(JSON.parse(JSON.stringify(items)));
      }
    },
  );

  it('streams a body larger than it lets wait in the socket to a slow reader, whole', async () => {
    items = Array.from({ length: 12_000 }, (_, i) => pod(i));
    const { length, body } = await get('/', 200);
    expect(length).toBeGreaterThan(2 ** 21);
    expect(body.length).toBe(length);
    expect(JSON.parse(body.toString()).items).toHaveLength(12_000);
  });

  it('a client gone mid-body leaves the server answering the next one', async () => {
    items = Array.from({ length: 12_000 }, (_, i) => pod(i));
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port: port(), path: '/' }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.end();
    });
    items = [pod(1)];
    const { length, body } = await get('/');
    expect(body.length).toBe(length);
    expect(JSON.parse(body.toString()).items).toHaveLength(1);
  });

  it('writes items larger than a chunk whole, first, in the middle and last', async () => {
    const huge = (i: number): KObject =>
      deepFreeze({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `h${i}` },
        spec: { x: 'é'.repeat(200_000 + i) },
      } as KObject);
    items = [huge(0), ...Array.from({ length: 500 }, (_, i) => pod(i)), huge(1), pod(9), huge(2)];
    const { length, body } = await get('/');
    expect(body.length).toBe(length);
    expect(JSON.parse(body.toString()).items).toEqual(JSON.parse(JSON.stringify(items)));
  });

  it('gives concurrent slow readers each their own whole body (pooled buffers are never shared)', async () => {
    // 10 MB each: more than the kernel's socket buffers hold, so writes wait in the process.
    const big = (i: number): KObject =>
      deepFreeze({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `b${i}` },
        spec: { x: String(i).repeat(1000) },
      } as KObject);
    items = Array.from({ length: 3_000 }, (_, i) => big(i));
    const expected = JSON.stringify(JSON.parse(JSON.stringify(items)));
    const bodies = await Promise.all([300, 150, 0].map(async (pause) => (await get('/', pause)).body));
    for (const body of bodies) expect(JSON.stringify(JSON.parse(body.toString()).items)).toBe(expected);
  });

  it('indents with ?pretty', async () => {
    items = [pod(1)];
    const { length, body } = await get('/?pretty=true');
    expect(body.length).toBe(length);
    expect(body.toString()).toContain('\n  "kind": "PodList"');
  });
});
