import type { Answer, SoaAnswer } from 'dns-packet';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import type { Kind, KObject } from '../../api-types/index.ts';
import { ipToInt } from '../services/cidr.ts';
import type { Store, WatchHandle } from '../store/store.ts';

const SLICES = 'endpointslices.discovery.k8s.io';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const CLUSTER_DOMAIN = 'cluster.local';
/** The Corefile's `ttl 30`. */
export const TTL = 30;
/** What CoreDNS's kubernetes plugin answers for `dns-version.cluster.local TXT`. */
const SCHEMA_VERSION = '1.1.0';

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'FORMERR' | 'SERVFAIL' | 'NOTIMP';

export interface Resolution {
  rcode: Rcode;
  answers: Answer[];
  additionals: Answer[];
  authorities: Answer[];
  /** Inside the cluster domain (AA flag). */
  authoritative: boolean;
}

interface EndpointAddr {
  ip: string;
  /** `hostname` of the endpoint (pod.spec.hostname with a matching subdomain), else the dashed IP. */
  label: string;
  ready: boolean;
}

interface PortRecord {
  name: string;
  protocol: string;
  port: number;
}

const keyOf = (ns: string | undefined, name: string) => `${ns ?? ''}/${name}`;
const dashed = (ip: string) => ip.replaceAll('.', '-');

function soa(zone: string): SoaAnswer {
  return {
    name: zone,
    type: 'SOA',
    ttl: TTL,
    data: {
      mname: `ns.dns.${zone}`,
      rname: `hostmaster.${zone}`,
      serial: 1,
      refresh: 7200,
      retry: 1800,
      expire: 86400,
      minimum: TTL,
    },
  };
}

/**
 * The records of CoreDNS's kubernetes plugin, computed from the store: services, their
 * EndpointSlices, namespaces. Kept as an index that watches update, so a query is a few map
 * lookups. Names are answered lower-case; outside the cluster domain the answer is REFUSED.
 */
export class ClusterRecords {
  private services = new Map<string, KObject>();
  private slices = new Map<string, Map<string, Kind<EndpointSlice>>>();
  private namespaces = new Set<string>();
  private reverse?: Map<string, string[]>;
  private watches: WatchHandle[] = [];

  constructor(
    private readonly store: Store,
    readonly domain = CLUSTER_DOMAIN,
  ) {}

  start(): void {
    this.watches.push(
      this.store.watch('namespaces', {}, (ev) => {
        if (ev.type === 'DELETED') this.namespaces.delete(ev.object.metadata.name!);
        else this.namespaces.add(ev.object.metadata.name!);
      }),
      this.store.watch('services', {}, (ev) => {
        const k = keyOf(ev.object.metadata.namespace, ev.object.metadata.name!);
        if (ev.type === 'DELETED') this.services.delete(k);
        else this.services.set(k, ev.object);
        this.reverse = undefined;
      }),
      this.store.watch(SLICES, {}, (ev) => {
        const ns = ev.object.metadata.namespace;
        const prev = ev.prev?.metadata.labels?.[SERVICE_NAME_LABEL];
        const svc = ev.object.metadata.labels?.[SERVICE_NAME_LABEL];
        if (prev && prev !== svc) this.slices.get(keyOf(ns, prev))?.delete(ev.object.metadata.name!);
        if (svc) {
          const k = keyOf(ns, svc);
          let m = this.slices.get(k);
          if (!m) this.slices.set(k, (m = new Map()));
          if (ev.type === 'DELETED') m.delete(ev.object.metadata.name!);
          else m.set(ev.object.metadata.name!, ev.object);
          if (m.size === 0) this.slices.delete(k);
        }
        this.reverse = undefined;
      }),
    );
  }

  stop(): void {
    this.watches.forEach((w) => w.stop());
    this.watches = [];
  }

  /** Answer one question. `name` may carry a trailing dot and any case. */
  resolve(qname: string, qtype: string): Resolution {
    const name = qname.replace(/\.$/, '').toLowerCase();
    const zone = this.domain;
    if (name === zone || name.endsWith(`.${zone}`)) {
      const labels = name === zone ? [] : name.slice(0, -zone.length - 1).split('.');
      return this.inZone(name, labels, qtype);
    }
    if (name.endsWith('.in-addr.arpa')) return this.ptr(name, qtype);
    return this.result('REFUSED', [], false);
  }

  /** Every address of the service `name.ns`, for /etc/hosts when no DNS server can listen. */
  hostEntries(): Array<{ ip: string; names: string[] }> {
    const out: Array<{ ip: string; names: string[] }> = [];
    for (const svc of this.services.values()) {
      const ip = svc.spec?.clusterIP;
      if (typeof ip !== 'string' || ipToInt(ip) === undefined) continue;
      const { name, namespace } = svc.metadata;
      out.push({
        ip,
        names: [`${name}.${namespace}.svc.${this.domain}`, `${name}.${namespace}.svc`, `${name}.${namespace}`],
      });
    }
    return out;
  }

  private result(rcode: Rcode, answers: Answer[], authoritative = true, additionals: Answer[] = []): Resolution {
    const authorities = authoritative && answers.length === 0 ? [soa(this.domain)] : [];
    return { rcode, answers, additionals, authorities, authoritative };
  }

