// A fault-injecting Kubernetes API proxy for tests (never shipped): it sits between a client and
// a real test engine and, per scenario, misbehaves the way production apiservers and networks do.
import https from 'node:https';
import type http from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { TestEngine } from './engine.ts';

export interface Faults {
  /** 403 Forbidden on watch requests of these resources (plurals), as RBAC with list but no watch. */
  forbidWatch?: string[];
  /** 405 MethodNotAllowed on watch requests of these resources, as for metrics or componentstatuses. */
  rejectWatch?: string[];
  /** 429 TooManyRequests with `Retry-After` on reads of a resource, the next `times` requests. */
  throttle?: { resource: string; retryAfterSeconds: number; times: number };
  /** 503 for everything under `/apis/<group>/`, and `freshness: Stale` in aggregated discovery. */
  staleGroups?: string[];
  /** Watches of the resource answer headers and then no byte at all, the next `times` streams. */
  stallWatch?: { resource: string; times: number };
  /** Every watch stream is cut (socket destroyed) this long after it started. */
  dropStreamsAfterMs?: number;
  /** Discovery documents (`/api`, `/apis`, `/apis/<g>/<v>`) answer this late. */
  discoveryDelayMs?: number;
  /** The `Date` header (and synthesized objects' timestamps) run this far ahead of this host. */
  dateSkewMs?: number;
  /** Pod lists are served from a synthesized list of this many pods (watches only bookmark). */
  syntheticPods?: number;
  /** Reads without `Accept-Encoding: gzip` get 406; compressed responses otherwise. */
  requireGzip?: boolean;
  /** The next `n` list requests that carry a `continue` token get 410 Expired (compaction). */
  expireContinue?: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  resource?: string;
  watch: boolean;
  status: number;
  at: number;
  gzip: boolean;
  /** Body bytes written to the client (after compression). */
  bytes: number;
}

export interface FaultProxy {
  url: string;
  /** A kubeconfig like the engine's, pointing at the proxy (same CA: the proxy serves the engine's certificate). */
  kubeconfigPath: string;
  faults: Faults;
  set(faults: Faults): void;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

// kube-apiserver compresses responses from this size on (APIResponseCompression).
const GZIP_THRESHOLD = 128 * 1024;

interface Target {
  group?: string;
  resource?: string;
  name?: string;
  discovery: boolean;
}

/** `/api/v1/namespaces/ns/pods/x` → pods, x; `/apis/g/v` → discovery. */
/** A rule's resource: `pods` is the core group's; `pods.metrics.k8s.io` names another group's. */
function names(target: Target, rule: string): boolean {
  const dot = rule.indexOf('.');
  return dot < 0
    ? target.resource === rule && !target.group
    : target.resource === rule.slice(0, dot) && target.group === rule.slice(dot + 1);
}

export function parseTarget(path: string): Target {
  const parts = path.split('/').filter(Boolean);
  let rest: string[];
  let group: string | undefined;
  if (parts[0] === 'api') {
    group = '';
    rest = parts.slice(2);
    if (parts.length <= 2) return { group, discovery: true };
  } else if (parts[0] === 'apis') {
    group = parts[1];
    rest = parts.slice(3);
    if (parts.length <= 3) return { group, discovery: true };
  } else return { discovery: false };
  if (rest[0] === 'namespaces' && rest.length >= 3)
    return { group, resource: rest[2], name: rest[3], discovery: false };
  return { group, resource: rest[0], name: rest[1], discovery: false };
}

function status(code: number, reason: string, message: string, details: Record<string, unknown> = {}): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  });
}

