import type { KObject } from '../../api-types/index.ts';
import type { Clock } from '../clock.ts';
import type { Component, EngineContext } from '../context.ts';
import type { Store, StoreEvent, WatchHandle } from '../store/store.ts';

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
export class ServiceController implements Component {
  queue?: ServiceKeyQueue;
  private watches: WatchHandle[] = [];

  constructor(
    readonly name: string,
    private readonly output: { resource: string; serviceOf: (o: KObject) => string | undefined },
    private readonly makeSync: (store: Store) => (ns: string, svcName: string) => void,
  ) {}

  start(ctx: EngineContext): void {
    const store = ctx.store;
    const sync = this.makeSync(store);
    const queue = (this.queue = new ServiceKeyQueue(
      ctx.clock,
      (key) => {
        const i = key.indexOf('/');
        sync(key.slice(0, i), key.slice(i + 1));
      },
      (m) => ctx.log(`${this.name}: ${m}`),
    ));
    // Watches replay current objects as ADDED; the services replay alone covers those.
    const startRV = store.currentRV();
    const replayed = (ev: StoreEvent) => ev.type === 'ADDED' && ev.rv <= startRV;
    const podChanged = (pod: KObject, prev?: KObject) => {
      const ns = pod.metadata.namespace!;
      for (const svc of store.list('services', { namespace: ns }).items) {
        if (!selects(svc)) continue;
        if (selectorMatches(svc.spec.selector, pod.metadata.labels) || (prev && selectorMatches(svc.spec.selector, prev.metadata.labels))) {
          queue.add(`${ns}/${svc.metadata.name}`);
        }
      }
    };
    this.watches = [
      store.watch('services', {}, (ev) => queue.add(`${ev.object.metadata.namespace}/${ev.object.metadata.name}`)),
      store.watch('pods', {}, (ev) => replayed(ev) || podChanged(ev.object, ev.prev)),
      store.watch(this.output.resource, {}, (ev) => {
        const svc = this.output.serviceOf(ev.object);
        if (!svc) return;
        // Replayed output only matters when its service is gone (deleted while the engine was down).
        if (replayed(ev) && store.get('services', ev.object.metadata.namespace, svc)) return;
        queue.add(`${ev.object.metadata.namespace}/${svc}`);
      }),
    ];
  }

  stop(): void {
    this.watches.forEach((w) => w.stop());
    this.watches = [];
    this.queue?.stop();
  }
}
