import type { PodCondition, ServicePort } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import type { StoreEvent } from '../store/store.ts';
import { Cache, objKey, splitKey } from '../framework/cache.ts';
import { Controller } from '../framework/controller.ts';

/** What a service sees of one pod: where it is, its state, and the service ports it serves. */
export interface PodEndpoint {
  pod: KObject;
  ip: string;
  nodeName?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  /** pod.spec.hostname when the pod's subdomain is this service (DNS names the endpoint by it). */
  hostname?: string;
  ports: Array<{ name: string; port: number; protocol: string }>;
}

export function isPodReady(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some((c: PodCondition | null) => c?.type === 'Ready' && c?.status === 'True');
}

/** The apiserver's ShouldPodBeInEndpoints. */
export function podInEndpoints(pod: KObject, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  const phase = pod.status?.phase;
  switch (pod.spec?.restartPolicy) {
    case 'Never':
      return phase !== 'Failed' && phase !== 'Succeeded';
    case 'OnFailure':
      return phase !== 'Succeeded';
    default:
      return true;
  }
}

/** A numeric targetPort as is; a named one looked up in the pod's container ports. */
export function resolveTargetPort(pod: KObject, svcPort: ServicePort): number | undefined {
  const t = svcPort.targetPort ?? svcPort.port;
  if (typeof t === 'number') return t;
  if (typeof t === 'string' && /^\d+$/.test(t)) return Number(t);
  const protocol = svcPort.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c?.ports ?? []) {
      if (p?.name === t && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** Whether a service selects pods at all (no selector = endpoints are managed by hand). */
export function selects(svc: KObject): boolean {
  return svc.spec?.selector != null && svc.spec?.type !== 'ExternalName';
}

export function selectorMatches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels?.[k] !== v) return false;
  return true;
}

/** The pods (of the service's namespace) a service selects, as endpoints, sorted by IP then name. */
export function podEndpoints(pods: Iterable<KObject>, svc: KObject, includeTerminating: boolean): PodEndpoint[] {
  const publish = svc.spec?.publishNotReadyAddresses === true;
  const out: PodEndpoint[] = [];
  for (const pod of pods) {
    if (!selectorMatches(svc.spec.selector, pod.metadata.labels)) continue;
    if (!podInEndpoints(pod, includeTerminating || publish)) continue;
    const ports: PodEndpoint['ports'] = [];
    for (const sp of svc.spec.ports ?? []) {
      const port = resolveTargetPort(pod, sp);
      if (port !== undefined) ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' });
    }
    const terminating = !!pod.metadata.deletionTimestamp;
    const serving = isPodReady(pod);
    out.push({
      pod,
      ip: pod.status.podIP,
      nodeName: pod.spec?.nodeName || undefined,
      serving,
      terminating,
      ready: publish || (serving && !terminating),
      ...(pod.spec?.hostname && pod.spec?.subdomain === svc.metadata.name ? { hostname: pod.spec.hostname } : {}),
      ports,
    });
  }
  return out.sort((a, b) => compareIP(a.ip, b.ip) || (a.pod.metadata.name! < b.pod.metadata.name! ? -1 : 1));
}

function compareIP(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

export function targetRef(pod: KObject) {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
}

/**
 * The shared shape of the Endpoints and EndpointSlice controllers: watch services, pods and the
 * controller's own output, and sync the affected services (keys `ns/name`) on the next turn of
 * the event loop, so endpoint changes land within milliseconds.
 */
export abstract class ServiceController extends Controller {
  protected readonly pods = new Cache({ ns: (o) => [o.metadata.namespace!] });
  protected readonly services = new Cache({ ns: (o) => [o.metadata.namespace!] });
  protected abstract readonly output: { resource: string; serviceOf: (o: KObject) => string | undefined };

  protected init(): void {
    // Watches replay current objects as ADDED; the services replay alone covers those.
    const startRV = this.store.currentRV();
    const replayed = (ev: StoreEvent) => ev.type === 'ADDED' && ev.rv <= startRV;
    this.watch('services', (ev) => {
      this.services.apply(ev);
      this.queue.add(objKey(ev.object));
    });
    this.watch('pods', (ev) => {
      this.pods.apply(ev);
      if (!replayed(ev)) this.podChanged(ev.object, ev.prev);
    });
    this.watch(this.output.resource, (ev) => {
      const svc = this.output.serviceOf(ev.object);
      if (!svc) return;
      const ns = ev.object.metadata.namespace!;
      // Replayed output only matters when its service is gone (deleted while the engine was down).
      if (replayed(ev) && this.services.get(ns, svc)) return;
      this.queue.add(`${ns}/${svc}`);
    });
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    this.syncService(ns, name, this.services.get(ns, name));
  }

  protected abstract syncService(ns: string, name: string, svc: KObject | undefined): void;

  /** The pods of a namespace, for podEndpoints. */
  protected podsIn(ns: string): KObject[] {
    return this.pods.by('ns', ns);
  }

  private podChanged(pod: KObject, prev?: KObject): void {
    const ns = pod.metadata.namespace!;
    for (const svc of this.services.by('ns', ns)) {
      if (!selects(svc)) continue;
      if (
        selectorMatches(svc.spec.selector, pod.metadata.labels) ||
        (prev && selectorMatches(svc.spec.selector, prev.metadata.labels))
      ) {
        this.queue.add(objKey(svc));
      }
    }
  }
}
