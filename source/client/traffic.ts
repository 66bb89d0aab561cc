import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { KObject } from '../api-types/index.ts';
import { errorMessage } from './errors.ts';
import type { Transport } from './transport.ts';

/**
 * The tutorial's round-robin check: N requests through a service, each on a new connection,
 * then count in every backing pod's log which of them it answered (each request carries a
 * unique User-Agent, which nginx-style access logs record).
 */

export interface TrafficProgress {
  sent: number;
  ok: number;
  failed: number;
  /** Responses by first line of the body. */
  bodies: Map<string, number>;
  /** Requests found in each pod's log (filled in at the end). */
  pods: Map<string, number>;
  target: string;
  done: boolean;
  error?: string;
}

function isLoopback(ip: string | undefined): boolean {
  return !!ip && ip.startsWith('127.');
}

/** How to reach the service from here: its ClusterIP when that is a local address, else the API server's proxy. */
export function trafficTarget(svc: KObject, t: Transport): { url: string; viaApi: boolean } {
  const port = svc.spec?.ports?.[0];
  if (!port) throw new Error(`service ${svc.metadata.name} has no ports`);
  const ip = svc.spec?.clusterIP;
  if (isLoopback(ip)) return { url: `http://${ip}:${port.port}/`, viaApi: false };
  const nodePort = port.nodePort;
  if (nodePort && isLoopback(new URL(t.server).hostname))
    return { url: `http://127.0.0.1:${nodePort}/`, viaApi: false };
  const ns = encodeURIComponent(svc.metadata.namespace ?? 'default');
  return {
    url: `/api/v1/namespaces/${ns}/services/${encodeURIComponent(`${svc.metadata.name}:${port.port}`)}/proxy/`,
    viaApi: true,
  };
}

function getOnce(url: string, agentTag: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { agent: false, headers: { 'user-agent': agentTag, connection: 'close' }, timeout: 3000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** A short label for a response: its text when short (`hello from pod 1`), else the page's first heading or title. */
export function responseLabel(body: string): string {
  const squash = (x: string) => x.replace(/\s+/g, ' ').trim();
  const text = squash(body.replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' '));
  if (text.length <= 60) return text || '(empty)';
  const heading = /<h1[^>]*>([^<]*)<\/h1>/i.exec(body)?.[1] ?? /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1];
  return squash(heading ?? text).slice(0, 60);
}

export async function runTraffic(
  t: Transport,
  svc: KObject,
  pods: KObject[],
  count: number,
  onProgress: (p: TrafficProgress) => void,
): Promise<TrafficProgress> {
  const tag = `skiff-traffic/${randomBytes(4).toString('hex')}`;
  const target = trafficTarget(svc, t);
  const p: TrafficProgress = {
    sent: 0,
    ok: 0,
    failed: 0,
    bodies: new Map(),
    pods: new Map(),
    target: target.url,
    done: false,
  };
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    try {
      const r = target.viaApi
        ? { status: 200, body: await t.text({ path: target.url, timeoutMs: 5000 }) }
        : await getOnce(target.url, tag);
      if (r.status >= 200 && r.status < 400) p.ok++;
      else p.failed++;
      const key = `${r.status} ${responseLabel(r.body)}`;
      p.bodies.set(key, (p.bodies.get(key) ?? 0) + 1);
    } catch (err) {
      p.failed++;
      const key = `error: ${errorMessage(err)}`;
      p.bodies.set(key, (p.bodies.get(key) ?? 0) + 1);
    }
    p.sent++;
    onProgress(p);
  }
  // Which pod answered: each pod's log since the test began, counting our tag.
  const since = Math.ceil((Date.now() - started) / 1000) + 2;
  await Promise.all(
    pods.map(async (pod) => {
      const name = pod.metadata.name!;
      try {
        const log = await t.text({
          path: `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace!)}/pods/${encodeURIComponent(name)}/log`,
          query: { sinceSeconds: since },
        });
        p.pods.set(name, log.split('\n').filter((l) => l.includes(tag)).length);
      } catch {
        p.pods.set(name, -1);
      }
    }),
  );
  p.done = true;
  onProgress(p);
  return p;
}
