import type { KObject } from '../../api-types/index.ts';
import { admissionName, forbidden } from '../auth/forbidden.ts';
import type { Store } from '../store/store.ts';
import { amountOf } from './quantity.ts';

type ResourceMap = Record<string, string>;
interface LimitItem {
  type?: string;
  default?: ResourceMap;
  defaultRequest?: ResourceMap;
  max?: ResourceMap;
  min?: ResourceMap;
  maxLimitRequestRatio?: ResourceMap;
}
interface Container {
  name?: string;
  resources?: { requests?: ResourceMap; limits?: ResourceMap };
}

/** The LimitRange API defaults: `defaultRequest` from `default`, `default` from `max`. */
export function limitRangeDefaults(o: KObject): void {
  for (const item of (o.spec?.limits ?? []) as LimitItem[]) {
    if (!item || item.type !== 'Container') continue;
    if (item.max) item.default = { ...item.max, ...(item.default ?? {}) };
    if (item.default) item.defaultRequest = { ...item.default, ...(item.defaultRequest ?? {}) };
  }
}

/**
 * Upstream's LimitRanger admission on pod create: each container of the pod gets the namespace's
 * Container defaults for limits and requests it leaves out, then must stay within min, max and
 * maxLimitRequestRatio; otherwise 403 with the apiserver's wording.
 */
export function installLimitRanger(store: Store): void {
  store.admit('pods', {
    create(pod: KObject) {
      const ranges = store.list('limitranges', { namespace: pod.metadata.namespace }).items;
      if (!ranges.length) return;
      const items = ranges.flatMap((r) =>
        ((r.spec?.limits ?? []) as LimitItem[]).filter((i) => i?.type === 'Container'),
      );
      const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])] as Container[];
      const problems: string[] = [];
      for (const c of containers) {
        c.resources ??= {};
        for (const item of items) {
          for (const [k, v] of Object.entries(item.default ?? {})) {
            c.resources.limits ??= {};
            c.resources.limits[k] ??= v;
          }
          for (const [k, v] of Object.entries(item.defaultRequest ?? {})) {
            c.resources.requests ??= {};
            c.resources.requests[k] ??= v;
          }
        }
        // A limit without a request asks for the limit (the pod API default).
        for (const [k, v] of Object.entries(c.resources.limits ?? {})) {
          c.resources.requests ??= {};
          c.resources.requests[k] ??= v;
        }
        for (const item of items) problems.push(...check(c, item));
      }
      if (problems.length)
        throw forbidden(
          '',
          'pods',
          admissionName(pod.metadata),
          problems.length === 1 ? problems[0]! : `[${problems.join(', ')}]`,
        );
    },
  });
}

function check(c: Container, item: LimitItem): string[] {
  const out: string[] = [];
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  for (const [k, min] of Object.entries(item.min ?? {})) {
    const m = amountOf(k, min);
    if (req[k] === undefined) out.push(`minimum ${k} usage per Container is ${min}.  No request is specified`);
    else if (amountOf(k, req[k]) < m) out.push(`minimum ${k} usage per Container is ${min}, but request is ${req[k]}`);
    if (lim[k] !== undefined && amountOf(k, lim[k]) < m)
      out.push(`minimum ${k} usage per Container is ${min}, but limit is ${lim[k]}`);
  }
  for (const [k, max] of Object.entries(item.max ?? {})) {
    if (lim[k] === undefined) out.push(`maximum ${k} usage per Container is ${max}.  No limit is specified`);
    else if (amountOf(k, lim[k]) > amountOf(k, max))
      out.push(`maximum ${k} usage per Container is ${max}, but limit is ${lim[k]}`);
  }
  for (const [k, ratio] of Object.entries(item.maxLimitRequestRatio ?? {})) {
    if (lim[k] === undefined || req[k] === undefined) continue;
    const r = amountOf(k, lim[k]) / Math.max(1, amountOf(k, req[k]));
    if (r > Number(ratio))
      out.push(`${k} max limit to request ratio per Container is ${ratio}, but provided ratio is ${r.toFixed(6)}`);
  }
  return out;
}
