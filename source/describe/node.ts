import type { KObject } from '../api-types/index.ts';
import { since } from './age.ts';
import { describeEvents } from './events.ts';
import { formatTime, printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline } from './format.ts';
import {
  addQuantity,
  cmpQuantity,
  milliValue,
  parseQuantity,
  quantityString,
  value,
  ZERO,
  type Quantity,
} from './quantity.ts';
import { PrefixWriter } from './writer.ts';

type Resources = Map<string, Quantity>;

export function describeNode(
  node: KObject,
  pods: KObject[],
  events: KObject[],
  now: number,
  leases?: KObject[],
): string {
  const w = new PrefixWriter();
  const name = node.metadata.name ?? '';
  const spec = node.spec ?? {};
  const status = node.status ?? {};
  w.write(0, `Name:\t${name}\n`);
  const roles = nodeRoles(node);
  w.write(0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
  printLabelsMultiline(w, 'Labels', node.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', node.metadata.annotations);
  w.write(0, `CreationTimestamp:\t${formatTime(node.metadata.creationTimestamp)}\n`);
  printTaintsMultiline(w, 'Taints', spec.taints);
  w.write(0, `Unschedulable:\t${spec.unschedulable === true}\n`);
  if (leases)
    describeLease(
      name,
      leases.find((l) => l.metadata.name === name),
      w,
    );
  if (status.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of status.conditions) {
      w.write(
        1,
        `${c.type} \t${c.status} \t${formatTime(c.lastHeartbeatTime)} \t${formatTime(c.lastTransitionTime)} \t` +
          `${c.reason ?? ''} \t${c.message ?? ''}\n`,
      );
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of status.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [
    ['Capacity', status.capacity],
    ['Allocatable', status.allocatable],
  ] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length === 0) continue;
    w.write(0, `${title}:\n`);
    for (const n of names) w.write(0, `  ${n}:\t${quantityString(parseQuantity(list[n]))}\n`);
  }
  const info = status.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  for (const [label, key] of SYSTEM_INFO) w.write(0, `  ${label}:\t${info[key] ?? ''}\n`);
  if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec.podCIDRs?.length) w.write(0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
  if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
  const running = pods.filter(
    (p) => p.spec?.nodeName === name && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
  );
  describeNodeResource(node, running, w, now);
  describeEvents(events, w, now);
  return w.toString();
}

const SYSTEM_INFO: Array<[string, string]> = [
  ['Machine ID', 'machineID'],
  ['System UUID', 'systemUUID'],
  ['Boot ID', 'bootID'],
  ['Kernel Version', 'kernelVersion'],
  ['OS Image', 'osImage'],
  ['Operating System', 'operatingSystem'],
  ['Architecture', 'architecture'],
  ['Container Runtime Version', 'containerRuntimeVersion'],
  ['Kubelet Version', 'kubeletVersion'],
  ['Kube-Proxy Version', 'kubeProxyVersion'],
];

export function nodeRoles(node: KObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

function describeLease(name: string, lease: KObject | undefined, w: PrefixWriter): void {
  if (!lease) {
    w.write(0, `Lease:\tFailed to get lease: leases.coordination.k8s.io "${name}" not found\n`);
    return;
  }
  w.write(0, 'Lease:\n');
  w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
  w.write(1, `AcquireTime:\t${lease.spec?.acquireTime ? formatTime(lease.spec.acquireTime) : '<unset>'}\n`);
  w.write(1, `RenewTime:\t${lease.spec?.renewTime ? formatTime(lease.spec.renewTime) : '<unset>'}\n`);
}

// Go converts a non-finite float64 to int64 as the minimum int64 on amd64; kubectl prints that.
const percent = (x: number) => (Number.isFinite(x) ? String(Math.trunc(x)) : '-9223372036854775808');
const get = (m: Resources, k: string) => m.get(k) ?? ZERO;
const str = (q: Quantity) => quantityString(q);

function describeNodeResource(node: KObject, pods: KObject[], w: PrefixWriter, now: number): void {
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const rawAlloc = Object.keys(node.status?.allocatable ?? {}).length
    ? node.status.allocatable
    : (node.status?.capacity ?? {});
  const alloc: Resources = new Map(Object.entries(rawAlloc).map(([k, v]) => [k, parseQuantity(v)]));
  const allocCpu = milliValue(get(alloc, 'cpu'));
  const allocMem = value(get(alloc, 'memory'));
  const reqs: Resources = new Map();
  const limits: Resources = new Map();
  for (const pod of pods) {
    const [req, lim] = podRequestsAndLimits(pod);
    addInto(reqs, req);
    addInto(limits, lim);
    const [cr, cl, mr, ml] = [get(req, 'cpu'), get(lim, 'cpu'), get(req, 'memory'), get(lim, 'memory')];
    w.write(
      1,
      `${pod.metadata.namespace ?? ''}\t${pod.metadata.name ?? ''}\t\t` +
        `${str(cr)} (${percent((milliValue(cr) / allocCpu) * 100)}%)\t${str(cl)} (${percent((milliValue(cl) / allocCpu) * 100)}%)\t` +
        `${str(mr)} (${percent((value(mr) / allocMem) * 100)}%)\t${str(ml)} (${percent((value(ml) / allocMem) * 100)}%)\t` +
        `${since(pod.metadata.creationTimestamp, now)}\n`,
    );
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  const row = (name: string, scale: (q: Quantity) => number) => {
    const total = scale(get(alloc, name));
    const frac = (q: Quantity) => (total !== 0 ? percent((scale(q) / total) * 100) : '0');
    const [r, l] = [get(reqs, name), get(limits, name)];
    w.write(1, `${name}\t${str(r)} (${frac(r)}%)\t${str(l)} (${frac(l)}%)\n`);
  };
  row('cpu', milliValue);
  row('memory', value);
  row('ephemeral-storage', value);
  const names = [...alloc.keys()].sort();
  for (const n of names.filter((n) => n.startsWith('hugepages-'))) row(n, value);
  const standard = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);
  for (const n of names.filter((n) => !n.startsWith('hugepages-') && !standard.has(n))) {
    w.write(1, `${n}\t${str(get(reqs, n))}\t${str(get(limits, n))}\n`);
  }
}

function addInto(into: Resources, from: Resources | Record<string, unknown> | undefined): void {
  const entries =
    from instanceof Map ? [...from] : Object.entries(from ?? {}).map(([k, v]) => [k, parseQuantity(v)] as const);
  for (const [k, q] of entries) into.set(k, into.has(k) ? addQuantity(into.get(k)!, q) : q);
}

function maxInto(into: Resources, from: Resources): void {
  for (const [k, q] of from) if (!into.has(k) || cmpQuantity(q, into.get(k)!) > 0) into.set(k, q);
}

/** kubectl's PodRequestsAndLimits: containers summed, init containers as a max, sidecars and overhead added. */
export function podRequestsAndLimits(pod: KObject): [Resources, Resources] {
  const compute = (key: 'requests' | 'limits'): Resources => {
    const total: Resources = new Map();
    for (const c of pod.spec?.containers ?? []) addInto(total, c.resources?.[key]);
    const sidecars: Resources = new Map();
    const init: Resources = new Map();
    for (const c of pod.spec?.initContainers ?? []) {
      let current: Resources;
      if (c.restartPolicy === 'Always') {
        addInto(total, c.resources?.[key]);
        addInto(sidecars, c.resources?.[key]);
        current = sidecars;
      } else {
        current = new Map();
        addInto(current, c.resources?.[key]);
        addInto(current, sidecars);
      }
      maxInto(init, current);
    }
    maxInto(total, init);
    const overhead: Record<string, unknown> | undefined = pod.spec?.overhead;
    if (overhead && key === 'requests') addInto(total, overhead);
    if (overhead && key === 'limits') {
      for (const [k, v] of Object.entries(overhead)) {
        const cur = total.get(k);
        if (cur && cur.mantissa !== 0n) total.set(k, addQuantity(cur, parseQuantity(v)));
      }
    }
    return total;
  };
  return [compute('requests'), compute('limits')];
}
