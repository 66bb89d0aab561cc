import type { Container, NodeStatus, PodSpec } from 'kubernetes-types/core/v1.d.ts';
/** Resource quantities (`100m`, `128Mi`, `1.5`, `2e3`) and pod requests as the scheduler counts them. */

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

/** The value of a quantity, or NaN when it does not parse. */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return NaN;
  const m = q.trim().match(/^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/);
  if (!m) return NaN;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * SUFFIX[m[3] ?? '']!;
}

/** CPU in millicores (rounded up, like Quantity.MilliValue). */
export function milliCPU(q: unknown): number {
  const v = parseQuantity(q);
  return Number.isNaN(v) ? 0 : Math.ceil(Math.round(v * 1e9) / 1e6);
}

/** Any other resource in whole units (bytes for memory), rounded up. */
export function units(q: unknown): number {
  const v = parseQuantity(q);
  return Number.isNaN(v) ? 0 : Math.ceil(v - 1e-9);
}

export type Resources = Map<string, number>;

function amount(name: string, q: unknown): number {
  return name === 'cpu' ? milliCPU(q) : units(q);
}

type WithResources = Pick<Container, 'resources'>;

/** Container requests, defaulting to limits where only a limit is given (as the apiserver does). */
function containerRequests(c: WithResources | undefined): Resources {
  const out: Resources = new Map();
  const req = c?.resources?.requests ?? {};
  const lim = c?.resources?.limits ?? {};
  for (const name of new Set([...Object.keys(req), ...Object.keys(lim)])) {
    out.set(name, amount(name, req[name] ?? lim[name]));
  }
  return out;
}

/** max(Σ containers, each init container) + overhead, per resource. */
export function podRequests(
  spec: { containers?: WithResources[]; initContainers?: WithResources[]; overhead?: PodSpec['overhead'] } | undefined,
): Resources {
  const total: Resources = new Map();
  for (const c of spec?.containers ?? []) {
    for (const [k, v] of containerRequests(c)) total.set(k, (total.get(k) ?? 0) + v);
  }
  for (const c of spec?.initContainers ?? []) {
    for (const [k, v] of containerRequests(c)) if (v > (total.get(k) ?? 0)) total.set(k, v);
  }
  for (const [k, q] of Object.entries(spec?.overhead ?? {})) total.set(k, (total.get(k) ?? 0) + amount(k, q));
  return total;
}

export const DEFAULT_MILLI_CPU = 100;
export const DEFAULT_MEMORY = 200 * 2 ** 20;

/** cpu and memory for scoring: containers without a request count as 100m / 200Mi. */
export function nonZeroRequests(spec: { containers?: WithResources[] } | undefined): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of spec?.containers ?? []) {
    const r = containerRequests(c);
    cpu += r.get('cpu') ?? DEFAULT_MILLI_CPU;
    memory += r.get('memory') ?? DEFAULT_MEMORY;
  }
  return { cpu, memory };
}

/** A node's allocatable (falling back to capacity), as numbers. */
export function allocatable(node: { status?: Pick<NodeStatus, 'allocatable' | 'capacity'> } | undefined): Resources {
  const src = node?.status?.allocatable ?? node?.status?.capacity ?? {};
  const out: Resources = new Map();
  for (const [k, q] of Object.entries(src)) out.set(k, amount(k, q));
  return out;
}
