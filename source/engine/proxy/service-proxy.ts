import type { Socket } from 'node:net';
import type { KObject } from '../../api-types/index.ts';
import type { Component, EngineContext } from '../context.ts';
import { isLoopbackV4 } from '../services/cidr.ts';
import type { WatchHandle } from '../store/store.ts';
import { Frontend } from './frontend.ts';
import { relay } from './relay.ts';
import { RoundRobin } from './round-robin.ts';
import { mappedTarget, PORT_MAP_ANNOTATION, type HostPort } from './targets.ts';

const SLICES = 'endpointslices.discovery.k8s.io';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface Endpoint {
  ip: string;
  port: number;
  pod?: { namespace: string; name: string };
  /** Listed only because no ready endpoint is left (serving while terminating). */
  terminating?: boolean;
}

/** One port of one service: its endpoints and the addresses it listens on. */
interface ServicePort {
  balancer: RoundRobin<Endpoint>;
  frontends: Map<string, Frontend>;
}

export interface ProxyOptions {
  /** Map ClusterIP ports below 1024 to high ports even as root (to test the non-root path). */
  mapLowPorts?: boolean;
}

const keyOf = (o: KObject, name = o.metadata.name) => `${o.metadata.namespace}/${name}`;

/** Ready endpoints of a service port; serving-but-terminating ones only when no ready one is left. */
export function endpointsFor(slices: Iterable<KObject>, portName: string): Endpoint[] {
  const ready = new Map<string, Endpoint>();
  const terminating = new Map<string, Endpoint>();
  for (const slice of slices) {
    if (slice.addressType && slice.addressType !== 'IPv4') continue;
    const sp = (slice.ports ?? []).find((p: any) => (p?.name ?? '') === portName && (p?.protocol ?? 'TCP') === 'TCP');
    if (!sp || typeof sp.port !== 'number') continue;
    for (const ep of slice.endpoints ?? []) {
      const ip = ep?.addresses?.[0];
      if (typeof ip !== 'string' || !isLoopbackV4(ip)) continue;
      const c = ep.conditions ?? {};
      const isReady = c.ready !== false;
      const e: Endpoint = { ip, port: sp.port };
      if (ep.targetRef?.kind === 'Pod') e.pod = { namespace: ep.targetRef.namespace ?? slice.metadata.namespace, name: ep.targetRef.name };
      if (isReady) ready.set(`${ip}:${sp.port}`, e);
      else if ((c.serving ?? isReady) && c.terminating) terminating.set(`${ip}:${sp.port}`, { ...e, terminating: true });
    }
  }
  const list = [...(ready.size ? ready : terminating).values()];
  return list.sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip < b.ip ? -1 : 1));
}

/**
 * kube-proxy inside the engine, in userspace: a TCP listener on every ClusterIP:port and on
 * every NodePort of each node IP and 127.0.0.1, spreading new connections round robin over the
 * ready endpoints from the service's EndpointSlices. Everything is on 127.0.0.0/8.
 */
export class ServiceProxy implements Component {
  readonly name = 'service-proxy';
  private ctx?: EngineContext;
  private watches: WatchHandle[] = [];
  private services = new Map<string, KObject>();
  private slices = new Map<string, Map<string, KObject>>();
  private ports = new Map<string, Map<string, ServicePort>>();
  private sockets = new Set<Socket>();

  constructor(private readonly opts: ProxyOptions = {}) {}

  start(ctx: EngineContext): void {
    this.ctx = ctx;
    const store = ctx.store;
    this.watches.push(
      store.watch('services', {}, (ev) => {
        const key = keyOf(ev.object);
        if (ev.type === 'DELETED') this.services.delete(key);
        else this.services.set(key, ev.object);
        this.reconcile(key);
      }),
      store.watch(SLICES, {}, (ev) => {
        const svc = ev.object.metadata.labels?.[SERVICE_NAME_LABEL];
        const prevSvc = ev.prev?.metadata.labels?.[SERVICE_NAME_LABEL];
        if (prevSvc && prevSvc !== svc) this.setSlice(keyOf(ev.object, prevSvc), ev.object.metadata.name!, undefined);
        if (svc) this.setSlice(keyOf(ev.object, svc), ev.object.metadata.name!, ev.type === 'DELETED' ? undefined : ev.object);
      }),
    );
  }

  stop(): void {
    this.watches.forEach((w) => w.stop());
    this.watches = [];
    for (const ports of this.ports.values()) for (const sp of ports.values()) for (const f of sp.frontends.values()) f.dispose();
    this.ports.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Every frontend, for tests and status: `host:port` → listening. */
  frontends(): Array<{ service: string; host: string; port: number; effectivePort: number; listening: boolean; frontend: Frontend }> {
    const out = [];
    for (const [service, ports] of this.ports) {
      for (const sp of ports.values()) {
        for (const f of sp.frontends.values()) out.push({ service, host: f.host, port: f.port, effectivePort: f.effectivePort, listening: f.listening, frontend: f });
      }
    }
    return out;
  }

  /** Wait until every listener matches its service's state (tests). */
  async settled(): Promise<void> {
    await Promise.all(this.frontends().map((f) => f.frontend.settled()));
  }

  private setSlice(svcKey: string, name: string, slice: KObject | undefined): void {
    let m = this.slices.get(svcKey);
    if (slice) {
      if (!m) this.slices.set(svcKey, (m = new Map()));
      m.set(name, slice);
    } else if (m) {
      m.delete(name);
      if (m.size === 0) this.slices.delete(svcKey);
    }
    this.reconcile(svcKey);
  }

  /** The addresses a service port listens on. */
  private addresses(svc: KObject, p: any): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    const ip = svc.spec?.clusterIP;
    if (typeof ip === 'string' && isLoopbackV4(ip)) out.push([ip, p.port]);
    if (typeof p.nodePort === 'number' && p.nodePort > 0 && (svc.spec.type === 'NodePort' || svc.spec.type === 'LoadBalancer')) {
      const hosts = new Set(['127.0.0.1', ...(this.ctx?.config.nodes ?? []).map((n) => n.ip)]);
      for (const h of hosts) if (isLoopbackV4(h)) out.push([h, p.nodePort]);
    }
    return out;
  }

