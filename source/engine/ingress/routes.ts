import type { KObject } from '../../api-types/index.ts';

export interface Backend {
  namespace: string;
  service: string;
  port: { name?: string; number?: number };
  /** The ingress this route came from (`ns/name`). */
  ingress: string;
}

interface PathRule {
  path: string;
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  backend: Backend;
}

export interface Conflict {
  /** The ingress whose rule is ignored (the newer one). */
  loser: KObject;
  winner: KObject;
  host: string;
  path: string;
}

/** Which of two ingresses created in the same second came first (negative: a did). */
export type SameSecondOrder = (a: KObject, b: KObject) => number;

/** Oldest first (creation time, then the caller's order, then namespace/name): the one that wins a conflict. */
function byAge(a: KObject, b: KObject, sameSecond?: SameSecondOrder): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const order = sameSecond?.(a, b) ?? 0;
  if (order !== 0) return order;
  const ka = `${a.metadata.namespace}/${a.metadata.name}`;
  const kb = `${b.metadata.namespace}/${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function backendOf(
  ing: KObject,
  b: { service?: { name?: string; port?: { name?: string; number?: number } } } | undefined,
): Backend | undefined {
  if (!b?.service?.name) return undefined;
  return {
    namespace: ing.metadata.namespace!,
    service: b.service.name,
    port: b.service.port ?? {},
    ingress: `${ing.metadata.namespace}/${ing.metadata.name}`,
  };
}

/** `/foo` matches `/foo`, `/foo/` and `/foo/bar`, not `/foobar` (element-wise, as the Ingress spec says). */
function prefixMatches(prefix: string, path: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  if (p === '') return true;
  return path === p || path.startsWith(`${p}/`);
}

/**
 * The routing table of every Ingress a controller serves: per host (exact or `*.wildcard`),
 * paths by precedence (Exact, then the longest prefix), plus the default backend. The oldest
 * Ingress wins a host+path that two of them claim; the conflicts are reported.
 */
export class Routes {
  private hosts = new Map<string, PathRule[]>();
  private wildcards = new Map<string, PathRule[]>();
  private any: PathRule[] = [];
  defaultBackend?: Backend;
  readonly conflicts: Conflict[] = [];
  /** TLS secrets by host (`*.x` wildcards included), oldest ingress first. */
  readonly tls = new Map<string, { namespace: string; secret: string }>();
  tlsDefault?: { namespace: string; secret: string };

  constructor(ingresses: KObject[], sameSecond?: SameSecondOrder) {
    const claimed = new Map<string, KObject>();
    for (const ing of [...ingresses].sort((a, b) => byAge(a, b, sameSecond))) {
      const spec = ing.spec ?? {};
      const def = backendOf(ing, spec.defaultBackend);
      if (def && !this.defaultBackend) this.defaultBackend = def;
      for (const t of spec.tls ?? []) {
        if (!t?.secretName) continue;
        const ref = { namespace: ing.metadata.namespace!, secret: t.secretName };
        for (const h of t.hosts ?? [])
          if (!this.tls.has(String(h).toLowerCase())) this.tls.set(String(h).toLowerCase(), ref);
        this.tlsDefault ??= ref;
      }
      for (const rule of spec.rules ?? []) {
        const host = String(rule?.host ?? '').toLowerCase();
        for (const p of rule?.http?.paths ?? []) {
          const backend = backendOf(ing, p?.backend);
          if (!backend) continue;
          const pathType = p.pathType ?? 'ImplementationSpecific';
          const path = p.path ?? '/';
          const key = `${host}\u0000${pathType === 'Exact' ? 'E' : 'P'}\u0000${path}`;
          const winner = claimed.get(key);
          if (winner && winner !== ing) {
            this.conflicts.push({ loser: ing, winner, host: host || '*', path });
            continue;
          }
          claimed.set(key, ing);
          const list =
            host === ''
              ? this.any
              : host.startsWith('*.')
                ? this.listFor(this.wildcards, host.slice(2))
                : this.listFor(this.hosts, host);
          list.push({ path, pathType, backend });
        }
      }
    }
  }

  private listFor(m: Map<string, PathRule[]>, key: string): PathRule[] {
    let l = m.get(key);
    if (!l) m.set(key, (l = []));
    return l;
  }

  /** The backend for a request, or undefined (the caller answers with the default backend or 404). */
  match(hostHeader: string, path: string): Backend | undefined {
    const host = hostHeader.replace(/:\d+$/, '').toLowerCase();
    const dot = host.indexOf('.');
    const candidates = [this.hosts.get(host), dot > 0 ? this.wildcards.get(host.slice(dot + 1)) : undefined, this.any];
    for (const rules of candidates) {
      if (!rules?.length) continue;
      const hit = pick(rules, path);
      if (hit) return hit.backend;
    }
    return undefined;
  }

  /** The TLS secret for an SNI name: exact host, then wildcard, then the first TLS entry. */
  secretFor(servername: string): { namespace: string; secret: string } | undefined {
    const host = servername.toLowerCase();
    const dot = host.indexOf('.');
    return this.tls.get(host) ?? (dot > 0 ? this.tls.get(`*.${host.slice(dot + 1)}`) : undefined) ?? this.tlsDefault;
  }
}

function pick(rules: PathRule[], path: string): PathRule | undefined {
  const exact = rules.find((r) => r.pathType === 'Exact' && r.path === path);
  if (exact) return exact;
  let best: PathRule | undefined;
  for (const r of rules) {
    if (r.pathType === 'Exact') continue;
    const ok = r.pathType === 'Prefix' ? prefixMatches(r.path, path) : path.startsWith(r.path);
    if (ok && (!best || r.path.length > best.path.length)) best = r;
  }
  return best;
}
