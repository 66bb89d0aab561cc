import type { EventObject } from '../../../source/api-types/event.ts';
import type { KObject } from '../../../source/api-types/index.ts';
import { FakeClock, rfc3339 } from '../../../source/engine/clock.ts';
import type { Component, EngineConfig, EngineContext, NodeConfig } from '../../../source/engine/context.ts';
import { EventRecorder } from '../../../source/engine/events.ts';
import { createRegistry } from '../../../source/engine/resources/index.ts';
import { Store } from '../../../source/engine/store/store.ts';

/**
 * A store, a fake clock and the components under test, plus a tiny stand-in for the kubelet:
 * bound pods become Running and Ready (unless `kubelet.ready` says no), terminating pods on a
 * node go away. Node names in `kubelet.down` are ignored by it, as a stopped node would be.
 */
export interface Cluster {
  store: Store;
  clock: FakeClock;
  ctx: EngineContext;
  components: Component[];
  kubelet: { ready: (pod: KObject) => boolean; down: Set<string>; enabled: boolean };
  settle(): Promise<void>;
  /** Move the clock forward in steps, settling after each. */
  advance(ms: number, step?: number): Promise<void>;
  stop(): void;
}

export const WORKER = { cpu: '4', memory: '8Gi', pods: '110' };

export function nodeObject(
  name: string,
  opts: { controlPlane?: boolean; cpu?: string; memory?: string; pods?: string } = {},
  now = Date.now(),
): KObject {
  const t = rfc3339(now);
  const res = { cpu: opts.cpu ?? WORKER.cpu, memory: opts.memory ?? WORKER.memory, pods: opts.pods ?? WORKER.pods };
  return {
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        ...(opts.controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}),
      },
    },
    spec: opts.controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
    status: {
      capacity: res,
      allocatable: res,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          lastHeartbeatTime: t,
          lastTransitionTime: t,
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
    },
  };
}

export const CONFIG: EngineConfig = {
  home: '/tmp/skiff-test',
  host: '127.0.0.1',
  port: 0,
  token: 't',
  timeScale: 1,
  serviceCIDR: '127.96.0.0/16',
  nodePortRange: [30000, 32767],
  nodes: [],
  pullDelayMs: 0,
  podEvictionSeconds: 30,
  nodeLeaseSeconds: 40,
};

const NODE_DEFAULTS: NodeConfig = {
  name: '',
  role: 'worker',
  ip: '127.0.1.9',
  podCIDR: '127.244.9.0/24',
  cpu: '4',
  memory: '8Gi',
  pods: '110',
};

export async function startCluster(
  make: (store: Store) => Component[],
  opts: { nodes?: KObject[]; config?: Partial<EngineConfig>; clock?: FakeClock } = {},
): Promise<Cluster> {
  const clock = opts.clock ?? new FakeClock();
  const store = new Store(createRegistry(), clock);
  for (const ns of ['default', 'kube-system', 'kube-node-lease'])
    store.create('namespaces', { metadata: { name: ns } });
  const nodes = opts.nodes ?? [
    nodeObject('master', { controlPlane: true }, clock.now()),
    nodeObject('node1', {}, clock.now()),
    nodeObject('node2', {}, clock.now()),
  ];
  for (const n of nodes) {
    const created = store.create('nodes', { metadata: n.metadata, spec: n.spec });
    store.update('nodes', { ...structuredClone(created), status: n.status }, { subresource: 'status' });
  }
  const ctx: EngineContext = {
    store,
    clock,
    // Every node the harness creates has a kubelet (the harness plays it), unless told otherwise.
    config: { ...CONFIG, nodes: nodes.map((n) => ({ ...NODE_DEFAULTS, name: n.metadata.name! })), ...opts.config },
    recorder: new EventRecorder(store, clock),
    log: () => {},
  };
  const components = make(store);
  for (const c of components) await c.start(ctx);
  const kubelet = { ready: (_p: KObject) => true, down: new Set<string>(), enabled: true };

  const idle = () => components.every((c) => (c as unknown as { idle?: () => boolean }).idle?.() ?? true);
  const kubeletStep = (): boolean => {
    if (!kubelet.enabled) return false;
    let changed = false;
    for (const pod of store.list('pods').items) {
      const node = pod.spec?.nodeName;
      if (!node || kubelet.down.has(node)) continue;
      if (pod.metadata.deletionTimestamp) {
        store.forceRemove('pods', pod.metadata.namespace, pod.metadata.name!);
        changed = true;
      } else if (pod.status?.phase === 'Pending' && kubelet.ready(pod)) {
        store.mutate('pods', pod.metadata.namespace, pod.metadata.name!, (p) => runningStatus(p, clock.now()), {
          subresource: 'status',
        });
        changed = true;
      }
    }
    return changed;
  };
  const tick = () => new Promise((r) => setImmediate(r));
  const settle = async () => {
    for (let i = 0; i < 100_000; i++) {
      await tick();
      if (!idle()) continue;
      if (kubeletStep()) continue;
      await tick();
      if (idle()) return;
    }
    throw new Error('cluster did not settle');
  };
  return {
    store,
    clock,
    ctx,
    components,
    kubelet,
    settle,
    async advance(ms, step = 1000) {
      for (let done = 0; done < ms; done += step) {
        clock.advance(Math.min(step, ms - done));
        await settle();
      }
    },
    stop() {
      for (const c of components) c.stop();
    },
  };
}

export function runningStatus(p: KObject, now: number): void {
  const t = rfc3339(now);
  p.status = {
    ...p.status,
    phase: 'Running',
    startTime: t,
    conditions: [
      ...(p.status?.conditions ?? []).filter((c: any) => c.type === 'PodScheduled'),
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: t },
    ],
    containerStatuses: (p.spec.containers ?? []).map((c: any) => ({
      name: c.name,
      image: c.image,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: t } },
    })),
  };
}

export function deployment(
  name: string,
  opts: { replicas?: number; image?: string; strategy?: any; annotations?: Record<string, string>; spec?: any } = {},
): KObject {
  return {
    metadata: {
      name,
      namespace: 'default',
      labels: { app: name },
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
    },
    spec: {
      replicas: opts.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'nginx', image: opts.image ?? 'nginx' }] },
      },
      ...(opts.strategy ? { strategy: opts.strategy } : {}),
      ...opts.spec,
    },
  };
}

/** Pods of an app that are not being deleted. */
export function livePods(store: Store, app: string, ns = 'default'): KObject[] {
  return store
    .list('pods', { namespace: ns, labelSelector: `app=${app}` })
    .items.filter((p) => !p.metadata.deletionTimestamp);
}

export function events(store: Store, name?: string): EventObject[] {
  return store.list('events').items.filter((e: EventObject) => !name || e.involvedObject?.name === name);
}
