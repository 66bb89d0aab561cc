import type { KObject } from '../api-types/index.ts';

export interface DrillTarget {
  resource: string;
  namespace: string | null;
  labelSelector?: string;
  fieldSelector?: string;
  scopeLabel: string;
}

const SHORT: Record<string, string> = {
  'deployments.apps': 'deploy',
  'replicasets.apps': 'rs',
  'statefulsets.apps': 'sts',
  'daemonsets.apps': 'ds',
  'jobs.batch': 'job',
  services: 'svc',
  nodes: 'node',
};

/** `app=web,tier in (a,b)` from a LabelSelector; undefined when it selects nothing specific. */
export function selectorString(sel: any): string | undefined {
  if (!sel) return undefined;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length ? parts.join(',') : undefined;
}

/** Where `enter` on an object leads: the pods behind a workload, service or node. */
export function drillTarget(resource: string, obj: KObject): DrillTarget | undefined | 'no-selector' {
  const name = obj.metadata?.name ?? '';
  const ns = obj.metadata?.namespace ?? null;
  const label = `${SHORT[resource] ?? resource}/${name}`;
  switch (resource) {
    case 'deployments.apps':
    case 'replicasets.apps':
    case 'statefulsets.apps':
    case 'daemonsets.apps':
    case 'jobs.batch': {
      const sel = selectorString(obj.spec?.selector);
      return sel ? { resource: 'pods', namespace: ns, labelSelector: sel, scopeLabel: label } : 'no-selector';
    }
    case 'services': {
      const map = obj.spec?.selector;
      const sel = map && Object.keys(map).length ? selectorString({ matchLabels: map }) : undefined;
      return sel ? { resource: 'pods', namespace: ns, labelSelector: sel, scopeLabel: label } : 'no-selector';
    }
    case 'nodes':
      return { resource: 'pods', namespace: null, fieldSelector: `spec.nodeName=${name}`, scopeLabel: label };
    default:
      return undefined;
  }
}