export async function startFaultProxy(te: TestEngine, initial: Faults = {}): Promise<FaultProxy> {
  const engineUrl = new URL(te.engine.url);
  const pki = join(te.home, 'pki');
  const requests: ProxiedRequest[] = [];
  const proxy: FaultProxy = {
    url: '',
    kubeconfigPath: join(te.home, 'proxy-kubeconfig'),
    faults: { ...initial },
    set(f) {
      proxy.faults = { ...f };
    },
    requests,
    close: async () => {},
  };
  // Recorded from the engine on first use (so a test can create the pod it is copied from first).
  let syntheticP: Promise<Synthetic> | undefined;
  const open = new Set<http.ServerResponse>();

  const server = https.createServer(
    { cert: readFileSync(join(pki, 'server.crt')), key: readFileSync(join(pki, 'server.key')) },
    (req, res) => void handle(req, res).catch(() => res.destroy()),
  );

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const f = proxy.faults;
    const url = new URL(req.url ?? '/', 'https://proxy');
    const target = parseTarget(url.pathname);
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const entry: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      resource: target.resource,
      watch,
      status: 0,
      at: Date.now(),
      gzip: acceptsGzip,
      bytes: 0,
    };
    requests.push(entry);
    open.add(res);
    res.on('close', () => open.delete(res));
    const date = () => new Date(Date.now() + (proxy.faults.dateSkewMs ?? 0)).toUTCString();
    const reply = (code: number, body: string, headers: Record<string, string> = {}) => {
      entry.status = code;
      let data: Buffer = Buffer.from(body);
      const out: Record<string, string | number> = { 'Content-Type': 'application/json', Date: date(), ...headers };
      if (acceptsGzip && !watch && data.length >= GZIP_THRESHOLD) {
        data = zlib.gzipSync(data);
        out['Content-Encoding'] = 'gzip';
      }
      out['Content-Length'] = data.length;
      entry.bytes = data.length;
      res.writeHead(code, out);
      res.end(data);
    };
    const isRead = req.method === 'GET';

    if (target.discovery && f.discoveryDelayMs) await sleep(f.discoveryDelayMs);
    if (isRead && !watch && f.requireGzip && !acceptsGzip) {
      return reply(406, status(406, 'NotAcceptable', 'this proxy requires Accept-Encoding: gzip'));
    }
    if (target.group && f.staleGroups?.includes(target.group)) {
      return reply(503, status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'), {
        'Retry-After': '1',
      });
    }
    if (isRead && f.throttle && f.throttle.times > 0 && names(target, f.throttle.resource)) {
      f.throttle.times--;
      const secs = f.throttle.retryAfterSeconds;
      return reply(
        429,
        status(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: secs }),
        { 'Retry-After': String(secs) },
      );
    }
    if (isRead && f.expireContinue && url.searchParams.get('continue')) {
      f.expireContinue--;
      return reply(
        410,
        status(
          410,
          'Expired',
          'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
        ),
      );
    }
    if (watch && target.resource && f.forbidWatch?.some((r) => names(target, r))) {
      const ns = url.pathname.match(/\/namespaces\/([^/]+)\//)?.[1];
      const scope = ns ? `in the namespace "${ns}"` : 'at the cluster scope';
      return reply(
        403,
        status(
          403,
          'Forbidden',
          `${target.resource} is forbidden: User "limited" cannot watch resource "${target.resource}" in API group "${target.group ?? ''}" ${scope}`,
          {
            kind: target.resource,
          },
        ),
      );
    }
    if (watch && target.resource && f.rejectWatch?.some((r) => names(target, r))) {
      return reply(
        405,
        status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
      );
    }
    if (watch && f.stallWatch && f.stallWatch.times > 0 && names(target, f.stallWatch.resource)) {
      f.stallWatch.times--;
      entry.status = 200;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', Date: date() });
      res.flushHeaders();
      return; // not one byte until the client gives up
    }
    if (f.syntheticPods && isRead && target.group === '' && target.resource === 'pods' && !target.name) {
      const synthetic = await (syntheticP ??= syntheticTemplate(te));
      if (watch) {
        entry.status = 200;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', Date: date() });
        res.flushHeaders();
        const timer = setInterval(
          () =>
            res.write(
              `${JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: synthetic.rv }, rows: [] } })}\n`,
            ),
          20_000,
        );
        res.on('close', () => clearInterval(timer));
        return;
      }
      const ns = url.pathname.match(/\/namespaces\/([^/]+)\//)?.[1];
      return reply(
        200,
        synthetic.page(
          f.syntheticPods,
          url.searchParams,
          String(req.headers.accept ?? ''),
          Date.now() + (f.dateSkewMs ?? 0),
          ns,
        ),
      );
    }
    await forward(req, res, entry, url, target, watch, acceptsGzip, date);
  }

  async function forward(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    entry: ProxiedRequest,
    url: URL,
    target: Target,
    watch: boolean,
    acceptsGzip: boolean,
    date: () => string,
  ): Promise<void> {
    const headers = { ...req.headers, host: engineUrl.host };
    delete headers['accept-encoding'];
    const upstream = https.request({
      host: engineUrl.hostname,
      port: engineUrl.port,
      method: req.method,
      path: req.url,
      headers,
      ca: te.engine.caCert,
    });
    req.pipe(upstream);
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    const up = await new Promise<http.IncomingMessage>((resolve) => upstream.on('response', resolve));
    entry.status = up.statusCode ?? 0;
    const outHeaders = { ...up.headers, date: date() };
    if (watch || url.searchParams.get('follow') === 'true') {
      res.writeHead(entry.status, outHeaders);
      res.flushHeaders();
      up.on('data', (c: Buffer) => {
        entry.bytes += c.length;
        res.write(c);
      });
      up.on('end', () => res.end());
      if (watch && proxy.faults.dropStreamsAfterMs) {
        const t = setTimeout(() => res.destroy(), proxy.faults.dropStreamsAfterMs);
        res.on('close', () => clearTimeout(t));
      }
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of up) chunks.push(c as Buffer);
    let body: Buffer = Buffer.concat(chunks);
    if (target.discovery && url.pathname === '/apis' && proxy.faults.staleGroups?.length)
      body = markStale(body, proxy.faults.staleGroups);
    delete outHeaders['content-length'];
    delete outHeaders['transfer-encoding'];
    if (acceptsGzip && body.length >= GZIP_THRESHOLD) {
      body = zlib.gzipSync(body);
      outHeaders['content-encoding'] = 'gzip';
    }
    outHeaders['content-length'] = String(body.length);
    entry.bytes = body.length;
    res.writeHead(entry.status, outHeaders);
    res.end(body);
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  proxy.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(proxy.kubeconfigPath, readFileSync(te.engine.kubeconfigPath, 'utf8').replace(te.engine.url, proxy.url));
  proxy.close = async () => {
    for (const r of open) r.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return proxy;
}

/** Aggregated discovery with the given groups marked as an unreachable aggregated apiserver's. */
function markStale(body: Buffer, groups: string[]): Buffer {
  try {
    const doc = JSON.parse(body.toString('utf8'));
    if (doc.kind !== 'APIGroupDiscoveryList') return body;
    for (const item of doc.items ?? []) {
      if (!groups.includes(item.metadata?.name)) continue;
      for (const v of item.versions ?? []) v.freshness = 'Stale';
    }
    return Buffer.from(JSON.stringify(doc));
  } catch {
    return body;
  }
}

interface Synthetic {
  rv: string;
  /** `namespace`: a namespaced list gets all its pods in that namespace. */
  page(count: number, query: URLSearchParams, accept: string, serverNow: number, namespace?: string): string;
}

/**
 * Pods made from a recorded one: the engine's own first pod as a Table row and as an object,
 * copied with new names, uids and creation times (on the server's timeline, one second apart).
 */
async function syntheticTemplate(te: TestEngine): Promise<Synthetic> {
  const headers = { authorization: `Bearer ${te.engine.token}` };
  const get = async (accept: string) => {
    const res = await fetchJson(
      `${te.engine.url}/api/v1/pods?limit=1&includeObject=Object`,
      { ...headers, accept },
      te.engine.caCert,
    );
    return res as {
      metadata?: { resourceVersion?: string };
      columnDefinitions?: unknown[];
      rows?: Array<{ cells: unknown[]; object: PodLike }>;
      items?: PodLike[];
    };
  };
  const table = await get('application/json;as=Table;v=v1;g=meta.k8s.io');
  const row = table.rows?.[0];
  const rv = table.metadata?.resourceVersion ?? '1';
  const base: PodLike = row?.object ?? {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: 'template', namespace: 'default' },
    spec: {},
    status: {},
  };
  const baseCells = row?.cells ?? ['template'];
  const pod = (i: number, serverNow: number): PodLike => {
    const o = structuredClone(base);
    o.metadata = {
      ...o.metadata,
      name: `synthetic-${String(i).padStart(5, '0')}`,
      namespace: `team-${i % 50}`,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      creationTimestamp: new Date(Math.floor(serverNow / 1000) * 1000 - (i % 600) * 1000)
        .toISOString()
        .replace('.000Z', 'Z'),
      resourceVersion: rv,
    };
    delete o.metadata.ownerReferences;
    delete o.metadata.managedFields;
    return o;
  };
  return {
    rv,
    page(count, query, accept, serverNow, namespace) {
      const limit = Number(query.get('limit') ?? 0) || count;
      const from = Number(Buffer.from(query.get('continue') ?? '', 'base64').toString() || 0);
      const to = Math.min(count, from + limit);
      const cont = to < count ? Buffer.from(String(to)).toString('base64') : undefined;
      const metadata = { resourceVersion: rv, ...(cont ? { continue: cont, remainingItemCount: count - to } : {}) };
      const pods: PodLike[] = [];
      for (let i = from; i < to; i++) {
        const p = pod(i, serverNow);
        if (namespace) p.metadata.namespace = namespace;
        pods.push(p);
      }
      if (accept.includes('as=Table')) {
        const include = query.get('includeObject') ?? 'Metadata';
        return JSON.stringify({
          kind: 'Table',
          apiVersion: 'meta.k8s.io/v1',
          metadata,
          columnDefinitions: from === 0 ? table.columnDefinitions : [],
          rows: pods.map((p) => ({
            cells: [p.metadata.name, ...baseCells.slice(1)],
            object:
              include === 'None'
                ? undefined
                : include === 'Object'
                  ? p
                  : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata },
          })),
        });
      }
      return JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata, items: pods });
    },
  };
}

interface PodLike {
  kind?: string;
  apiVersion?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: string;
    resourceVersion?: string;
    ownerReferences?: unknown[];
    managedFields?: unknown[];
  };
  spec?: unknown;
  status?: unknown;
}

function fetchJson(url: string, headers: Record<string, string>, ca: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { headers, ca }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
