import type { ServicePort, ServiceSpec } from 'kubernetes-types/core/v1.d.ts';
import type { KObject, StatusCause } from '../../api-types/index.ts';
import type { EngineConfig } from '../context.ts';
import { errors } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import { inCidr, intToIp, ipToInt, parseCidr, type Cidr } from './cidr.ts';
import { RangeAllocator } from './range-allocator.ts';

const NODE_PORT_TYPES = new Set(['NodePort', 'LoadBalancer']);

const ownerOf = (svc: KObject) => `${svc.metadata.namespace}/${svc.metadata.name}`;

function invalid(svc: KObject, causes: StatusCause[]) {
  return errors.invalid('', 'Service', svc.metadata.name ?? '', causes);
}

function hasIP(spec: ServiceSpec | undefined): boolean {
  return (
    spec?.type !== 'ExternalName' &&
    typeof spec?.clusterIP === 'string' &&
    spec.clusterIP !== '' &&
    spec.clusterIP !== 'None'
  );
}

function wantsNodePorts(spec: ServiceSpec | undefined): boolean {
  return (
    NODE_PORT_TYPES.has(spec?.type ?? '') &&
    !(spec!.type === 'LoadBalancer' && spec!.allocateLoadBalancerNodePorts === false)
  );
}

function nodePortsOf(spec: ServiceSpec | undefined): Set<number> {
  const out = new Set<number>();
  if (!NODE_PORT_TYPES.has(spec?.type ?? '')) return out;
  for (const p of spec!.ports ?? []) if (typeof p?.nodePort === 'number' && p.nodePort > 0) out.add(p.nodePort);
  return out;
}

/**
 * ClusterIP and NodePort allocation, run inside Service writes (like the apiserver's REST
 * allocators) so the create response already carries the IP and ports.
 */
export class ServiceAllocations {
  readonly cidr: Cidr;
  readonly ips: RangeAllocator;
  readonly ports: RangeAllocator;
  readonly portBase: number;

  constructor(
    private readonly store: Store,
    config: Pick<EngineConfig, 'serviceCIDR' | 'nodePortRange'>,
  ) {
    this.cidr = parseCidr(config.serviceCIDR);
    const size = this.cidr.size;
    // Network, broadcast, .1 (default/kubernetes) and .10 (kube-system/kube-dns) are never handed out at random.
    this.ips = new RangeAllocator(size, Math.min(Math.max(16, size / 16), 256), new Set([0, 1, 10, size - 1]));
    const [lo, hi] = config.nodePortRange;
    const ports = hi - lo + 1;
    this.portBase = lo;
    this.ports = new RangeAllocator(ports, Math.min(Math.max(16, Math.floor(ports / 32)), 128));
  }

  /** The address reserved for `default/kubernetes`. */
  kubernetesIP(): string {
    return intToIp(this.cidr.base + 1);
  }

  /** Mark what the stored services hold (at engine start). */
  rebuild(): void {
    for (const svc of this.store.list('services').items) {
      const owner = ownerOf(svc);
      if (hasIP(svc.spec)) {
        const n = ipToInt(svc.spec.clusterIP);
        if (n !== undefined && inCidr(this.cidr, svc.spec.clusterIP) && !this.ips.take(n - this.cidr.base, owner)) {
          console.error(
            `service ${owner}: clusterIP ${svc.spec.clusterIP} is also held by ${this.ips.owner(n - this.cidr.base)}`,
          );
        }
      }
      for (const p of nodePortsOf(svc.spec)) {
        if (p >= this.portBase && p < this.portBase + this.ports.size && !this.ports.take(p - this.portBase, owner)) {
          console.error(`service ${owner}: nodePort ${p} is also held by ${this.ports.owner(p - this.portBase)}`);
        }
      }
    }
  }

  onCreate(svc: KObject): void {
    const undo: Array<() => void> = [];
    try {
      this.assignIP(svc, undo);
      this.assignNodePorts(svc, new Set(), undo);
    } catch (e) {
      undo.forEach((u) => u());
      throw e;
    }
  }

  onUpdate(svc: KObject, old: KObject): void {
    const owner = ownerOf(svc);
    const spec = svc.spec;
    const undo: Array<() => void> = [];
    const release: Array<() => void> = [];
    try {
      if (spec.type === 'ExternalName') {
        for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy'])
          delete spec[f];
      } else if (hasIP(old.spec) || old.spec?.clusterIP === 'None') {
        spec.clusterIP = old.spec.clusterIP;
        spec.clusterIPs = [old.spec.clusterIP];
      } else {
        this.assignIP(svc, undo);
      }
      if (hasIP(old.spec) && !hasIP(spec)) {
        const n = ipToInt(old.spec.clusterIP)! - this.cidr.base;
        release.push(() => this.ips.release(n, owner));
      }
      const before = nodePortsOf(old.spec);
      this.assignNodePorts(svc, before, undo);
      const after = nodePortsOf(spec);
      for (const p of before) if (!after.has(p)) release.push(() => this.ports.release(p - this.portBase, owner));
    } catch (e) {
      undo.forEach((u) => u());
      throw e;
    }
    release.forEach((r) => r());
  }

