import { request } from 'node:https';
import os from 'node:os';

export interface Figure {
  name: string;
  unit: string;
  median: number;
  p99?: number;
  min?: number;
  max?: number;
  samples?: number;
  anchor?: string;
  /** The target this figure is measured against (issue 23), shown beside it. */
  goal?: string;
  note?: string;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function summarize(name: string, unit: string, xs: number[], extra: Partial<Figure> = {}): Figure {
  const r = (v: number) => Math.round(v * 100) / 100;
  return {
    name,
    unit,
    median: r(percentile(xs, 50)),
    p99: r(percentile(xs, 99)),
    min: r(Math.min(...xs)),
    max: r(Math.max(...xs)),
    samples: xs.length,
    ...extra,
  };
}

export function machine(): Record<string, unknown> {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** One HTTPS request to the engine; resolves with status, body size and elapsed ms. */
export function timedGet(
  url: string,
  token: string,
  ca: string,
  accept = 'application/json',
): Promise<{ status: number; bytes: number; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { Authorization: `Bearer ${token}`, Accept: accept } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end();
  });
}
