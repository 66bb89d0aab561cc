import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { markPretty } from '../../../source/engine/api/respond.ts';

export interface Body {
  length: number;
  body: Buffer;
}

/**
 * A plain HTTP server on loopback for the file's tests, answering every request with `send`
 * (`?pretty` in the URL marks the response pretty first); `get` reads a whole body, after
 * `pauseMs` of not reading when given (a slow reader).
 */
export function bodyServer(send: (res: ServerResponse, req: IncomingMessage) => void): {
  get(path: string, pauseMs?: number): Promise<Body>;
  port(): number;
} {
  const server = createServer((req, res) => {
    if (req.url?.includes('pretty')) markPretty(res);
    send(res, req);
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => server.close());
  return {
    port: () => port,
    get: (path, pauseMs) =>
      new Promise((resolve, reject) => {
        request({ host: '127.0.0.1', port, path }, (res) => {
          const chunks: Buffer[] = [];
          if (pauseMs !== undefined) {
            res.pause();
            setTimeout(() => res.resume(), pauseMs);
          }
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ length: Number(res.headers['content-length']), body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      }),
  };
}