  private inZone(name: string, labels: string[], qtype: string): Resolution {
    const zone = this.domain;
    if (labels.length === 0) {
      if (qtype === 'SOA') return this.result('NOERROR', [soa(zone)]);
      if (qtype === 'NS') return this.result('NOERROR', [{ name: zone, type: 'NS', ttl: TTL, data: `ns.dns.${zone}` }]);
      return this.result('NOERROR', []);
    }
    if (labels.length === 1 && labels[0] === 'dns-version') {
      return this.result('NOERROR', qtype === 'TXT' ? [{ name, type: 'TXT', ttl: TTL, data: SCHEMA_VERSION }] : []);
    }
    const kind = labels[labels.length - 1];
    const rest = labels.slice(0, -1);
    if (kind === 'svc') return this.service(name, rest, qtype);
    if (kind === 'pod') return this.pod(name, rest, qtype);
    return this.result('NXDOMAIN', []);
  }

  /** `[_port._proto.][endpoint.]svc.ns.svc.<zone>`; `svc.<zone>` and `ns.svc.<zone>` exist empty. */
  private service(name: string, labels: string[], qtype: string): Resolution {
    if (labels.length === 0) return this.result('NOERROR', []);
    const ns = labels[labels.length - 1]!;
    if (!this.namespaces.has(ns)) return this.result('NXDOMAIN', []);
    if (labels.length === 1) return this.result('NOERROR', []);
    const svc = this.services.get(keyOf(ns, labels[labels.length - 2]!));
    if (!svc) return this.result('NXDOMAIN', []);
    const prefix = labels.slice(0, -2);
    const svcName = `${svc.metadata.name}.${ns}.svc.${this.domain}`;
    if (prefix.length === 0) return this.serviceRecords(name, svc, svcName, qtype);
    if (prefix.length === 1) {
      // A headless service's endpoint by hostname or dashed IP.
      if (svc.spec?.clusterIP !== 'None') return this.result('NXDOMAIN', []);
      const eps = this.endpoints(svc).filter((e) => e.label === prefix[0]);
      if (!eps.length) return this.result('NXDOMAIN', []);
      return this.result('NOERROR', qtype === 'A' || qtype === 'ANY' ? eps.map((e) => this.a(name, e.ip)) : []);
    }
    if (prefix.length === 2 && prefix[0]!.startsWith('_') && prefix[1]!.startsWith('_')) {
      const port = prefix[0]!.slice(1);
      const proto = prefix[1]!.slice(1);
      const ports = this.ports(svc).filter((p) => p.name === port && p.protocol.toLowerCase() === proto);
      if (!ports.length) return this.result('NXDOMAIN', []);
      return qtype === 'SRV' || qtype === 'ANY' ? this.srv(name, svc, svcName, ports) : this.result('NOERROR', []);
    }
    return this.result('NXDOMAIN', []);
  }

  private serviceRecords(name: string, svc: KObject, svcName: string, qtype: string): Resolution {
    const spec = svc.spec ?? {};
    if (spec.type === 'ExternalName') {
      const target = String(spec.externalName ?? '').replace(/\.$/, '');
      if (!target) return this.result('NXDOMAIN', []);
      if (qtype === 'SRV' || qtype === 'TXT') return this.result('NOERROR', []);
      const cname: Answer = { name, type: 'CNAME', ttl: TTL, data: target };
      // A target inside the cluster is followed; one outside is left to the client (never forwarded here).
      const inner = target.endsWith(`.${this.domain}`) && qtype !== 'CNAME' ? this.resolve(target, qtype).answers : [];
      return this.result('NOERROR', [cname, ...inner]);
    }
    if (spec.clusterIP === 'None') {
      const eps = this.endpoints(svc);
      if (qtype === 'SRV') return this.srv(name, svc, svcName, this.ports(svc));
      if (!eps.length) return this.result('NXDOMAIN', []);
      if (qtype !== 'A' && qtype !== 'ANY') return this.result('NOERROR', []);
      const seen = new Set<string>();
      return this.result(
        'NOERROR',
        eps.filter((e) => !seen.has(e.ip) && seen.add(e.ip)).map((e) => this.a(name, e.ip)),
      );
    }
    if (qtype === 'SRV') return this.srv(name, svc, svcName, this.ports(svc));
    if (qtype !== 'A' && qtype !== 'ANY') return this.result('NOERROR', []);
    return this.result('NOERROR', ipToInt(spec.clusterIP ?? '') === undefined ? [] : [this.a(name, spec.clusterIP)]);
  }

