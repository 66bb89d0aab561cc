import type { ResourceRegistry } from './registry.ts';
import type { Transport } from './transport.ts';

/** How often usage is fetched while a view shows it, and after a failure (never more often). */
export const METRICS_POLL_MS = 10_000;
export const METRICS_RETRY_MS = 30_000;

const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Quantity as a float in base units (cores, bytes); undefined when it does not parse. */
export function quantityValue(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = /^([+-]?\d*\.?\d+)(?:[eE]([+-]?\d+))?([a-zA-Z]*)$/.exec(q.trim());
  if (!m || !(m[3]! in SUFFIX)) return undefined;
  return Number(m[1]) * 10 ** Number(m[2] ?? 0) * SUFFIX[m[3]!]!;
}

/** Usage of one pod (per container) or node: CPU in cores, memory in bytes. */
export interface Usage {
  cpu: number;
  memory: number;
  containers?: Map<string, { cpu: number; memory: number }>;
}

export interface MetricsSnapshot {
  /** Bumped on every fetch that changed something. */
  version: number;
  /** `namespace/name` of pods, `name` of nodes. */
  pods: Map<string, Usage>;
  nodes: Map<string, Usage>;
  /** The last fetch failed (shown as n/a, retried after METRICS_RETRY_MS). */
  failing: boolean;
}

interface PodMetricsList {
  items?: Array<{
    metadata?: { name?: string; namespace?: string };
    containers?: Array<{ name: string; usage?: Record<string, string> }>;
  }>;
}
interface NodeMetricsList {
  items?: Array<{ metadata?: { name?: string }; usage?: Record<string, string> }>;
}

/**
 * The metrics.k8s.io figures of one cluster, fetched only while someone listens: every
 * METRICS_POLL_MS, or METRICS_RETRY_MS after a failure (a metrics-server that is down costs one
 * quiet request per 30 s). Absent from discovery: `available` is false and nothing is fetched.
 */
export class MetricsPoller {
  readonly available: boolean;
  private snapshot: MetricsSnapshot = { version: 0, pods: new Map(), nodes: new Map(), failing: false };
  private listeners = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;

  constructor(
    private readonly transport: Transport,
    registry: ResourceRegistry,
    private readonly pollMs = METRICS_POLL_MS,
    private readonly retryMs = METRICS_RETRY_MS,
  ) {
    this.available = !!registry.get('pods.metrics.k8s.io') && !!registry.get('nodes.metrics.k8s.io');
  }

  getSnapshot = (): MetricsSnapshot => this.snapshot;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    if (this.listeners.size === 1 && this.available) void this.poll();
    return () => {
      this.listeners.delete(fn);
      if (!this.listeners.size) this.stop();
    };
  };

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    let ok = true;
    try {
      const [pods, nodes] = await Promise.all([
        this.transport.json<PodMetricsList>({ path: '/apis/metrics.k8s.io/v1beta1/pods', timeoutMs: 10_000 }),
        this.transport.json<NodeMetricsList>({ path: '/apis/metrics.k8s.io/v1beta1/nodes', timeoutMs: 10_000 }),
      ]);
      const next = { pods: podUsage(pods), nodes: nodeUsage(nodes) };
      // The same figures again (metrics-server samples every 15–60 s, we ask every 10 s): a new
      // version would redo the usage cells of every row, 50,000 of them on a big cluster.
      const prev = this.snapshot;
      if (prev.failing || !sameUsages(prev.pods, next.pods) || !sameUsages(prev.nodes, next.nodes) || !prev.version)
        this.publish(next.pods, next.nodes, false);
    } catch {
      ok = false;
      if (!this.snapshot.failing) this.publish(new Map(), new Map(), true);
    } finally {
      this.inFlight = false;
    }
    if (!this.listeners.size) return;
    this.timer = setTimeout(() => void this.poll(), ok ? this.pollMs : this.retryMs);
    this.timer.unref?.();
  }

  private publish(pods: Map<string, Usage>, nodes: Map<string, Usage>, failing: boolean): void {
    this.snapshot = { version: this.snapshot.version + 1, pods, nodes, failing };
    for (const fn of this.listeners) fn();
  }
}

function sameUsage(a: Usage, b: Usage): boolean {
  if (a.cpu !== b.cpu || a.memory !== b.memory || a.containers?.size !== b.containers?.size) return false;
  for (const [name, c] of a.containers ?? []) {
    const d = b.containers?.get(name);
    if (!d || d.cpu !== c.cpu || d.memory !== c.memory) return false;
  }
  return true;
}

/** The same objects with the same figures. */
export function sameUsages(a: ReadonlyMap<string, Usage>, b: ReadonlyMap<string, Usage>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, u] of a) {
    const v = b.get(key);
    if (!v || !sameUsage(u, v)) return false;
  }
  return true;
}

function podUsage(list: PodMetricsList): Map<string, Usage> {
  const out = new Map<string, Usage>();
  for (const p of list.items ?? []) {
    const containers = new Map<string, { cpu: number; memory: number }>();
    let cpu = 0;
    let memory = 0;
    for (const c of p.containers ?? []) {
      const u = { cpu: quantityValue(c.usage?.cpu) ?? 0, memory: quantityValue(c.usage?.memory) ?? 0 };
      containers.set(c.name, u);
      cpu += u.cpu;
      memory += u.memory;
    }
    out.set(`${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`, { cpu, memory, containers });
  }
  return out;
}

function nodeUsage(list: NodeMetricsList): Map<string, Usage> {
  const out = new Map<string, Usage>();
  for (const n of list.items ?? []) {
    out.set(n.metadata?.name ?? '', {
      cpu: quantityValue(n.usage?.cpu) ?? 0,
      memory: quantityValue(n.usage?.memory) ?? 0,
    });
  }
  return out;
}

const pollers = new WeakMap<Transport, MetricsPoller>();

/** The one poller of a cluster connection. */
export function metricsPoller(transport: Transport, registry: ResourceRegistry): MetricsPoller {
  let p = pollers.get(transport);
  if (!p) pollers.set(transport, (p = new MetricsPoller(transport, registry)));
  return p;
}
