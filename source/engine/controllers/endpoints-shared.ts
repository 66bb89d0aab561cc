import type { KObject } from '../../api-types/index.ts';
import type { Clock } from '../clock.ts';
import type { Component, EngineContext } from '../context.ts';
import type { Store, WatchHandle } from '../store/store.ts';

/** What a service sees of one pod: where it is, its state, and the service ports it serves. */
export interface PodEndpoint {
  pod: KObject;
  ip: string;
  nodeName?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  ports: Array<{ name: string; port: number; protocol: string }>;
}

export function isPodReady(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some((c: any) => c?.type === 'Ready' && c?.status === 'True');
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
export function resolveTargetPort(pod: KObject, svcPort: any): number | undefined {
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

/** The pods a service selects, as endpoints, sorted by IP then name. */
export function podEndpoints(store: Store, svc: KObject, includeTerminating: boolean): PodEndpoint[] {
  const ns = svc.metadata.namespace!;
  const publish = svc.spec?.publishNotReadyAddresses === true;
  const out: PodEndpoint[] = [];
  for (const pod of store.list('pods', { namespace: ns }).items) {
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
 * A work queue of service keys (`ns/name`): each key is synced once per burst of events, on the
 * next turn of the event loop, so endpoint changes land within milliseconds. Failures retry with
 * back-off on the engine clock.
 */
export class ServiceKeyQueue {
  private dirty = new Set<string>();
  private scheduled = false;
  private failures = new Map<string, number>();
  private timers = new Set<unknown>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly sync: (key: string) => void,
    private readonly log: (msg: string) => void = () => {},
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.dirty.add(key);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  /** Run pending syncs now (tests). */
  drain(): void {
    this.scheduled = false;
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const key of keys) {
      try {
        this.sync(key);
        this.failures.delete(key);
      } catch (e) {
        const n = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, n);
        this.log(`sync ${key} failed (${n}): ${(e as Error).message}`);
        const t = this.clock.setTimeout(() => {
          this.timers.delete(t);
          this.add(key);
        }, Math.min(5 * 2 ** (n - 1), 1000));
        this.timers.add(t);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.dirty.clear();
    for (const t of this.timers) this.clock.clearTimeout(t);
  }
}

/**
 * The shared shape of the Endpoints and EndpointSlice controllers: watch services, pods and the
 * controller's own output, and sync the affected services.
 */
export function serviceController(
  name: string,
  output: { resource: string; serviceOf: (o: KObject) => string | undefined },
  makeSync: (store: Store) => (ns: string, svcName: string) => void,
): Component & { queue?: ServiceKeyQueue } {
  let watches: WatchHandle[] = [];
  const c: Component & { queue?: ServiceKeyQueue } = {
    name,
    start(ctx: EngineContext) {
      const store = ctx.store;
      const sync = makeSync(store);
      const queue = new ServiceKeyQueue(ctx.clock, (key) => {
        const i = key.indexOf('/');
        sync(key.slice(0, i), key.slice(i + 1));
      }, (m) => ctx.log(`${name}: ${m}`));
      c.queue = queue;
      const podChanged = (pod: KObject, prev?: KObject) => {
        const ns = pod.metadata.namespace!;
        for (const svc of store.list('services', { namespace: ns }).items) {
          if (!selects(svc)) continue;
          if (selectorMatches(svc.spec.selector, pod.metadata.labels) || (prev && selectorMatches(svc.spec.selector, prev.metadata.labels))) {
            queue.add(`${ns}/${svc.metadata.name}`);
          }
        }
      };
      watches = [
        store.watch('services', {}, (ev) => queue.add(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`)),
        store.watch('pods', {}, (ev) => podChanged(ev.object, ev.prev)),
        store.watch(output.resource, {}, (ev) => {
          if (ev.type === 'ADDED' && ev.rv <= startRV) return; // the initial list: services cover it
          const svc = output.serviceOf(ev.object);
          if (svc) queue.add(`${ev.object.metadata.namespace}/${svc}`);
        }),
      ];
      // Output objects whose service is gone (deleted while the engine was down).
      for (const o of store.list(output.resource).items) {
        const svc = output.serviceOf(o);
        if (svc && !store.get('services', o.metadata.namespace, svc)) queue.add(`${o.metadata.namespace}/${svc}`);
      }
    },
    stop() {
      watches.forEach((w) => w.stop());
      watches = [];
      c.queue?.stop();
    },
  };
  let startRV = Infinity;
  const start = c.start;
  c.start = (ctx) => {
    startRV = ctx.store.currentRV();
    return start(ctx);
  };
  return c;
}
