import type { PodSpec } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { controllerRef } from '../framework/owner-refs.ts';
import { allocatable, nonZeroRequests, podRequests, type Resources } from './resources.ts';

/** What one bound pod takes from its node. */
export interface PodUsage {
  node: string;
  requests: Resources;
  nonZero: { cpu: number; memory: number };
  ports: string[];
  owner?: string;
}

/** Per-node accounting, kept incrementally as pods are bound, finished and deleted. */
export class NodeInfo {
  node: KObject | undefined;
  alloc: Resources = new Map();
  requested: Resources = new Map();
  nonZero = { cpu: 0, memory: 0 };
  pods = 0;
  private ports = new Map<string, number>();
  private owners = new Map<string, number>();

  constructor(readonly name: string) {}

  setNode(node: KObject | undefined): void {
    this.node = node;
    this.alloc = allocatable(node);
  }

  add(u: PodUsage, sign: 1 | -1): void {
    this.pods += sign;
    for (const [k, v] of u.requests) this.requested.set(k, (this.requested.get(k) ?? 0) + sign * v);
    this.nonZero.cpu += sign * u.nonZero.cpu;
    this.nonZero.memory += sign * u.nonZero.memory;
    for (const p of u.ports) bump(this.ports, p, sign);
    if (u.owner) bump(this.owners, u.owner, sign);
  }

  hasPort(p: string): boolean {
    return (this.ports.get(p) ?? 0) > 0;
  }

  /** Any host IP using this protocol/port. */
  anyPort(proto: string, port: string): boolean {
    for (const k of this.ports.keys()) {
      const [p, , n] = k.split('/');
      if (p === proto && n === port) return true;
    }
    return false;
  }

  ownerCount(uid: string): number {
    return this.owners.get(uid) ?? 0;
  }
}

function bump(m: Map<string, number>, k: string, by: number): void {
  const v = (m.get(k) ?? 0) + by;
  if (v > 0) m.set(k, v);
  else m.delete(k);
}

/** `TCP/0.0.0.0/8080` for each requested hostPort. */
export function hostPorts(spec: Pick<PodSpec, 'containers'> | undefined): string[] {
  const out: string[] = [];
  for (const c of spec?.containers ?? []) {
    for (const p of c?.ports ?? []) {
      if (!p?.hostPort) continue;
      out.push(`${p.protocol ?? 'TCP'}/${p.hostIP || '0.0.0.0'}/${p.hostPort}`);
    }
  }
  return out;
}

/** Whether a wanted host port collides with one in use (0.0.0.0 collides with every IP). */
export function portConflict(info: NodeInfo, wanted: string[]): boolean {
  for (const w of wanted) {
    const [proto, ip, port] = w.split('/');
    if (info.hasPort(w) || info.hasPort(`${proto}/0.0.0.0/${port}`)) return true;
    if (ip === '0.0.0.0' && info.anyPort(proto!, port!)) return true;
  }
  return false;
}

/** The node whose resources a pod takes: its node while bound and not finished. */
export function usageNode(pod: KObject): string | undefined {
  const node: unknown = pod.spec?.nodeName;
  const phase = pod.status?.phase;
  return typeof node === 'string' && node && phase !== 'Succeeded' && phase !== 'Failed' ? node : undefined;
}

// The scheduler keeps a usage for every bound pod: most pods request nothing and use no host
// port, and pods of one template request the same, so those parts are shared (never written to).
const NO_REQUESTS: Resources = new Map();
const NO_PORTS: string[] = [];
const nonZeroSeen = new Map<string, { cpu: number; memory: number }>();

function sharedNonZero(v: { cpu: number; memory: number }): { cpu: number; memory: number } {
  const key = `${v.cpu}/${v.memory}`;
  const had = nonZeroSeen.get(key);
  if (had) return had;
  if (nonZeroSeen.size < 1000) nonZeroSeen.set(key, v);
  return v;
}

export function usageOf(pod: KObject): PodUsage | undefined {
  const node = usageNode(pod);
  if (!node) return undefined;
  const requests = podRequests(pod.spec);
  const ports = hostPorts(pod.spec);
  return {
    node,
    requests: requests.size ? requests : NO_REQUESTS,
    nonZero: sharedNonZero(nonZeroRequests(pod.spec)),
    ports: ports.length ? ports : NO_PORTS,
    owner: controllerRef(pod)?.uid,
  };
}
