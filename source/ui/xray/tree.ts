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

const uidOf = (o: KObject) => o.metadata.uid ?? `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
const byName = (a: KObject, b: KObject) =>
  (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
  (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');

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

const revision = (o: KObject) => Number(o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);

function podsOf(owners: Map<string, KObject[]>, uid: string): XrayNode[] {
  return (owners.get(uid) ?? []).slice().sort(byName).map(podNode);
}

function deploymentTree(input: XrayInput): XrayNode[] {
  const rsByOwner = byOwner(input.replicasets);
  const podsByOwner = byOwner(input.pods);
  return (input.deployments ?? [])
    .slice()
    .sort(byName)
    .map((d) => {
      // Newest revision first: the one a rollout is moving to.
      const sets = (rsByOwner.get(uidOf(d)) ?? []).slice().sort((a, b) => revision(b) - revision(a) || byName(a, b));
      const rsNodes = sets.map((rs) => {
        const info = `revision ${revision(rs) || '?'}`;
        return workloadNode(
          rs,
          'rs',
          XRAY_RESOURCES.replicasets,
          rs.status?.readyReplicas ?? 0,
          rs.spec?.replicas ?? 0,
          info,
          podsOf(podsByOwner, uidOf(rs)),
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
    });
}

function podOwnerTree(
  list: readonly KObject[] | undefined,
  pods: readonly KObject[] | undefined,
  kind: string,
  resource: string,
  counts: (o: KObject) => [number, number, string],
): XrayNode[] {
  const podsByOwner = byOwner(pods);
  return (list ?? [])
    .slice()
    .sort(byName)
    .map((o) => {
      const [ready, desired, info] = counts(o);
      return workloadNode(o, kind, resource, ready, desired, info, podsOf(podsByOwner, uidOf(o)));
    });
}

interface SliceEndpoint {
  conditions?: { ready?: boolean };
  targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string };
}

function serviceTree(input: XrayInput): XrayNode[] {
  const slicesByService = new Map<string, KObject[]>();
  for (const s of input.endpointslices ?? []) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name'];
    if (!svc) continue;
    const key = `${s.metadata.namespace}/${svc}`;
    let l = slicesByService.get(key);
    if (!l) slicesByService.set(key, (l = []));
    l.push(s);
  }
  const podsByKey = new Map<string, KObject>();
  for (const p of input.pods ?? []) {
    podsByKey.set(uidOf(p), p);
    podsByKey.set(`${p.metadata.namespace}/${p.metadata.name}`, p);
  }
  return (input.services ?? [])
    .slice()
    .sort(byName)
    .map((svc) => {
      const slices = (slicesByService.get(`${svc.metadata.namespace}/${svc.metadata.name}`) ?? []).slice().sort(byName);
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
          const pod =
            (ref.uid && podsByKey.get(ref.uid)) ||
            podsByKey.get(`${ref.namespace ?? s.metadata.namespace}/${ref.name}`);
          if (!pod || seen.has(uidOf(pod))) continue;
          seen.add(uidOf(pod));
          pods.push(podNode(pod));
        }
        pods.sort((a, b) => a.name.localeCompare(b.name));
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
    });
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
    .map((n) => {
      const ready = condition(n, 'Ready');
      const pressure = (n.status?.conditions ?? [])
        .filter((c: { type?: string; status?: string }) => c.type !== 'Ready' && c.status === 'True')
        .map((c: { type: string }) => c.type);
      const status =
        ready?.status === 'True' ? (n.spec?.unschedulable ? 'Ready,SchedulingDisabled' : 'Ready') : 'NotReady';
      const pods = (podsByNode.get(n.metadata.name ?? '') ?? []).slice().sort(byName).map(podNode);
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
      } satisfies XrayNode;
    });
}

/** The forest for a root kind, built from owner references (workloads), slices (services), nodeName (nodes). */
export function buildXray(root: XrayRoot, input: XrayInput): XrayNode[] {
  switch (root) {
    case 'deployments':
      return deploymentTree(input);
    case 'statefulsets':
      return podOwnerTree(input.statefulsets, input.pods, 'sts', XRAY_RESOURCES.statefulsets, (o) => [
        o.status?.readyReplicas ?? 0,
        o.spec?.replicas ?? 1,
        `revision ${o.status?.updateRevision ?? ''}`.trim(),
      ]);
    case 'daemonsets':
      return podOwnerTree(input.daemonsets, input.pods, 'ds', XRAY_RESOURCES.daemonsets, (o) => [
        o.status?.numberReady ?? 0,
        o.status?.desiredNumberScheduled ?? 0,
        `${o.status?.updatedNumberScheduled ?? 0} updated`,
      ]);
    case 'jobs':
      return podOwnerTree(input.jobs, input.pods, 'job', XRAY_RESOURCES.jobs, (o) => {
        const failed = condition(o, 'Failed')?.status === 'True';
        return [
          o.status?.succeeded ?? 0,
          o.spec?.completions ?? 1,
          failed ? `Failed: ${condition(o, 'Failed')?.reason ?? ''}` : `${o.status?.active ?? 0} active`,
        ];
      });
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
