import type { KObject } from '../api-types/index.ts';
import type { LabelSelector } from 'kubernetes-types/meta/v1.d.ts';
import { labelSelectorString } from '../api-types/label-selector.ts';

export interface DrillTarget {
  resource: string;
  namespace: string | null;
  labelSelector?: string;
  fieldSelector?: string;
  /** Pods only: those that mount this PersistentVolumeClaim (filtered on the client). */
  claimName?: string;
  /** Pods only: those of this Job, with the countdown of its next retry. */
  retryOf?: string;
  scopeLabel: string;
}

/** Why `enter` leads nowhere, for a toast. */
export interface DrillRefusal {
  refused: string;
}

const SHORT: Record<string, string> = {
  'deployments.apps': 'deploy',
  'replicasets.apps': 'rs',
  'statefulsets.apps': 'sts',
  'daemonsets.apps': 'ds',
  'jobs.batch': 'job',
  replicationcontrollers: 'rc',
  services: 'svc',
  nodes: 'node',
  persistentvolumeclaims: 'pvc',
  persistentvolumes: 'pv',
};

/** `app=web,tier in (a,b)` from a LabelSelector (kubectl's rendering); undefined when empty. */
export function selectorString(sel: LabelSelector | undefined): string | undefined {
  return labelSelectorString(sel) || undefined;
}

/** Where `enter` on an object leads: the pods behind a workload, service, node or claim; a volume's claim. */
export function drillTarget(resource: string, obj: KObject): DrillTarget | undefined | DrillRefusal {
  const noSelector = { refused: `${obj.metadata?.name ?? ''} has no selector` };
  const name = obj.metadata?.name ?? '';
  const ns = obj.metadata?.namespace ?? null;
  const label = `${SHORT[resource] ?? resource}/${name}`;
  switch (resource) {
    case 'deployments.apps':
    case 'replicasets.apps':
    case 'statefulsets.apps':
    case 'daemonsets.apps': {
      const sel = selectorString(obj.spec?.selector);
      return sel ? { resource: 'pods', namespace: ns, labelSelector: sel, scopeLabel: label } : noSelector;
    }
    case 'jobs.batch': {
      const sel = selectorString(obj.spec?.selector);
      return sel
        ? { resource: 'pods', namespace: ns, labelSelector: sel, retryOf: name, scopeLabel: label }
        : noSelector;
    }
    case 'replicationcontrollers': {
      const map = obj.spec?.selector;
      const sel = map && Object.keys(map).length ? selectorString({ matchLabels: map }) : undefined;
      return sel ? { resource: 'pods', namespace: ns, labelSelector: sel, scopeLabel: label } : noSelector;
    }
    case 'services': {
      const map = obj.spec?.selector;
      const sel = map && Object.keys(map).length ? selectorString({ matchLabels: map }) : undefined;
      return sel ? { resource: 'pods', namespace: ns, labelSelector: sel, scopeLabel: label } : noSelector;
    }
    case 'nodes':
      return { resource: 'pods', namespace: null, fieldSelector: `spec.nodeName=${name}`, scopeLabel: label };
    case 'persistentvolumeclaims':
      return { resource: 'pods', namespace: ns, claimName: name, scopeLabel: label };
    case 'persistentvolumes': {
      const ref = obj.spec?.claimRef;
      if (!ref?.name) return { refused: `pv/${name} is not bound to a claim` };
      return {
        resource: 'persistentvolumeclaims',
        namespace: ref.namespace ?? null,
        fieldSelector: `metadata.name=${ref.name}`,
        scopeLabel: label,
      };
    }
    default:
      return undefined;
  }
}

/** The PersistentVolume a claim is bound to (`v` on a PVC). */
export function claimVolume(pvc: KObject): DrillTarget | DrillRefusal {
  const volume = pvc.spec?.volumeName;
  const name = pvc.metadata?.name ?? '';
  if (!volume) return { refused: `pvc/${name} is not bound to a volume (${pvc.status?.phase ?? 'Pending'})` };
  return {
    resource: 'persistentvolumes',
    namespace: null,
    fieldSelector: `metadata.name=${volume}`,
    scopeLabel: `pvc/${name}`,
  };
}
