import type { KObject } from '../../api-types/index.ts';
import type { Component, EngineContext } from '../context.ts';
import { ApiError } from '../store/errors.ts';
import { intToIp, isLoopbackV4, parseCidr } from '../services/cidr.ts';
import type { WatchHandle } from '../store/store.ts';
import { ClusterRecords, type Resolution } from './cluster-records.ts';
import { DnsServer } from './dns-server.ts';
import { forwardToHost } from './forward.ts';

export const DNS_NAMESPACE = 'kube-system';
export const DNS_SERVICE = 'kube-dns';
export const DNS_PORT = 53;

export interface ClusterDnsOptions {
  /** Answer names outside the cluster domain with the host's resolver (default off: REFUSED). */
  forward?: boolean;
  /** Behave as if port 53 could not be bound (to test the /etc/hosts fallback as root). */
  simulateNoPrivilege?: boolean;
}

/** `serving`: the server answers on ClusterIP:53; `hosts`: it could not bind, service names go to /etc/hosts. */
export type DnsMode = 'starting' | 'serving' | 'hosts';

/** The kube-dns ClusterIP: the 10th address of the service CIDR, as kubeadm picks it. */
export function dnsServiceIP(serviceCIDR: string): string {
  return intToIp(parseCidr(serviceCIDR).base + 10);
}

function kubeDnsService(ip: string): KObject {
  return {
    metadata: {
      name: DNS_SERVICE,
      namespace: DNS_NAMESPACE,
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: ip,
      clusterIPs: [ip],
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      sessionAffinity: 'None',
    },
  };
}

/**
 * Cluster DNS: CoreDNS's kubernetes plugin inside the engine, answering on the kube-dns
 * Service's ClusterIP, port 53, UDP and TCP. Without the privilege to bind port 53 it stays
 * down and the kubelet writes service names into every pod's /etc/hosts instead.
 */
export class ClusterDns implements Component {
  readonly name = 'cluster-dns';
  private ctx?: EngineContext;
  private server?: DnsServer;
  private records?: ClusterRecords;
  private listeners = new Set<(mode: DnsMode) => void>();
  private retry: unknown;
  mode: DnsMode = 'starting';
  ip = '';

  constructor(private readonly opts: ClusterDnsOptions = {}) {}

  async start(ctx: EngineContext): Promise<void> {
    this.ctx = ctx;
    const existing = ctx.store.get('services', DNS_NAMESPACE, DNS_SERVICE)?.spec?.clusterIP;
    this.ip = typeof existing === 'string' && isLoopbackV4(existing) ? existing : dnsServiceIP(ctx.config.serviceCIDR);
    this.ensureService(ctx);
    this.records = new ClusterRecords(ctx.store);
    this.records.start();
    const records = this.records;
    const forward = this.opts.forward ?? process.env.SKIFF_DNS_FORWARD === '1';
    const resolve = (name: string, type: string): Resolution | Promise<Resolution> => {
      const r = records.resolve(name, type);
      return r.rcode === 'REFUSED' && forward ? forwardToHost(name, type) : r;
    };
    await this.listen(new DnsServer({ host: this.ip, port: DNS_PORT, resolve, clock: ctx.clock }));
  }

  private async listen(server: DnsServer): Promise<void> {
    const ctx = this.ctx!;
    try {
      if (this.opts.simulateNoPrivilege)
        throw Object.assign(new Error('listen EACCES (simulated)'), { code: 'EACCES' });
      await server.start();
      if (!this.ctx) return server.stop();
      this.server = server;
      this.setMode('serving');
      ctx.log(`cluster-dns: answering on ${this.ip}:${DNS_PORT} (udp, tcp)`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Taken by another process (another engine with the same service range): try again later.
      if (code !== 'EACCES') this.retry = ctx.clock.setTimeout(() => void (this.ctx && this.listen(server)), 5000);
      if (this.mode === 'hosts') return;
      this.setMode('hosts');
      const why = code === 'EACCES' ? 'binding port 53 needs root' : (e as Error).message;
      ctx.log(`cluster-dns: not serving on ${this.ip}:${DNS_PORT} (${why}); pods find services through /etc/hosts`);
      const svc = ctx.store.get('services', DNS_NAMESPACE, DNS_SERVICE);
      if (svc) {
        ctx.recorder.record(
          svc,
          'Warning',
          'DNSUnavailable',
          `Cannot listen on ${this.ip}:${DNS_PORT} (${why}): service names are written to each pod's /etc/hosts instead`,
          {
            component: 'cluster-dns',
          },
        );
      }
    }
  }

  stop(): void {
    this.ctx?.clock.clearTimeout(this.retry);
    this.ctx = undefined;
    this.server?.stop();
    this.server = undefined;
    this.records?.stop();
    this.listeners.clear();
  }

  /** The DNS server answers (what the coredns pods' readiness reports). */
  get serving(): boolean {
    return this.mode === 'serving' && !!this.server?.listening;
  }

  get stats() {
    return this.server?.stats;
  }

  /** Service name entries for /etc/hosts (the fallback without a DNS server). */
  hostEntries(): Array<{ ip: string; names: string[]; namespace: string; name: string }> {
    return (this.records?.hostEntries() ?? []).map((e) => {
      const [name, namespace] = e.names[0]!.split('.') as [string, string];
      return { ...e, name, namespace };
    });
  }

  /** Called with the mode now and at every change. */
  onMode(fn: (mode: DnsMode) => void): () => void {
    this.listeners.add(fn);
    fn(this.mode);
    return () => this.listeners.delete(fn);
  }

  /** Called (on the next turn) whenever services change, for live /etc/hosts updates. */
  onServicesChanged(fn: () => void): WatchHandle | undefined {
    let pending = false;
    return this.ctx?.store.watch('services', {}, () => {
      if (pending) return;
      pending = true;
      setImmediate(() => {
        pending = false;
        fn();
      });
    });
  }

  private setMode(mode: DnsMode): void {
    this.mode = mode;
    for (const l of this.listeners) l(mode);
  }

  private ensureService(ctx: EngineContext): void {
    if (ctx.store.get('services', DNS_NAMESPACE, DNS_SERVICE)) return;
    try {
      ctx.store.create('services', kubeDnsService(this.ip));
    } catch (e) {
      if (!(e instanceof ApiError && e.reason === 'AlreadyExists'))
        ctx.log(`cluster-dns: creating ${DNS_NAMESPACE}/${DNS_SERVICE}: ${(e as Error).message}`);
    }
  }
}
