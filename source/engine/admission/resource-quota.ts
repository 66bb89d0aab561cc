import type { Container, ResourceQuota, ResourceQuotaStatus } from 'kubernetes-types/core/v1.d.ts';
import type { Kind, KObject } from '../../api-types/index.ts';
import { admissionName, forbidden } from '../auth/forbidden.ts';
import { jsonEqual } from '../store/freeze.ts';
import type { Store } from '../store/store.ts';
import { qualifiedResource } from '../store/errors.ts';
import { amountOf, formatAmount } from './quantity.ts';

/** Object counts a quota can name without `count/` (storage key → quota name). */
const COUNTED: Record<string, string> = {
  pods: 'pods',
  services: 'services',
  configmaps: 'configmaps',
  secrets: 'secrets',
  persistentvolumeclaims: 'persistentvolumeclaims',
  replicationcontrollers: 'replicationcontrollers',
  resourcequotas: 'resourcequotas',
};
const COMPUTE = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'cpu', 'memory'];
const TERMINAL = new Set(['Succeeded', 'Failed']);

const quotaHard = (q: Kind<ResourceQuota>): Record<string, string> => q.spec?.hard ?? {};

/** What one object adds to each quota key. */
function usageOf(resource: string, o: KObject): Map<string, number> {
  const out = new Map<string, number>();
  out.set(`count/${resource}`, 1);
  if (COUNTED[resource]) out.set(COUNTED[resource]!, 1);
  if (resource === 'services') {
    if (o.spec?.type === 'NodePort' || o.spec?.type === 'LoadBalancer')
      out.set('services.nodeports', (o.spec?.ports ?? []).length);
    if (o.spec?.type === 'LoadBalancer') out.set('services.loadbalancers', 1);
  }
  if (resource === 'persistentvolumeclaims')
    out.set('requests.storage', amountOf('storage', o.spec?.resources?.requests?.storage));
  if (resource === 'pods') {
    if (TERMINAL.has(o.status?.phase)) return new Map();
    for (const kind of ['requests', 'limits'] as const) {
      for (const r of ['cpu', 'memory']) {
        let sum = 0;
        for (const c of o.spec?.containers ?? [])
          sum += amountOf(
            r,
            c?.resources?.[kind]?.[r] ?? (kind === 'requests' ? c?.resources?.limits?.[r] : undefined) ?? 0,
          );
        for (const c of o.spec?.initContainers ?? []) sum = Math.max(sum, amountOf(r, c?.resources?.[kind]?.[r] ?? 0));
        out.set(`${kind}.${r}`, sum);
        if (kind === 'requests') out.set(r, sum);
      }
    }
  }
  return out;
}

/** The storage key a `count/<plural>.<group>` names (`count/deployments.apps` → `deployments.apps`). */
function countedKey(store: Store, quotaKey: string): string | undefined {
  if (quotaKey.startsWith('count/')) return quotaKey.slice('count/'.length);
  for (const [key, name] of Object.entries(COUNTED)) if (name === quotaKey) return key;
  if (COMPUTE.includes(quotaKey)) return 'pods';
  if (quotaKey.startsWith('services.')) return 'services';
  if (quotaKey === 'requests.storage') return 'persistentvolumeclaims';
  void store;
  return undefined;
}

/** Current usage in a namespace of the quota keys asked for. */
export function namespaceUsage(store: Store, ns: string, keys: string[]): Record<string, number> {
  const used: Record<string, number> = {};
  for (const k of keys) used[k] = 0;
  const byResource = new Map<string, string[]>();
  for (const k of keys) {
    const res = countedKey(store, k);
    if (res && store.registry.get(res)) byResource.set(res, [...(byResource.get(res) ?? []), k]);
  }
  for (const [res, ks] of byResource) {
    for (const o of store.list(res, { namespace: ns }).items) {
      const u = usageOf(res, o);
      for (const k of ks) used[k]! += u.get(k) ?? 0;
    }
  }
  return used;
}

/**
 * Upstream's ResourceQuota admission on create: refused (403) when the new object would take a
 * namespace's usage past any quota's hard limit, or when a compute quota is set and a container
 * leaves that resource unspecified. Usage is counted from the store at that moment.
 */
