import { request } from 'node:https';
import type { TestEngine } from './engine.ts';

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): Promise<any>;
}

/** One HTTPS request to a test engine with its CA and token (raw API checks kubectl cannot make). */
export function apiRequest(
  t: TestEngine,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${t.engine.url}${path}`,
      {
        method: init.method ?? 'GET',
        ca: t.engine.caCert,
        headers: { Authorization: `Bearer ${t.engine.token}`, ...init.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: async () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
