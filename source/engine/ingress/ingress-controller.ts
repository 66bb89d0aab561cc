import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Secret } from 'kubernetes-types/core/v1.d.ts';
import type { Kind, KObject } from '../../api-types/index.ts';
import type { Component, EngineContext } from '../context.ts';
import { assertLoopback, listenLoopback } from '../net/loopback.ts';
import { RoundRobin } from '../proxy/round-robin.ts';
import { endpointsFor } from '../proxy/service-proxy.ts';
import { mappedTarget } from '../proxy/targets.ts';
import { intToIp, parseCidr } from '../services/cidr.ts';
import type { WatchHandle } from '../store/store.ts';
import { ensurePki } from '../tls.ts';
import { Routes, type Backend } from './routes.ts';
import { CLASS_NAME, CLASSES, CONTROLLER, LEGACY_CLASS_ANNOTATION } from './default-class.ts';

const INGRESSES = 'ingresses.networking.k8s.io';
const SLICES = 'endpointslices.discovery.k8s.io';
/** Where the controller really listens when ports 80/443 could not be bound: `http://IP:PORT https://IP:PORT`. */
export const ADDRESS_ANNOTATION = 'skiff.dev/ingress-address';
export const DEFAULT_LB_CIDR = '127.200.0.0/24';

/** The ingress controller's address: the first of the load-balancer range. */
export function ingressIP(lbCidr: string): string {
  return intToIp(parseCidr(lbCidr).base + 1);
}

const keyOf = (o: KObject) => `${o.metadata.namespace}/${o.metadata.name}`;