export function installResourceQuota(store: Store): void {
  const resources = new Set([
    'pods',
    'services',
    'configmaps',
    'secrets',
    'persistentvolumeclaims',
    'replicationcontrollers',
    'resourcequotas',
  ]);
  const admitCreate = (resource: string) => (obj: KObject) => {
    const ns = obj.metadata.namespace;
    if (!ns) return;
    const quotas = store.list('resourcequotas', { namespace: ns }).items;
    if (!quotas.length) return;
    const delta = usageOf(resource, obj);
    for (const q of quotas) {
      const hard = quotaHard(q);
      const keys = Object.keys(hard).filter((k) => delta.has(k) || (resource === 'pods' && COMPUTE.includes(k)));
      if (!keys.length) continue;
      if (resource === 'pods') {
        const missing = keys
          .filter((k) => COMPUTE.includes(k) && !TERMINAL.has(obj.status?.phase))
          .flatMap((k) => {
            const [kind, r] = k.includes('.') ? k.split('.') : ['requests', k];
            const containers: Container[] = obj.spec?.containers ?? [];
            const names = containers
              .filter(
                (c) =>
                  c?.resources?.[kind === 'limits' ? 'limits' : 'requests']?.[r!] === undefined &&
                  !(kind === 'requests' && c?.resources?.limits?.[r!] !== undefined),
              )
              .map((c) => c.name);
            return names.length ? [`${k} for: ${names.join(',')}`] : [];
          });
        if (missing.length)
          throw forbidden(
            '',
            'pods',
            admissionName(obj.metadata),
            `failed quota: ${q.metadata.name}: must specify ${missing.join('; ')}`,
          );
      }
      const used = namespaceUsage(store, ns, keys);
      const over = keys
        .filter((k) => (delta.get(k) ?? 0) > 0 && used[k]! + delta.get(k)! > amountOf(k, hard[k]))
        .sort();
      if (!over.length) continue;
      const list = (f: (k: string) => string) => over.map((k) => `${k}=${f(k)}`).join(',');
      const d = store.registry.get(resource);
      throw forbidden(
        d?.group ?? '',
        d?.plural ?? resource,
        admissionName(obj.metadata),
        `exceeded quota: ${q.metadata.name}, requested: ${list((k) => formatAmount(k, delta.get(k)!))}, used: ${list((k) => formatAmount(k, used[k]!))}, limited: ${list((k) => hard[k]!)}`,
      );
    }
  };
  for (const r of resources) store.admit(r, { create: admitCreate(r) });
  // count/<anything> for other kinds: checked when a quota names them.
  for (const d of store.registry.all()) {
    const key = d.group ? `${d.plural}.${d.group}` : d.plural;
    if (!resources.has(key) && d.namespaced && !(d.verbs && !d.verbs.includes('list')))
      store.admit(key, { create: admitCreate(key) });
  }
}

/** Keep each quota's status (hard, used) current as objects in its namespace change. */
export function watchQuotaUsage(store: Store): Array<{ stop(): void }> {
  const refresh = (ns: string | undefined) => {
    if (!ns) return;
    for (const q of store.list('resourcequotas', { namespace: ns }).items) {
      const hard = quotaHard(q);
      const counts = namespaceUsage(store, ns, Object.keys(hard));
      const used: Record<string, string> = {};
      for (const [k, v] of Object.entries(counts)) used[k] = formatAmount(k, v);
      const status: ResourceQuotaStatus = { hard: { ...hard }, used };
      if (jsonEqual(status, q.status ?? {})) continue;
      try {
        store.update('resourcequotas', { ...structuredClone(q), status }, { subresource: 'status' });
      } catch {
        // Changed meanwhile: the next event recomputes.
      }
    }
  };
  const handles = [];
  for (const d of store.registry.all()) {
    if (!d.namespaced) continue;
    const key = qualifiedResource(d.group, d.plural);
    handles.push(
      store.watch(key, {}, (ev) => {
        if (key === 'resourcequotas' && ev.type === 'MODIFIED' && jsonEqual(ev.object.spec, ev.prev?.spec)) return;
        // Pod status churn changes usage only when a pod becomes terminal.
        if (
          key === 'pods' &&
          ev.type === 'MODIFIED' &&
          TERMINAL.has(ev.object.status?.phase) === TERMINAL.has(ev.prev?.status?.phase)
        )
          return;
        if (store.list('resourcequotas', { namespace: ev.object.metadata.namespace }).items.length)
          refresh(ev.object.metadata.namespace);
      }),
    );
  }
  return handles;
}