  private srv(name: string, svc: KObject, svcName: string, ports: PortRecord[]): Resolution {
    const named = ports.filter((p) => p.name);
    if (svc.spec?.clusterIP !== 'None') {
      const answers: Answer[] = named.map((p) => ({
        name,
        type: 'SRV',
        ttl: TTL,
        data: { priority: 0, weight: Math.floor(100 / named.length), port: p.port, target: svcName },
      }));
      const extra =
        answers.length && ipToInt(svc.spec?.clusterIP ?? '') !== undefined ? [this.a(svcName, svc.spec.clusterIP)] : [];
      return this.result('NOERROR', answers, true, extra);
    }
    const eps = this.endpoints(svc);
    const answers: Answer[] = [];
    const extra: Answer[] = [];
    const n = eps.length * named.length;
    for (const e of eps) {
      const target = `${e.label}.${svcName}`;
      for (const p of named)
        answers.push({
          name,
          type: 'SRV',
          ttl: TTL,
          data: { priority: 0, weight: Math.floor(100 / n), port: p.port, target },
        });
      if (named.length) extra.push(this.a(target, e.ip));
    }
    return this.result(answers.length ? 'NOERROR' : 'NXDOMAIN', answers, true, extra);
  }

  /** `1-2-3-4.ns.pod.<zone>` answers 1.2.3.4 (the Corefile's `pods insecure`). */
  private pod(name: string, labels: string[], qtype: string): Resolution {
    if (labels.length === 0) return this.result('NOERROR', []);
    const ns = labels[labels.length - 1]!;
    if (!this.namespaces.has(ns)) return this.result('NXDOMAIN', []);
    if (labels.length === 1) return this.result('NOERROR', []);
    if (labels.length !== 2) return this.result('NXDOMAIN', []);
    const ip = labels[0]!.replaceAll('-', '.');
    if (ipToInt(ip) === undefined) return this.result('NXDOMAIN', []);
    return this.result('NOERROR', qtype === 'A' || qtype === 'ANY' ? [this.a(name, ip)] : []);
  }

  private ptr(name: string, qtype: string): Resolution {
    const octets = name.slice(0, -'.in-addr.arpa'.length).split('.').reverse();
    const ip = octets.join('.');
    // Only loopback is ours (every cluster address is in 127.0.0.0/8); any other reverse zone is outside.
    if (octets[0] !== '127') return this.result('REFUSED', [], false);
    if (octets.length !== 4 || ipToInt(ip) === undefined) return this.result('NXDOMAIN', []);
    const names = this.reverseIndex().get(ip);
    if (!names?.length) return this.result('NXDOMAIN', []);
    return this.result(
      'NOERROR',
      qtype === 'PTR' || qtype === 'ANY' ? names.map((n) => ({ name, type: 'PTR', ttl: TTL, data: n })) : [],
    );
  }

  private reverseIndex(): Map<string, string[]> {
    if (this.reverse) return this.reverse;
    const m = new Map<string, string[]>();
    const add = (ip: string, n: string) => {
      const l = m.get(ip);
      if (!l) m.set(ip, [n]);
      else if (!l.includes(n)) l.push(n);
    };
    for (const svc of this.services.values()) {
      const svcName = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${this.domain}`;
      const ip = svc.spec?.clusterIP;
      if (svc.spec?.type === 'ExternalName') continue;
      if (ip === 'None') for (const e of this.endpoints(svc)) add(e.ip, `${e.label}.${svcName}`);
      else if (typeof ip === 'string' && ipToInt(ip) !== undefined) add(ip, svcName);
    }
    this.reverse = m;
    return m;
  }

  /** Ready endpoints (every one with publishNotReadyAddresses: the controller marks them ready). */
  private endpoints(svc: KObject): EndpointAddr[] {
    const out: EndpointAddr[] = [];
    for (const slice of this.slices.get(keyOf(svc.metadata.namespace, svc.metadata.name!))?.values() ?? []) {
      if (slice.addressType && slice.addressType !== 'IPv4') continue;
      for (const ep of slice.endpoints ?? []) {
        const ip = ep?.addresses?.[0];
        if (typeof ip !== 'string' || ipToInt(ip) === undefined) continue;
        const ready = ep.conditions?.ready !== false || svc.spec?.publishNotReadyAddresses === true;
        if (!ready) continue;
        out.push({
          ip,
          label: typeof ep.hostname === 'string' && ep.hostname ? ep.hostname.toLowerCase() : dashed(ip),
          ready,
        });
      }
    }
    return out;
  }

  /** Service ports as SRV sees them: the service port for a ClusterIP, the endpoint port when headless. */
  private ports(svc: KObject): PortRecord[] {
    const headless = svc.spec?.clusterIP === 'None';
    const out: PortRecord[] = [];
    for (const p of svc.spec?.ports ?? []) {
      if (typeof p?.port !== 'number') continue;
      const name = String(p.name ?? '').toLowerCase();
      const protocol = String(p.protocol ?? 'TCP');
      let port = p.port;
      if (headless) {
        for (const slice of this.slices.get(keyOf(svc.metadata.namespace, svc.metadata.name!))?.values() ?? []) {
          const sp = (slice.ports ?? []).find(
            (x) => (x?.name ?? '') === (p.name ?? '') && (x?.protocol ?? 'TCP') === protocol,
          );
          if (typeof sp?.port === 'number') port = sp.port;
        }
      }
      out.push({ name, protocol, port });
    }
    return out;
  }

  private a(name: string, ip: string): Answer {
    return { name, type: 'A', ttl: TTL, data: ip };
  }
}
