import type { KObject } from '../api-types/index.ts';
import { selectorString as labelSelectorString } from '../describe/format.ts';

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

/** `app=web,tier in (a,b)` from a LabelSelector (kubectl's rendering); undefined when empty. */
export function selectorString(sel: unknown): string | undefined {
  return labelSelectorString(sel as Parameters<typeof labelSelectorString>[0]) || undefined;
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
