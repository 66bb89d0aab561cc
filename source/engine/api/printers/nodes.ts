import type { NodeAddress, NodeCondition } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../../api-types/index.ts';
import { translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

function status(node: KObject): string {
  let ready: NodeCondition | undefined;
  // The last Ready condition wins, as with upstream's condition map.
  for (const c of (node.status?.conditions ?? []) as NodeCondition[]) if (c.type === 'Ready') ready = c;
  const s = ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown';
  return node.spec?.unschedulable ? `${s},SchedulingDisabled` : s;
}

function roles(labels: Record<string, string> | undefined): string {
  if (!labels) return '<none>';
  const set = new Set<string>();
  for (const k in labels) {
    if (k.startsWith(ROLE_PREFIX)) {
      if (k.length > ROLE_PREFIX.length) set.add(k.slice(ROLE_PREFIX.length));
    } else if (k === ROLE_LABEL && labels[k] !== '') {
      set.add(labels[k]);
    }
  }
  return set.size ? [...set].sort().join(',') : '<none>';
}

function address(node: KObject, type: string): string {
  for (const a of (node.status?.addresses ?? []) as NodeAddress[]) if (a.type === type) return a.address;
  return '<none>';
}

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn,
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', 'List of addresses reachable to the node.', 1),
    column('External-IP', 'string', 'List of addresses reachable to the node.', 1),
    column(
      'OS-Image',
      'string',
      'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).',
      1,
    ),
    column(
      'Kernel-Version',
      'string',
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
      1,
    ),
    column(
      'Container-Runtime',
      'string',
      'ContainerRuntime Version reported by the node (e.g. containerd://1.4.2).',
      1,
    ),
  ],
  row(obj: KObject, now: number) {
    const info = obj.status?.nodeInfo ?? {};
    return [
      obj.metadata.name,
      status(obj),
      roles(obj.metadata.labels),
      translateTimestampSince(obj.metadata.creationTimestamp, now),
      info.kubeletVersion ?? '',
      address(obj, 'InternalIP'),
      address(obj, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};