  private reconcile(svcKey: string): void {
    if (!this.ctx) return;
    const svc = this.services.get(svcKey);
    const have = this.ports.get(svcKey) ?? new Map<string, ServicePort>();
    const wanted = new Set<string>();
    if (svc && svc.spec?.type !== 'ExternalName') {
      for (const p of svc.spec?.ports ?? []) {
        if ((p?.protocol ?? 'TCP') !== 'TCP' || typeof p.port !== 'number') continue;
        const portName = p.name ?? '';
        wanted.add(portName);
        let sp = have.get(portName);
        if (!sp) have.set(portName, (sp = { balancer: new RoundRobin(), frontends: new Map() }));
        sp.balancer.set(endpointsFor(this.slices.get(svcKey)?.values() ?? [], portName));
        this.syncFrontends(svcKey, sp, this.addresses(svc, p));
      }
    }
    for (const [name, sp] of have) {
      if (wanted.has(name)) continue;
      for (const f of sp.frontends.values()) f.dispose();
      have.delete(name);
    }
    if (have.size) this.ports.set(svcKey, have);
    else this.ports.delete(svcKey);
  }

  private syncFrontends(svcKey: string, sp: ServicePort, addrs: Array<[string, number]>): void {
    const keep = new Set(addrs.map(([h, p]) => `${h}:${p}`));
    for (const [k, f] of sp.frontends) {
      if (keep.has(k)) continue;
      f.dispose();
      sp.frontends.delete(k);
    }
    for (const [host, port] of addrs) {
      const k = `${host}:${port}`;
      let f = sp.frontends.get(k);
      if (!f) {
        f = new Frontend(
          host,
          port,
          {
            onConnection: (s) => this.accept(s, sp),
            onMapped: (mapped) => this.recordMapping(svcKey, host, port, mapped),
            onError: (e) => this.ctx?.log(`service-proxy: ${svcKey} ${k}: ${e.message}`),
            retryLater: (fn) => this.ctx?.clock.setTimeout(fn, 1000),
          },
          !!this.opts.mapLowPorts,
        );
        sp.frontends.set(k, f);
      }
      f.setOpen(sp.balancer.size() > 0);
    }
  }

  private accept(client: Socket, sp: ServicePort): void {
    this.track(client);
    // A pod being deleted gets no new connection from the moment it is marked, before its
    // EndpointSlice says so: its kubelet stops it in the same store event.
    const pick = (): HostPort | undefined => {
      let leaving: HostPort | undefined;
      for (let n = sp.balancer.size(); n > 0; n--) {
        const ep = sp.balancer.next()!;
        const pod = ep.pod ? this.ctx?.store.get('pods', ep.pod.namespace, ep.pod.name) : undefined;
        const target = mappedTarget(pod, ep.ip, ep.port);
        if (!pod?.metadata.deletionTimestamp || ep.terminating) return target;
        leaving ??= target;
      }
      return leaving;
    };
    relay(client, pick, Math.min(3, Math.max(1, sp.balancer.size())), (b) => this.track(b));
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
  }

  /** Tell users where a privileged ClusterIP port really listens: an annotation and an event. */
  private recordMapping(svcKey: string, host: string, port: number, mapped: number): void {
    const ctx = this.ctx;
    const svc = this.services.get(svcKey);
    if (!ctx || !svc || svc.spec?.clusterIP !== host) return;
    try {
      ctx.store.mutate('services', svc.metadata.namespace, svc.metadata.name!, (o) => {
        let cur: Record<string, string> = {};
        try {
          cur = JSON.parse(o.metadata.annotations?.[PORT_MAP_ANNOTATION] ?? '{}');
        } catch {}
        const next = { ...cur, [String(port)]: `${host}:${mapped}` };
        if (JSON.stringify(next) === JSON.stringify(cur)) return false;
        o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [PORT_MAP_ANNOTATION]: JSON.stringify(next) };
      });
      ctx.recorder.record(svc, 'Normal', 'PortMapped', `Port ${port} on ${host} needs root: the service listens on ${host}:${mapped} instead`, { component: 'kube-proxy' });
    } catch (e) {
      ctx.log(`service-proxy: recording port mapping of ${svcKey}: ${(e as Error).message}`);
    }
  }
}

export function serviceProxyComponent(opts: ProxyOptions = {}): ServiceProxy {
  return new ServiceProxy(opts);
}
