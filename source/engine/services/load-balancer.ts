import type { KObject } from '../../api-types/index.ts';
import type { Component, EngineContext } from '../context.ts';
import { DEFAULT_LB_CIDR } from '../ingress/ingress-controller.ts';
import type { WatchHandle } from '../store/store.ts';
import { inCidr, intToIp, ipToInt, parseCidr, type Cidr } from './cidr.ts';

const keyOf = (o: KObject) => `${o.metadata.namespace}/${o.metadata.name}`;

/**
 * The cloud provider of a local cluster (what kind's cloud-provider-kind or MetalLB do): every
 * LoadBalancer Service gets an address of the loopback load-balancer range in
 * `status.loadBalancer.ingress`, which the service proxy listens on. `.1` is the ingress
 * controller's; `spec.loadBalancerIP` is honoured when free and in range.
 */
export class LoadBalancerAllocator implements Component {
  readonly name = 'load-balancer';
  private ctx?: EngineContext;
  private cidr?: Cidr;
  private owners = new Map<string, string>();
  private watch?: WatchHandle;

  start(ctx: EngineContext): void {
    this.ctx = ctx;
    this.cidr = parseCidr(ctx.config.loadBalancerCIDR ?? DEFAULT_LB_CIDR);
    // Addresses already handed out first, so a restart keeps every service's address.
    for (const svc of ctx.store.list('services').items) {
      const ip = this.current(svc);
      if (ip && !this.owners.has(ip)) this.owners.set(ip, keyOf(svc));
    }
    this.watch = ctx.store.watch('services', {}, (ev) => {
      if (ev.type === 'DELETED') this.release(keyOf(ev.object));
      else this.sync(ev.object);
    });
  }

  stop(): void {
    this.watch?.stop();
  }

  private current(svc: KObject): string | undefined {
    const ip = svc.status?.loadBalancer?.ingress?.[0]?.ip;
    return typeof ip === 'string' && this.cidr && inCidr(this.cidr, ip) ? ip : undefined;
  }

  private release(owner: string): void {
    for (const [ip, o] of this.owners) if (o === owner) this.owners.delete(ip);
  }

  private sync(svc: KObject): void {
    const ctx = this.ctx!;
    const owner = keyOf(svc);
    const have = this.current(svc);
    if (svc.spec?.type !== 'LoadBalancer') {
      this.release(owner);
      if (svc.status?.loadBalancer?.ingress?.length) this.write(svc, undefined);
      return;
    }
    if (have && this.owners.get(have) === owner) return;
    const ip = this.allocate(owner, svc.spec?.loadBalancerIP);
    if (!ip) {
      ctx.recorder.record(
        svc,
        'Warning',
        'AllocationFailed',
        `no free address left in the load-balancer range ${this.cidr!.text}`,
        { component: 'service-controller' },
      );
      return;
    }
    this.write(svc, ip);
    ctx.recorder.record(svc, 'Normal', 'IPAllocated', `Assigned IP ["${ip}"]`, { component: 'service-controller' });
  }

  private allocate(owner: string, requested: unknown): string | undefined {
    const c = this.cidr!;
    this.release(owner);
    if (
      typeof requested === 'string' &&
      requested &&
      inCidr(c, requested) &&
      ipToInt(requested)! - c.base > 1 &&
      !this.owners.has(requested)
    ) {
      this.owners.set(requested, owner);
      return requested;
    }
    for (let n = 2; n < c.size - 1; n++) {
      const ip = intToIp(c.base + n);
      if (this.owners.has(ip)) continue;
      this.owners.set(ip, owner);
      return ip;
    }
    return undefined;
  }

  private write(svc: KObject, ip: string | undefined): void {
    try {
      this.ctx!.store.mutate(
        'services',
        svc.metadata.namespace,
        svc.metadata.name!,
        (o) => {
          o.status = { ...(o.status ?? {}), loadBalancer: ip ? { ingress: [{ ip, ipMode: 'VIP' }] } : {} };
        },
        { subresource: 'status' },
      );
    } catch (e) {
      this.ctx!.log(`load-balancer: status of ${keyOf(svc)}: ${(e as Error).message}`);
    }
  }
}
