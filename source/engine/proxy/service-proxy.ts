import type { Server, Socket } from 'node:net';
import type { EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import type { ServicePort as V1ServicePort } from 'kubernetes-types/core/v1.d.ts';
import type { Kind, KObject } from '../../api-types/index.ts';
import type { Component, EngineContext } from '../context.ts';
import { inCidr, isLoopbackV4, parseCidr } from '../services/cidr.ts';
import type { WatchHandle } from '../store/store.ts';
import { Frontend, tcpListener } from './frontend.ts';
import { inProcessServer, onInProcessChange } from '../runtime/in-process.ts';
import { handOff, relay } from './relay.ts';
import { nativeRelayStatus, nativeSplice, type NativeSplice } from './native-relay.ts';
import { abortAccepted, nativeAcceptAvailable, nativeAcceptGroup, type NativeTable } from './native-accept.ts';
import { PodIndex } from './pod-index.ts';
import { RawSplice, socketOf, type AcceptedHandle } from './raw-splice.ts';
import { RoundRobin } from './round-robin.ts';
import { udpListener } from './udp-relay.ts';
import { mappedTarget, PORT_MAP_ANNOTATION, type HostPort } from './targets.ts';

const SLICES = 'endpointslices.discovery.k8s.io';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const KUBE_DNS = 'kube-system/kube-dns';

interface Endpoint {
  ip: string;
  port: number;
  pod?: { namespace: string; name: string };
  /** The pod's UID (targetRef.uid): the key of its in-engine server, if it has one. */
  uid?: string;
  nodeName?: string;
  /** Listed only because no ready endpoint is left (serving while terminating). */
  terminating?: boolean;
}

interface Picked {
  ep: Endpoint;
  /** Where to dial it (its port-map annotation followed). */
  target: HostPort;
  pod?: KObject;
}

/** One port of one service: its endpoints and the addresses it listens on. */
interface ServicePort {
  protocol: 'TCP' | 'UDP';
  balancer: RoundRobin<Endpoint>;
  frontends: Map<string, Frontend>;
  /** sessionAffinity ClientIP: how long a client sticks to its endpoint (ms), 0 = no affinity. */
  affinityMs: number;
  /** Client IP → the endpoint it sticks to, until when (clock time). */
  sticky: Map<string, { ep: Endpoint; until: number }>;
  /** internalTrafficPolicy Local (ClusterIP) / externalTrafficPolicy Local (NodePort on a node's IP). */
  internalLocal: boolean;
  externalLocal: boolean;
  clusterIP?: string;
  /** Where the relay thread sends connections it accepts itself; null: accept in JavaScript. */
  native: NativeTable | null;
  nativeKey: string;
}

export interface ProxyOptions {
  /** Map ClusterIP ports below 1024 to high ports even as root (to test the non-root path). */
  mapLowPorts?: boolean;
  /** Idle timeout of a UDP flow (ms); default UDP_IDLE_MS. */
  udpIdleMs?: number;
}

const keyOf = (o: KObject, name = o.metadata.name) => `${o.metadata.namespace}/${name}`;

/** The backends to dial, in order: the endpoint already chosen, then the picker's next ones. */
function firstThen(chosen: Picked | undefined, pick: () => Picked | undefined): () => HostPort | undefined {
  let first = true;
  return () => {
    if (!first) return pick()?.target;
    first = false;
    return chosen?.target;
  };
}

/** Ready endpoints of a service port; serving-but-terminating ones only when no ready one is left. */
export function endpointsFor(slices: Iterable<Kind<EndpointSlice>>, portName: string, protocol = 'TCP'): Endpoint[] {
  const ready = new Map<string, Endpoint>();
  const terminating = new Map<string, Endpoint>();
  for (const slice of slices) {
    if (slice.addressType && slice.addressType !== 'IPv4') continue;
    const sp = (slice.ports ?? []).find(
      (p: EndpointPort | null) => (p?.name ?? '') === portName && (p?.protocol ?? 'TCP') === protocol,
    );
    if (!sp || typeof sp.port !== 'number') continue;
    for (const ep of slice.endpoints ?? []) {
      const ip = ep?.addresses?.[0];
      if (typeof ip !== 'string' || !isLoopbackV4(ip)) continue;
      const c = ep.conditions ?? {};
      const isReady = c.ready !== false;
      const e: Endpoint = { ip, port: sp.port };
      if (ep.targetRef?.kind === 'Pod') {
        e.pod = { namespace: ep.targetRef.namespace ?? slice.metadata.namespace ?? '', name: ep.targetRef.name ?? '' };
        if (typeof ep.targetRef.uid === 'string') e.uid = ep.targetRef.uid;
      }
      if (typeof ep.nodeName === 'string') e.nodeName = ep.nodeName;
      if (isReady) ready.set(`${ip}:${sp.port}`, e);
      else if ((c.serving ?? isReady) && c.terminating)
        terminating.set(`${ip}:${sp.port}`, { ...e, terminating: true });
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
  /** Connections spliced from a bare accepted handle (no Socket to track), in JavaScript or natively. */
  private splices = new Set<RawSplice | NativeSplice>();
  /** Listeners that accept natively belong to this group (their connections end with the proxy). */
  private readonly group = nativeAcceptGroup();
  /** TCP ports by the pods they list: a pod's change may change where they accept. */
  private readonly podPorts = new PodIndex<ServicePort>();
  private unwatchInProcess?: () => void;

  constructor(private readonly opts: ProxyOptions = {}) {}

  start(ctx: EngineContext): void {
    this.ctx = ctx;
    ctx.log(`service-proxy: connections to process pods go through the ${nativeRelayStatus()}`);
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
        if (svc)
          this.setSlice(keyOf(ev.object, svc), ev.object.metadata.name!, ev.type === 'DELETED' ? undefined : ev.object);
      }),
    );
    if (!nativeAcceptAvailable()) return;
    // A pod marked for deletion, remapped, or with an in-engine server: its ports' tables change.
    this.watches.push(store.watch('pods', {}, (ev) => this.refreshPorts(this.podPorts.get(`pod:${keyOf(ev.object)}`))));
    this.unwatchInProcess = onInProcessChange((uid) => this.refreshPorts(this.podPorts.get(`uid:${uid}`)));
  }

  private refreshPorts(ports: ReadonlySet<ServicePort> | undefined): void {
    if (!ports) return;
    for (const sp of ports) {
      this.refreshNative(sp);
      for (const f of sp.frontends.values()) f.setNative(sp.native);
    }
  }

  stop(): void {
    this.watches.forEach((w) => w.stop());
    this.watches = [];
    this.unwatchInProcess?.();
    for (const ports of this.ports.values())
      for (const sp of ports.values()) {
        for (const f of sp.frontends.values()) f.dispose();
        this.podPorts.delete(sp);
      }
    this.ports.clear();
    abortAccepted(this.group);
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    for (const s of this.splices) s.abort();
    this.splices.clear();
  }

  /** Every frontend, for tests and status: `host:port` → listening. */
  frontends(): Array<{
    service: string;
    host: string;
    port: number;
    effectivePort: number;
    listening: boolean;
    frontend: Frontend;
  }> {
    const out = [];
    for (const [service, ports] of this.ports) {
      for (const sp of ports.values()) {
        for (const f of sp.frontends.values())
          out.push({
            service,
            host: f.host,
            port: f.port,
            effectivePort: f.effectivePort,
            listening: f.listening,
            frontend: f,
          });
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
  private addresses(svc: KObject, p: V1ServicePort): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    const ip = svc.spec?.clusterIP;
    if (typeof ip === 'string' && isLoopbackV4(ip)) out.push([ip, p.port]);
    if (
      typeof p.nodePort === 'number' &&
      p.nodePort > 0 &&
      (svc.spec.type === 'NodePort' || svc.spec.type === 'LoadBalancer')
    ) {
      const hosts = new Set(['127.0.0.1', ...(this.ctx?.config.nodes ?? []).map((n) => n.ip)]);
      for (const h of hosts) if (isLoopbackV4(h)) out.push([h, p.nodePort]);
    }
    // A LoadBalancer's address (from the load-balancer range) listens on the service port.
    if (svc.spec.type === 'LoadBalancer') {
      for (const i of svc.status?.loadBalancer?.ingress ?? [])
        if (typeof i?.ip === 'string' && isLoopbackV4(i.ip)) out.push([i.ip, p.port]);
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
        const protocol = p?.protocol ?? 'TCP';
        if ((protocol !== 'TCP' && protocol !== 'UDP') || typeof p.port !== 'number') continue;
        // The cluster DNS server itself answers on kube-dns's port 53 (UDP and TCP).
        if (svcKey === KUBE_DNS && p.port === 53) continue;
        const portName = p.name ?? '';
        wanted.add(portName);
        let sp = have.get(portName);
        if (sp && sp.protocol !== protocol) {
          for (const f of sp.frontends.values()) f.dispose();
          this.podPorts.delete(sp);
          sp = undefined;
        }
        if (!sp)
          have.set(
            portName,
            (sp = {
              protocol,
              balancer: new RoundRobin(),
              frontends: new Map(),
              affinityMs: 0,
              sticky: new Map(),
              internalLocal: false,
              externalLocal: false,
              native: null,
              nativeKey: '',
            }),
          );
        sp.balancer.set(endpointsFor(this.slices.get(svcKey)?.values() ?? [], portName, protocol));
        const affinity = svc.spec?.sessionAffinity === 'ClientIP';
        sp.affinityMs = affinity
          ? 1000 * Number(svc.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800)
          : 0;
        if (!affinity) sp.sticky.clear();
        sp.internalLocal = svc.spec?.internalTrafficPolicy === 'Local';
        sp.externalLocal = svc.spec?.externalTrafficPolicy === 'Local';
        sp.clusterIP = svc.spec?.clusterIP;
        this.indexPods(sp);
        this.refreshNative(sp);
        this.syncFrontends(svcKey, sp, this.addresses(svc, p));
      }
    }
    for (const [name, sp] of have) {
      if (wanted.has(name)) continue;
      for (const f of sp.frontends.values()) f.dispose();
      this.podPorts.delete(sp);
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
      const onError = (e: Error) => this.ctx?.log(`service-proxy: ${svcKey} ${k}/${sp.protocol}: ${e.message}`);
      if (!f) {
        f = new Frontend(
          host,
          port,
          {
            listener: () =>
              sp.protocol === 'UDP'
                ? udpListener({
                    pick: (clientIP) => this.picker(sp, host, clientIP)()?.target,
                    idleMs: this.opts.udpIdleMs,
                    onError,
                  })
                : tcpListener(
                    (s) => this.accept(s, sp, host),
                    onError,
                    (h) => this.acceptHandle(h, sp, host),
                    this.group,
                  ),
            onMapped: (mapped) =>
              this.recordMapping(svcKey, host, sp.protocol === 'UDP' ? `${port}/UDP` : String(port), mapped),
            onError,
            retryLater: (fn) => this.ctx?.clock.setTimeout(fn, 1000),
          },
          !!this.opts.mapLowPorts,
        );
        sp.frontends.set(k, f);
      }
      f.setNative(sp.native);
      f.setOpen(sp.balancer.size() > 0);
    }
    if (sp.protocol === 'UDP') {
      const live = new Set(sp.balancer.list().map((ep) => this.targetKey(ep)));
      for (const f of sp.frontends.values()) f.prune((t) => live.has(`${t.host}:${t.port}`));
    }
  }

  /**
   * Whether the relay thread may accept this port's connections itself, and its backends: only
   * when no connection needs JavaScript — TCP, no session affinity, no Local traffic policy, no
   * endpoint served in the engine (those take the accepted socket), every target on loopback.
   * Pods marked for deletion are left out, as the picker skips them; with nothing else left the
   * picker's fallback to them runs in JavaScript.
   */
  private refreshNative(sp: ServicePort): void {
    const table =
      sp.protocol === 'TCP' && !sp.affinityMs && !sp.internalLocal && !sp.externalLocal && nativeAcceptAvailable()
        ? this.nativeTargets(sp)
        : null;
    const key = table ? `${table.attempts}|${table.targets.map((t) => `${t.host}:${t.port}`).join(',')}` : '';
    if (key === sp.nativeKey) return;
    sp.nativeKey = key;
    sp.native = table;
  }

  /** Remember which pods a TCP port lists, to refresh its table when one of them changes. */
  private indexPods(sp: ServicePort): void {
    if (sp.protocol !== 'TCP' || !nativeAcceptAvailable()) return;
    const keys: string[] = [];
    for (const ep of sp.balancer.list()) {
      if (ep.pod) keys.push(`pod:${ep.pod.namespace}/${ep.pod.name}`);
      if (ep.uid) keys.push(`uid:${ep.uid}`);
    }
    this.podPorts.set(sp, keys);
  }

  private nativeTargets(sp: ServicePort): NativeTable | null {
    const targets: HostPort[] = [];
    for (const ep of sp.balancer.list()) {
      const pod = ep.pod ? this.ctx?.store.get('pods', ep.pod.namespace, ep.pod.name) : undefined;
      if (ep.uid && pod?.metadata.uid === ep.uid && inProcessServer(ep.uid, ep.port)) return null;
      if (pod?.metadata.deletionTimestamp && !ep.terminating) continue;
      const target = mappedTarget(pod, ep.ip, ep.port);
      if (!isLoopbackV4(target.host)) return null;
      targets.push(target);
    }
    return targets.length ? { targets, attempts: this.attempts(sp) } : null;
  }

  /** `host:port` an endpoint is dialled at (its pod's port map followed). */
  private targetKey(ep: Endpoint): string {
    const pod = ep.pod ? this.ctx?.store.get('pods', ep.pod.namespace, ep.pod.name) : undefined;
    const t = mappedTarget(pod, ep.ip, ep.port);
    return `${t.host}:${t.port}`;
  }

  /** A connection net.Server wrapped in a Socket (where the bare handle is not taken over). */
  private accept(client: Socket, sp: ServicePort, frontendHost: string): void {
    this.track(client);
    const clientIP = this.byClient(sp, frontendHost) ? (client.remoteAddress ?? '').replace(/^::ffff:/, '') : '';
    const pick = this.picker(sp, frontendHost, clientIP);
    const chosen = pick();
    const server = this.inEngineServer(chosen);
    if (server) return handOff(client, server);
    relay(client, firstThen(chosen, pick), this.attempts(sp), (b) => this.track(b));
  }

  /**
   * A connection as the listening handle accepted it: spliced to a process pod without ever
   * building a net.Socket for it; wrapped in one only for an in-engine server's hand-off.
   */
  private acceptHandle(handle: AcceptedHandle, sp: ServicePort, frontendHost: string): void {
    const clientIP = this.byClient(sp, frontendHost) ? RawSplice.peerAddress(handle) : '';
    const pick = this.picker(sp, frontendHost, clientIP);
    const chosen = pick();
    const server = this.inEngineServer(chosen);
    if (server) {
      const client = socketOf(handle);
      this.track(client);
      return handOff(client, server);
    }
    let splice: RawSplice | NativeSplice | null = null;
    const done = () => splice && this.splices.delete(splice);
    const native = nativeSplice(handle, firstThen(chosen, pick), this.attempts(sp), done);
    if (native) {
      splice = native;
      if (native.open) this.splices.add(native);
      return;
    }
    splice = RawSplice.relayHandle(handle, firstThen(chosen, pick), this.attempts(sp), done);
    if (splice && !splice.closedAlready()) this.splices.add(splice);
    else if (!splice) {
      const client = socketOf(handle);
      this.track(client);
      relay(client, firstThen(chosen, pick), this.attempts(sp), (b) => this.track(b), { streams: true });
    }
  }

  /** The client's address costs a system call (getpeername): only affinity and a Local internal traffic policy look at it. */
  private byClient(sp: ServicePort, frontendHost: string): boolean {
    return sp.affinityMs > 0 || (sp.internalLocal && frontendHost === sp.clusterIP);
  }

  /** Backends a connection tries before the client gets a reset. */
  private attempts(sp: ServicePort): number {
    return Math.min(3, Math.max(1, sp.balancer.size()));
  }

  /**
   * An endpoint served inside the engine takes the accepted socket itself (DNAT-like: no second
   * socket, no copy) — only the server registered for that very pod UID, and only while the
   * pod object the endpoint names is still that pod (a recycled name or address never matches).
   */
  private inEngineServer(chosen: Picked | undefined): Server | undefined {
    return chosen?.ep.uid && chosen.pod?.metadata.uid === chosen.ep.uid
      ? inProcessServer(chosen.ep.uid, chosen.ep.port)
      : undefined;
  }

  /**
   * Endpoint choice for one new connection or UDP flow from `clientIP`: session affinity first,
   * then round robin within the traffic policy; each call gives the next candidate (retries).
   */
  private picker(sp: ServicePort, frontendHost: string, clientIP: string): () => Picked | undefined {
    const node = this.localNode(sp, frontendHost, clientIP);
    const now = this.ctx?.clock.now() ?? 0;
    let sticky = sp.affinityMs ? sp.sticky.get(clientIP) : undefined;
    if (sticky) {
      const held = sticky.ep;
      const still =
        sticky.until >= now ? sp.balancer.list().find((e) => e.ip === held.ip && e.port === held.port) : undefined;
      if (still) sticky = { ep: still, until: sticky.until };
      else {
        sp.sticky.delete(clientIP);
        sticky = undefined;
      }
    }
    // A pod being deleted gets no new connection from the moment it is marked, before its
    // EndpointSlice says so: its kubelet stops it in the same store event.
    return (): Picked | undefined => {
      let leaving: Picked | undefined;
      const first = sticky?.ep;
      sticky = undefined;
      for (let n = sp.balancer.size() + (first ? 1 : 0); n > 0; n--) {
        const ep = n === sp.balancer.size() + 1 && first ? first : sp.balancer.next()!;
        if (node !== undefined && ep.nodeName !== node) continue;
        const pod = ep.pod ? this.ctx?.store.get('pods', ep.pod.namespace, ep.pod.name) : undefined;
        const picked = { ep, target: mappedTarget(pod, ep.ip, ep.port), pod };
        if (!pod?.metadata.deletionTimestamp || ep.terminating) {
          if (sp.affinityMs) sp.sticky.set(clientIP, { ep, until: now + sp.affinityMs });
          return picked;
        }
        leaving ??= picked;
      }
      return leaving;
    };
  }

  /**
   * The node whose endpoints alone may serve this connection under a Local traffic policy:
   * for NodePort traffic the node whose IP was dialled (externalTrafficPolicy), for ClusterIP
   * traffic the node of the calling pod (internalTrafficPolicy). Undefined = any endpoint.
   */
  private localNode(sp: ServicePort, frontendHost: string, clientIP: string): string | undefined {
    const nodes = this.ctx?.config.nodes ?? [];
    if (frontendHost === sp.clusterIP) {
      if (!sp.internalLocal) return undefined;
      const n = nodes.find((x) => x.ip === clientIP || inCidr(parseCidr(x.podCIDR), clientIP));
      return n?.name;
    }
    if (!sp.externalLocal) return undefined;
    return nodes.find((x) => x.ip === frontendHost)?.name;
  }

  private track(s: Socket): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
  }

  /** Tell users where a privileged ClusterIP port really listens: an annotation and an event. */
  private recordMapping(svcKey: string, host: string, port: string, mapped: number): void {
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
      ctx.recorder.record(
        svc,
        'Normal',
        'PortMapped',
        `Port ${port} on ${host} needs root: the service listens on ${host}:${mapped} instead`,
        { component: 'kube-proxy' },
      );
    } catch (e) {
      ctx.log(`service-proxy: recording port mapping of ${svcKey}: ${(e as Error).message}`);
    }
  }
}

export function serviceProxyComponent(opts: ProxyOptions = {}): ServiceProxy {
  return new ServiceProxy(opts);
}