  onDeleted(svc: KObject): void {
    const owner = ownerOf(svc);
    if (hasIP(svc.spec)) {
      const n = ipToInt(svc.spec.clusterIP);
      if (n !== undefined) this.ips.release(n - this.cidr.base, owner);
    }
    for (const p of nodePortsOf(svc.spec)) this.ports.release(p - this.portBase, owner);
  }

  private assignIP(svc: KObject, undo: Array<() => void>): void {
    const spec = svc.spec;
    if (spec.type === 'ExternalName') return;
    const owner = ownerOf(svc);
    const fromList = Array.isArray(spec.clusterIPs) ? spec.clusterIPs[0] : undefined;
    if (spec.clusterIP && fromList && spec.clusterIP !== fromList) {
      throw invalid(svc, [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.clusterIPs',
          message: `Invalid value: ${JSON.stringify(spec.clusterIPs)}: element [0] must match clusterIP`,
        },
      ]);
    }
    const requested: string | undefined = spec.clusterIP || fromList || undefined;
    if (requested === 'None') {
      spec.clusterIP = 'None';
      spec.clusterIPs = ['None'];
      return;
    }
    let offset: number;
    if (requested) {
      const n = ipToInt(requested);
      if (n === undefined) {
        throw invalid(svc, [
          {
            reason: 'FieldValueInvalid',
            field: 'spec.clusterIPs[0]',
            message: `Invalid value: ${JSON.stringify(requested)}: must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
          },
        ]);
      }
      offset = n - this.cidr.base;
      const fail = (why: string) =>
        invalid(svc, [
          {
            reason: 'FieldValueInvalid',
            field: 'spec.clusterIPs',
            message: `Invalid value: ${JSON.stringify([requested])}: failed to allocate IP ${requested}: ${why}`,
          },
        ]);
      if (!inCidr(this.cidr, requested) || offset === 0 || offset === this.cidr.size - 1) {
        throw fail(
          `the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.cidr.text}`,
        );
      }
      this.reclaimIfStale(this.ips, offset, (s) => s.spec?.clusterIP === requested);
      if (!this.ips.take(offset, owner)) throw fail('provided IP is already allocated');
    } else {
      const n = this.ips.random(owner);
      if (n === undefined) throw errors.internal('failed to allocate a serviceIP: range is full');
      offset = n;
    }
    undo.push(() => this.ips.release(offset, owner));
    spec.clusterIP = intToIp(this.cidr.base + offset);
    spec.clusterIPs = [spec.clusterIP];
  }

  /** Give every port of a NodePort/LoadBalancer service a node port; `held` are the old ones. */
  private assignNodePorts(svc: KObject, held: Set<number>, undo: Array<() => void>): void {
    const spec = svc.spec;
    if (!wantsNodePorts(spec)) return;
    const owner = ownerOf(svc);
    const mine = new Set(held);
    const ports: ServicePort[] = spec.ports ?? [];
    // Requested ports first, so a random pick never steals one asked for further down.
    ports.forEach((p, i) => {
      if (typeof p?.nodePort !== 'number' || p.nodePort <= 0 || mine.has(p.nodePort)) return;
      const n = p.nodePort - this.portBase;
      this.reclaimIfStale(this.ports, n, (s) => nodePortsOf(s.spec).has(p.nodePort!));
      if (!this.ports.take(n, owner)) {
        throw invalid(svc, [
          {
            reason: 'FieldValueInvalid',
            field: `spec.ports[${i}].nodePort`,
            message: `Invalid value: ${p.nodePort}: provided port is already allocated`,
          },
        ]);
      }
      mine.add(p.nodePort);
      undo.push(() => this.ports.release(n, owner));
    });
    for (const p of ports) {
      if (!p || (typeof p.nodePort === 'number' && p.nodePort > 0)) continue;
      const n = this.ports.random(owner);
      if (n === undefined) throw errors.internal('failed to allocate a nodePort: range is full');
      undo.push(() => this.ports.release(n, owner));
      p.nodePort = this.portBase + n;
    }
  }

  /**
   * An allocation whose owner no longer holds it (a write that failed after allocating) is
   * freed, so a leak can never block a request for that value.
   */
  private reclaimIfStale(alloc: RangeAllocator, n: number, holds: (svc: KObject) => boolean): void {
    const owner = alloc.owner(n);
    if (!owner) return;
    const [ns, name] = owner.split('/');
    const svc = this.store.get('services', ns, name!);
    if (!svc || !holds(svc)) alloc.release(n, owner);
  }
}

const installed = new WeakMap<Store, ServiceAllocations>();

/**
 * Register ClusterIP/NodePort allocation on the store's Service writes, after rebuilding the
 * allocation maps from the stored services. Idempotent per store; call it before the API server
 * accepts writes.
 */
export function installServiceAllocations(
  store: Store,
  config: Pick<EngineConfig, 'serviceCIDR' | 'nodePortRange'>,
): ServiceAllocations {
  let a = installed.get(store);
  if (a) return a;
  a = new ServiceAllocations(store, config);
  a.rebuild();
  const alloc = a;
  store.admit('services', {
    create: (o) => alloc.onCreate(o),
    update: (o, old) => alloc.onUpdate(o, old),
    deleted: (o) => alloc.onDeleted(o),
  });
  installed.set(store, a);
  return a;
}

/** The allocators as an engine component (registration happens at start). */
