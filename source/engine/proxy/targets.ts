import type { KObject } from '../../api-types/index.ts';

/**
 * Annotation with ports that listen somewhere else than asked, keyed by the asked port:
 * on a pod (set by the kubelet) `{"80":"127.0.0.1:41234"}`, on a Service (set by the proxy for
 * ClusterIP ports below 1024 when not root) `{"81":"127.96.3.4:40001"}`, a UDP port as `"53/UDP"`. A bare number means
 * the same IP, another port. The runtime's PortMapping[] as JSON
 * (`[{"containerPort":80,"hostIP":"127.244.1.5","hostPort":41234}]`) is understood too.
 */
export const PORT_MAP_ANNOTATION = 'skiff.dev/port-map';

export interface HostPort {
  host: string;
  port: number;
}

const cache = new Map<string, Record<string, unknown>>();

function parseMap(raw: string | undefined): Record<string, unknown> | undefined {
  if (!raw) return undefined;
  let m = cache.get(raw);
  if (!m) {
    try {
      const v = JSON.parse(raw);
      m = v && typeof v === 'object' ? v : {};
    } catch {
      m = {};
    }
    if (cache.size > 1000) cache.clear();
    cache.set(raw, m!);
  }
  return m;
}

/** Where `ip:port` of an object really listens, following its port-map annotation. */
export function mappedTarget(obj: KObject | undefined, ip: string, port: number): HostPort {
  const m = parseMap(obj?.metadata.annotations?.[PORT_MAP_ANNOTATION]);
  const v = Array.isArray(m) ? m.find((e) => e?.containerPort === port) : m?.[String(port)];
  if (typeof v === 'number') return { host: ip, port: v };
  if (typeof v === 'string') {
    const i = v.lastIndexOf(':');
    if (i < 0 && /^\d+$/.test(v)) return { host: ip, port: Number(v) };
    const p = Number(v.slice(i + 1));
    if (i > 0 && Number.isInteger(p) && p > 0) return { host: v.slice(0, i), port: p };
  }
  const mapping = v && typeof v === 'object' ? (v as { hostIP?: string; hostPort?: unknown }) : undefined;
  if (typeof mapping?.hostPort === 'number') return { host: mapping.hostIP ?? ip, port: mapping.hostPort };
  return { host: ip, port };
}

/** The address to dial for a pod's port: its pod IP, or where the kubelet mapped the port. */
export function podTarget(pod: KObject, port: number): HostPort | undefined {
  const ip = pod.status?.podIP;
  if (!ip) return undefined;
  return mappedTarget(pod, ip, port);
}