function text(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * The built-in ingress controller (IngressClass `skiff`, the default): HTTP on IP:80 and HTTPS
 * on IP:443 of a loopback address (mapped ports without root), routing by host and path to the
 * ready endpoints of the backend services, TLS certificates from Secrets picked by SNI.
 */
export class IngressController implements Component {
  readonly name = 'ingress-controller';
  private ctx?: EngineContext;
  private watches: WatchHandle[] = [];
  private ingresses = new Map<string, KObject>();
  /** When each ingress (by uid) was first seen: creation timestamps have one-second precision. */
  private seen = new Map<string, number>();
  private seenCount = 0;
  private classes = new Map<string, KObject>();
  private slices = new Map<string, Map<string, KObject>>();
  private balancers = new Map<
    string,
    RoundRobin<{ ip: string; port: number; pod?: { namespace: string; name: string } }>
  >();
  private routes = new Routes([]);
  private reported = new Set<string>();
  private http?: Server;
  private https?: HttpsServer;
  private agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  private contexts = new Map<string, { rv: string; ctx: SecureContext }>();
  private pending = false;
  ip = '';
  httpPort = 80;
  httpsPort = 443;

  async start(ctx: EngineContext): Promise<void> {
    this.ctx = ctx;
    this.ip = ingressIP(ctx.config.loadBalancerCIDR ?? DEFAULT_LB_CIDR);
    this.watches.push(
      ctx.store.watch(CLASSES, {}, (ev) => {
        if (ev.type === 'DELETED') this.classes.delete(ev.object.metadata.name!);
        else this.classes.set(ev.object.metadata.name!, ev.object);
        this.schedule();
      }),
      ctx.store.watch(INGRESSES, {}, (ev) => {
        const uid = ev.object.metadata.uid ?? '';
        if (ev.type === 'DELETED') {
          this.ingresses.delete(keyOf(ev.object));
          this.seen.delete(uid);
        } else {
          this.ingresses.set(keyOf(ev.object), ev.object);
          if (!this.seen.has(uid)) this.seen.set(uid, ++this.seenCount);
        }
        this.schedule();
      }),
      ctx.store.watch(SLICES, {}, (ev) => {
        const svc = ev.object.metadata.labels?.['kubernetes.io/service-name'];
        if (!svc) return;
        const k = `${ev.object.metadata.namespace}/${svc}`;
        let m = this.slices.get(k);
        if (!m) this.slices.set(k, (m = new Map()));
        if (ev.type === 'DELETED') m.delete(ev.object.metadata.name!);
        else m.set(ev.object.metadata.name!, ev.object);
      }),
    );
    const pki = await ensurePki(ctx.config.home, []);
    this.http = createServer({ keepAliveTimeout: 65_000 }, (req, res) => this.handle(req, res, 'http'));
    const fallback = createSecureContext({ cert: pki.cert, key: pki.key });
    // No certificate in the server's own options: with TLS 1.3, OpenSSL keeps a default
    // certificate of another key type than the one SNI picked. Every context comes from SNI.
    this.https = createHttpsServer(
      { SNICallback: (name, cb) => cb(null, this.secureContext(name) ?? fallback), keepAliveTimeout: 65_000 },
      (req, res) => this.handle(req, res, 'https'),
    );
    try {
      this.httpPort = await this.listen(this.http, 80);
      this.httpsPort = await this.listen(this.https, 443);
      ctx.log(`ingress-controller: http://${this.ip}:${this.httpPort} https://${this.ip}:${this.httpsPort}`);
    } catch (e) {
      // Another engine holds this address (a second cluster with the same topology): run without.
      ctx.log(`ingress-controller: cannot listen on ${this.ip}: ${(e as Error).message}; ingresses get no address`);
      this.http.close();
      this.https.close();
      this.http = undefined;
      this.https = undefined;
    }
    this.schedule();
  }

  stop(): void {
    this.watches.forEach((w) => w.stop());
    this.watches = [];
    this.http?.close();
    this.http?.closeAllConnections();
    this.https?.close();
    this.https?.closeAllConnections();
    this.agent.destroy();
  }

  /** `http://IP[:PORT]`, what a user curls. */
  get url(): string {
    return `http://${this.ip}${this.httpPort === 80 ? '' : `:${this.httpPort}`}`;
  }

  private async listen(server: Server | HttpsServer, port: number): Promise<number> {
    try {
      await listenLoopback(server, this.ip, port);
      return port;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EACCES') throw e;
      await listenLoopback(server, this.ip, 0);
      return (server.address() as { port: number }).port;
    }
  }

  private ours(ing: KObject): boolean {
    const cls = ing.spec?.ingressClassName ?? ing.metadata.annotations?.[LEGACY_CLASS_ANNOTATION];
    if (!cls) return false;
    return this.classes.get(cls)?.spec?.controller === CONTROLLER || (cls === CLASS_NAME && !this.classes.has(cls));
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.rebuild();
    });
  }

  private rebuild(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const mine = [...this.ingresses.values()].filter((i) => this.ours(i) && !i.metadata.deletionTimestamp);
    const seen = (o: KObject) => this.seen.get(o.metadata.uid ?? '') ?? 0;
    this.routes = new Routes(mine, (a, b) => seen(a) - seen(b));
    for (const c of this.routes.conflicts) {
      const k = `${keyOf(c.loser)}|${c.loser.metadata.uid}|${c.host}|${c.path}`;
      if (this.reported.has(k)) continue;
      this.reported.add(k);
      ctx.recorder.record(
        c.loser,
        'Warning',
        'RuleConflict',
        `host "${c.host}" path "${c.path}" is already served by the older ingress ${keyOf(c.winner)}: this rule is ignored`,
        { component: 'ingress-controller' },
      );
    }
    if (!this.http) return;
    const mapped = this.httpPort !== 80 || this.httpsPort !== 443;
    const lb = {
      ingress: [
        {
          ip: this.ip,
          ...(mapped
            ? {
                ports: [
                  { port: this.httpPort, protocol: 'TCP' },
                  { port: this.httpsPort, protocol: 'TCP' },
                ],
              }
            : {}),
        },
      ],
    };
    const annotation = mapped ? `http://${this.ip}:${this.httpPort} https://${this.ip}:${this.httpsPort}` : undefined;
    for (const ing of mine) {
      try {
        if (JSON.stringify(ing.status?.loadBalancer ?? {}) !== JSON.stringify(lb)) {
          ctx.store.mutate(
            INGRESSES,
            ing.metadata.namespace,
            ing.metadata.name!,
            (o) => {
              o.status = { ...(o.status ?? {}), loadBalancer: lb };
            },
            { subresource: 'status' },
          );
        }
        if (annotation && ing.metadata.annotations?.[ADDRESS_ANNOTATION] !== annotation) {
          ctx.store.mutate(INGRESSES, ing.metadata.namespace, ing.metadata.name!, (o) => {
            o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [ADDRESS_ANNOTATION]: annotation };
          });
        }
      } catch (e) {
        ctx.log(`ingress-controller: status of ${keyOf(ing)}: ${(e as Error).message}`);
      }
    }
  }

  private secureContext(servername: string): SecureContext | undefined {
    const ref = this.routes.secretFor(servername);
    const secret: Kind<Secret> | undefined = ref
      ? this.ctx?.store.get('secrets', ref.namespace, ref.secret)
      : undefined;
    const crt = secret?.data?.['tls.crt'];
    const key = secret?.data?.['tls.key'];
    if (!secret || typeof crt !== 'string' || typeof key !== 'string') return undefined;
    const k = keyOf(secret);
    const rv = String(secret.metadata.resourceVersion);
    const cached = this.contexts.get(k);
    if (cached?.rv === rv) return cached.ctx;
    try {
      const sc = createSecureContext({ cert: Buffer.from(crt, 'base64'), key: Buffer.from(key, 'base64') });
      this.contexts.set(k, { rv, ctx: sc });
      return sc;
    } catch (e) {
      this.ctx?.log(`ingress-controller: secret ${k} is not a usable TLS key pair: ${(e as Error).message}`);
      return undefined;
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse, scheme: 'http' | 'https'): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const b = this.routes.match(req.headers.host ?? '', path) ?? this.routes.defaultBackend;
    if (!b) return text(res, 404, 'default backend - 404\n');
    const target = this.pick(b);
    if (typeof target === 'string')
      return text(res, 503, `503 Service Unavailable: ${target} (ingress ${b.ingress})\n`);
    assertLoopback(target.host, 'connect to');
    const headers = { ...req.headers };
    const client = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = headers['x-forwarded-for'] ? `${headers['x-forwarded-for']}, ${client}` : client;
    headers['x-real-ip'] = client;
    headers['x-forwarded-host'] = req.headers.host ?? '';
    headers['x-forwarded-proto'] = scheme;
    const up = request(
      { host: target.host, port: target.port, method: req.method, path: url, headers, agent: this.agent },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.rawHeaders);
        r.pipe(res);
      },
    );
    up.on('error', (e) => text(res, 502, `502 Bad Gateway: ${b.namespace}/${b.service}: ${e.message}\n`));
    res.on('close', () => {
      if (!res.writableFinished) up.destroy();
    });
    req.pipe(up);
  }

  /** A ready endpoint of the backend, or why there is none. */
  private pick(b: Backend): { host: string; port: number } | string {
    const store = this.ctx!.store;
    const svc = store.get('services', b.namespace, b.service);
    if (!svc) return `service "${b.namespace}/${b.service}" not found`;
    const sp = (svc.spec?.ports ?? []).find((p: { port?: number; name?: string }) =>
      b.port.number !== undefined ? p.port === b.port.number : p.name === b.port.name,
    );
    if (!sp) return `service "${b.namespace}/${b.service}" has no port ${b.port.number ?? b.port.name}`;
    const k = `${b.namespace}/${b.service}:${sp.name ?? ''}`;
    let rr = this.balancers.get(k);
    if (!rr) this.balancers.set(k, (rr = new RoundRobin()));
    rr.set(endpointsFor(this.slices.get(`${b.namespace}/${b.service}`)?.values() ?? [], sp.name ?? ''));
    const ep = rr.next();
    if (!ep) return `service "${b.namespace}/${b.service}" has no ready endpoints`;
    const pod = ep.pod ? store.get('pods', ep.pod.namespace, ep.pod.name) : undefined;
    return mappedTarget(pod, ep.ip, ep.port);
  }
}
