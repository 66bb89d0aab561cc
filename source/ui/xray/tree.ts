import type { KObject } from '../../api-types/index.ts';
import { condition, containerReason, containerStatuses, podSummary } from './pod-status.ts';

/** What `:xray` can start from. */
export type XrayRoot = 'deployments' | 'statefulsets' | 'daemonsets' | 'jobs' | 'services' | 'nodes';

/** The objects the tree is built from, each list as the caches hold it. */
export interface XrayInput {
  deployments?: readonly KObject[];
  replicasets?: readonly KObject[];
  statefulsets?: readonly KObject[];
  daemonsets?: readonly KObject[];
  jobs?: readonly KObject[];
  pods?: readonly KObject[];
  services?: readonly KObject[];
  endpointslices?: readonly KObject[];
  nodes?: readonly KObject[];
}

export interface XrayNode {
  /** Unique in the tree: the object's uid, `uid/container` for containers. */
  id: string;
  /** The resource id of the object (`pods`, `deployments.apps`); containers are their pod's. */
  resource: string;
  /** Short kind shown before the name: `deploy`, `rs`, `pod`, `container`. */
  kind: string;
  name: string;
  namespace?: string;
  status: string;
  /** `2/3` where readiness applies. */
  ready: string;
  /** A short reason or detail: restarts, revision, the waiting message. */
  info: string;
  object: KObject;
  /** The container this node stands for (its object is the pod). */
  container?: string;
  children: XrayNode[];
}

export const XRAY_RESOURCES: Record<keyof XrayInput, string> = {
  deployments: 'deployments.apps',
  replicasets: 'replicasets.apps',
  statefulsets: 'statefulsets.apps',
  daemonsets: 'daemonsets.apps',
  jobs: 'jobs.batch',
  pods: 'pods',
  services: 'services',
  endpointslices: 'endpointslices.discovery.k8s.io',
  nodes: 'nodes',
};

/** The lists each root needs. */
export const XRAY_NEEDS: Record<XrayRoot, Array<keyof XrayInput>> = {
  deployments: ['deployments', 'replicasets', 'pods'],
  statefulsets: ['statefulsets', 'pods'],
  daemonsets: ['daemonsets', 'pods'],
  jobs: ['jobs', 'pods'],
  services: ['services', 'endpointslices', 'pods'],
  nodes: ['nodes', 'pods'],
};

export const uidOf = (o: KObject) => o.metadata.uid ?? `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
// What `localeCompare` without arguments does, without making a collator per call.
export const collate = new Intl.Collator().compare;
/** Siblings go by namespace, then name. */
export const byName = (a: KObject, b: KObject) =>
  collate(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
  collate(a.metadata.name ?? '', b.metadata.name ?? '');

/** Objects grouped by the uid of their owners (every owner reference, not only the controller). */
function byOwner(list: readonly KObject[] | undefined): Map<string, KObject[]> {
  const out = new Map<string, KObject[]>();
  for (const o of list ?? []) {
    for (const ref of o.metadata.ownerReferences ?? []) {
      let l = out.get(ref.uid);
      if (!l) out.set(ref.uid, (l = []));
      l.push(o);
    }
  }
  return out;
}

function containerNodes(pod: KObject): XrayNode[] {
  const statuses = new Map(containerStatuses(pod).map((s) => [s.name, s]));
  return (pod.spec?.containers ?? []).map((c: { name: string; image?: string }) => {
    const cs = statuses.get(c.name);
    const reason = containerReason(cs);
    const status = cs?.state?.running ? 'Running' : (reason ?? 'Waiting');
    const restarts = cs?.restartCount ?? 0;
    const info = [c.image ?? '', restarts ? `${restarts} restarts` : '', cs?.state?.waiting?.message ?? '']
      .filter(Boolean)
      .join(' · ');
    return {
      id: `${uidOf(pod)}/${c.name}`,
      resource: XRAY_RESOURCES.pods,
      kind: 'container',
      name: c.name,
      namespace: pod.metadata.namespace,
      status,
      ready: cs?.ready ? '1/1' : '0/1',
      info,
      object: pod,
      container: c.name,
      children: [],
    } satisfies XrayNode;
  });
}

export function podNode(pod: KObject): XrayNode {
  const s = podSummary(pod);
  const waiting = containerStatuses(pod).find((cs) => cs.state?.waiting?.message)?.state?.waiting?.message;
  const unscheduled = condition(pod, 'PodScheduled');
  const info = [
    s.restarts ? `${s.restarts} restarts` : '',
    pod.spec?.nodeName
      ? `on ${pod.spec.nodeName}`
      : unscheduled?.status === 'False'
        ? (unscheduled.message ?? unscheduled.reason ?? '')
        : '',
    waiting ?? '',
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    id: uidOf(pod),
    resource: XRAY_RESOURCES.pods,
    kind: 'pod',
    name: pod.metadata.name ?? '',
    namespace: pod.metadata.namespace,
    status: s.status,
    ready: `${s.ready}/${s.total}`,
    info,
    object: pod,
    children: containerNodes(pod),
  };
}

function workloadStatus(obj: KObject, ready: number, desired: number): string {
  if (condition(obj, 'Progressing')?.reason === 'ProgressDeadlineExceeded') return 'ProgressDeadlineExceeded';
  if (desired === 0) return 'ScaledDown';
  return ready >= desired ? 'Ready' : 'Progressing';
}

function workloadNode(
  obj: KObject,
  kind: string,
  resource: string,
  ready: number,
  desired: number,
  info: string,
  children: XrayNode[],
): XrayNode {
  return {
    id: uidOf(obj),
    resource,
    kind,
    name: obj.metadata.name ?? '',
    namespace: obj.metadata.namespace,
    status: workloadStatus(obj, ready, desired),
    ready: `${ready}/${desired}`,
    info,
    object: obj,
    children,
  };
}

export const revision = (o: KObject) => Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
/** A deployment's ReplicaSets: newest revision first, the one a rollout is moving to. */
export const byRevision = (a: KObject, b: KObject) => revision(b) - revision(a) || byName(a, b);

/** A Deployment's line over its ReplicaSets (`sets`, in byRevision order) and, below each, its pods. */
export function deploymentNode(d: KObject, sets: readonly KObject[], podsOf: (rs: KObject) => XrayNode[]): XrayNode {
  const rsNodes = sets.map((rs) => {
    const info = `revision ${revision(rs) || '?'}`;
    return workloadNode(
      rs,
      'rs',
      XRAY_RESOURCES.replicasets,
      rs.status?.readyReplicas ?? 0,
      rs.spec?.replicas ?? 0,
      info,
      podsOf(rs),
    );
  });
  const desired = d.spec?.replicas ?? 1;
  const updated = d.status?.updatedReplicas ?? 0;
  const progressing = condition(d, 'Progressing');
  const info = [
    `${updated}/${desired} updated`,
    progressing?.reason === 'ProgressDeadlineExceeded' ? (progressing.message ?? '') : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const node = workloadNode(
    d,
    'deploy',
    XRAY_RESOURCES.deployments,
    d.status?.readyReplicas ?? 0,
    desired,
    info,
    rsNodes,
  );
  // Enough ready pods, but not all of them on the new template yet: a rollout is under way.
  if (node.status === 'Ready' && updated < desired) node.status = 'Progressing';
  return node;
}

function podsOf(owners: Map<string, KObject[]>, uid: string): XrayNode[] {
  return (owners.get(uid) ?? []).slice().sort(byName).map(podNode);
}

function deploymentTree(input: XrayInput): XrayNode[] {
  const rsByOwner = byOwner(input.replicasets);
  const podsByOwner = byOwner(input.pods);
  return (input.deployments ?? [])
    .slice()
    .sort(byName)
    .map((d) =>
      deploymentNode(d, (rsByOwner.get(uidOf(d)) ?? []).slice().sort(byRevision), (rs) =>
        podsOf(podsByOwner, uidOf(rs)),
      ),
    );
}

/** The roots whose pods hang right below them (by owner reference). */
export type PodOwnerRoot = 'statefulsets' | 'daemonsets' | 'jobs';

const POD_OWNERS: Record<PodOwnerRoot, { kind: string; counts: (o: KObject) => [number, number, string] }> = {
  statefulsets: {
    kind: 'sts',
    counts: (o) => [
      o.status?.readyReplicas ?? 0,
      o.spec?.replicas ?? 1,
      `revision ${o.status?.updateRevision ?? ''}`.trim(),
    ],
  },
  daemonsets: {
    kind: 'ds',
    counts: (o) => [
      o.status?.numberReady ?? 0,
      o.status?.desiredNumberScheduled ?? 0,
      `${o.status?.updatedNumberScheduled ?? 0} updated`,
    ],
  },
  jobs: {
    kind: 'job',
    counts: (o) => {
      const failed = condition(o, 'Failed')?.status === 'True';
      return [
        o.status?.succeeded ?? 0,
        o.spec?.completions ?? 1,
        failed ? `Failed: ${condition(o, 'Failed')?.reason ?? ''}` : `${o.status?.active ?? 0} active`,
      ];
    },
  },
};

/** A StatefulSet's, DaemonSet's or Job's line over its pods (in byName order). */
export function podOwnerNode(root: PodOwnerRoot, o: KObject, pods: XrayNode[]): XrayNode {
  const [ready, desired, info] = POD_OWNERS[root].counts(o);
  return workloadNode(o, POD_OWNERS[root].kind, XRAY_RESOURCES[root], ready, desired, info, pods);
}

function podOwnerTree(root: PodOwnerRoot, input: XrayInput): XrayNode[] {
  const podsByOwner = byOwner(input.pods);
  return (input[root] ?? [])
    .slice()
    .sort(byName)
    .map((o) => podOwnerNode(root, o, podsOf(podsByOwner, uidOf(o))));
}

export interface SliceTarget {
  kind?: string;
  name?: string;
  namespace?: string;
  uid?: string;
}

interface SliceEndpoint {
  conditions?: { ready?: boolean };
  targetRef?: SliceTarget;
}

/** The service an EndpointSlice belongs to, as `namespace/name`. */
export function sliceService(s: KObject): string | undefined {
  const svc = s.metadata.labels?.['kubernetes.io/service-name'];
  return svc ? `${s.metadata.namespace}/${svc}` : undefined;
}

/** The keys a slice's target pod is looked up by: its uid, else namespace/name. */
export function targetKeys(ref: SliceTarget, slice: KObject): string[] {
  const byKey = `${ref.namespace ?? slice.metadata.namespace}/${ref.name}`;
  return ref.uid ? [ref.uid, byKey] : [byKey];
}

/** The keys a pod is found by from a slice. */
export const podKeys = (p: KObject) => [uidOf(p), `${p.metadata.namespace}/${p.metadata.name}`];

function serviceTree(input: XrayInput): XrayNode[] {
  const slicesByService = new Map<string, KObject[]>();
  for (const s of input.endpointslices ?? []) {
    const key = sliceService(s);
    if (!key) continue;
    let l = slicesByService.get(key);
    if (!l) slicesByService.set(key, (l = []));
    l.push(s);
  }
  const podsByKey = new Map<string, KObject>();
  for (const p of input.pods ?? []) for (const k of podKeys(p)) podsByKey.set(k, p);
  const find = (keys: string[]) => {
    for (const k of keys) {
      const p = podsByKey.get(k);
      if (p) return p;
    }
    return undefined;
  };
  return (input.services ?? [])
    .slice()
    .sort(byName)
    .map((svc) =>
      serviceNode(
        svc,
        (slicesByService.get(`${svc.metadata.namespace}/${svc.metadata.name}`) ?? []).slice().sort(byName),
        (ref, s) => find(targetKeys(ref, s)),
        podNode,
      ),
    );
}

/**
 * A Service's line over its EndpointSlices (in byName order) and the pods they point at; `podOf`
 * finds a target's pod, `toNode` makes its line.
 */
export function serviceNode(
  svc: KObject,
  slices: readonly KObject[],
  podOf: (ref: SliceTarget, slice: KObject) => KObject | undefined,
  toNode: (pod: KObject) => XrayNode,
): XrayNode {
  let ready = 0;
  let total = 0;
  const sliceNodes = slices.map((s) => {
    const eps = (s.endpoints ?? []) as SliceEndpoint[];
    const r = eps.filter((e) => e.conditions?.ready !== false).length;
    ready += r;
    total += eps.length;
    const seen = new Set<string>();
    const pods: XrayNode[] = [];
    for (const e of eps) {
      const ref = e.targetRef;
      if (ref?.kind !== 'Pod') continue;
      const pod = podOf(ref, s);
      if (!pod || seen.has(uidOf(pod))) continue;
      seen.add(uidOf(pod));
      pods.push(toNode(pod));
    }
    pods.sort((a, b) => collate(a.name, b.name));
    const ports = ((s.ports ?? []) as Array<{ port?: number; name?: string }>)
      .map((p) => String(p.port ?? ''))
      .join(',');
    return {
      id: uidOf(s),
      resource: XRAY_RESOURCES.endpointslices,
      kind: 'eps',
      name: s.metadata.name ?? '',
      namespace: s.metadata.namespace,
      status: eps.length && r === 0 ? 'Unhealthy' : 'Ready',
      ready: `${r}/${eps.length}`,
      info: ports ? `ports ${ports}` : '',
      object: s,
      children: pods,
    } satisfies XrayNode;
  });
  const selector = svc.spec?.selector && Object.keys(svc.spec.selector).length > 0;
  const status = !selector || svc.spec?.type === 'ExternalName' ? 'Ready' : ready > 0 ? 'Ready' : 'Unhealthy';
  const info = [
    svc.spec?.type ?? 'ClusterIP',
    svc.spec?.clusterIP ?? '',
    !selector ? 'no selector' : ready === 0 ? 'no ready endpoints' : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    id: uidOf(svc),
    resource: XRAY_RESOURCES.services,
    kind: 'svc',
    name: svc.metadata.name ?? '',
    namespace: svc.metadata.namespace,
    status,
    ready: `${ready}/${total}`,
    info,
    object: svc,
    children: sliceNodes,
  };
}

/** A node's line over the pods bound to it (in byName order). */
export function nodeNode(n: KObject, pods: XrayNode[]): XrayNode {
  const ready = condition(n, 'Ready');
  const pressure = (n.status?.conditions ?? [])
    .filter((c: { type?: string; status?: string }) => c.type !== 'Ready' && c.status === 'True')
    .map((c: { type: string }) => c.type);
  const status = ready?.status === 'True' ? (n.spec?.unschedulable ? 'Ready,SchedulingDisabled' : 'Ready') : 'NotReady';
  return {
    id: uidOf(n),
    resource: XRAY_RESOURCES.nodes,
    kind: 'node',
    name: n.metadata.name ?? '',
    status,
    ready: '',
    info: [`${pods.length} pods`, ...pressure].join(' · '),
    object: n,
    children: pods,
  };
}

function nodeTree(input: XrayInput): XrayNode[] {
  const podsByNode = new Map<string, KObject[]>();
  for (const p of input.pods ?? []) {
    const n = p.spec?.nodeName;
    if (!n) continue;
    let l = podsByNode.get(n);
    if (!l) podsByNode.set(n, (l = []));
    l.push(p);
  }
  return (input.nodes ?? [])
    .slice()
    .sort(byName)
    .map((n) => nodeNode(n, podsOf(podsByNode, n.metadata.name ?? '')));
}

/** The forest for a root kind, built from owner references (workloads), slices (services), nodeName (nodes). */
export function buildXray(root: XrayRoot, input: XrayInput): XrayNode[] {
  switch (root) {
    case 'deployments':
      return deploymentTree(input);
    case 'statefulsets':
    case 'daemonsets':
    case 'jobs':
      return podOwnerTree(root, input);
    case 'services':
      return serviceTree(input);
    case 'nodes':
      return nodeTree(input);
  }
}

export interface XrayLine {
  node: XrayNode;
  depth: number;
  /** Has children and they are hidden. */
  collapsed: boolean;
}

/** The visible lines, depth first; children of collapsed nodes are left out. */
export function flattenXray(forest: readonly XrayNode[], collapsed: ReadonlySet<string>): XrayLine[] {
  const out: XrayLine[] = [];
  const walk = (nodes: readonly XrayNode[], depth: number) => {
    for (const node of nodes) {
      const closed = node.children.length > 0 && collapsed.has(node.id);
      out.push({ node, depth, collapsed: closed });
      if (!closed) walk(node.children, depth + 1);
    }
  };
  walk(forest, 0);
  return out;
}

/** `  ▾ rs/web-5d9f`: indentation, an open/closed mark for nodes with children, kind/name. */
export function lineLabel(line: XrayLine): string {
  const mark = line.node.children.length === 0 ? '·' : line.collapsed ? '▸' : '▾';
  return `${'  '.repeat(line.depth)}${mark} ${line.node.kind}/${line.node.name}`;
}

/** Which `:xray` word names which root (k9s accepts the same short names). */
export function xrayRoot(word: string | undefined): XrayRoot | undefined {
  const w = (word ?? '').toLowerCase();
  if (['deploy', 'deployment', 'deployments', 'dp'].includes(w)) return 'deployments';
  if (['sts', 'statefulset', 'statefulsets'].includes(w)) return 'statefulsets';
  if (['ds', 'daemonset', 'daemonsets'].includes(w)) return 'daemonsets';
  if (['job', 'jobs'].includes(w)) return 'jobs';
  if (['svc', 'service', 'services'].includes(w)) return 'services';
  if (['no', 'node', 'nodes'].includes(w)) return 'nodes';
  return undefined;
}
