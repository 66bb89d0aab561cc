import type { KObject } from '../../../source/api-types/index.ts';
import { FakeClock } from '../../../source/engine/clock.ts';
import type { EngineConfig, EngineContext } from '../../../source/engine/context.ts';
import { EventRecorder } from '../../../source/engine/events.ts';
import { createRegistry } from '../../../source/engine/resources/index.ts';
import { installServiceAllocations } from '../../../source/engine/services/allocations.ts';
import { Store } from '../../../source/engine/store/store.ts';

export const testConfig: EngineConfig = {
  home: '/nonexistent',
  host: '127.0.0.1',
  port: 0,
  token: 't',
  timeScale: 1,
  serviceCIDR: '127.96.0.0/16',
  nodePortRange: [30000, 32767],
  nodes: [
    {
      name: 'master',
      role: 'control-plane',
      ip: '127.0.1.1',
      podCIDR: '127.244.0.0/24',
      cpu: '2',
      memory: '2Gi',
      pods: '110',
    },
    { name: 'node1', role: 'worker', ip: '127.0.1.2', podCIDR: '127.244.1.0/24', cpu: '2', memory: '2Gi', pods: '110' },
    { name: 'node2', role: 'worker', ip: '127.0.1.3', podCIDR: '127.244.2.0/24', cpu: '2', memory: '2Gi', pods: '110' },
  ],
  pullDelayMs: 0,
  podEvictionSeconds: 300,
  nodeLeaseSeconds: 40,
};

/** A store with the default namespace and service allocation, and a context around it. */
export function testContext(path?: string, clock = new FakeClock()): EngineContext & { clock: FakeClock } {
  const store = new Store(createRegistry(), clock, { path });
  if (!store.get('namespaces', undefined, 'default')) store.create('namespaces', { metadata: { name: 'default' } });
  installServiceAllocations(store, testConfig);
  return { store, clock, config: testConfig, recorder: new EventRecorder(store, clock), log: () => {} };
}

export interface PodOpts {
  labels?: Record<string, string>;
  ip?: string;
  ready?: boolean;
  node?: string;
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  annotations?: Record<string, string>;
}

/** Create a pod and give it the status a kubelet would: an IP, Running, Ready or not. */
export function runPod(store: Store, name: string, o: PodOpts = {}): KObject {
  store.create('pods', {
    metadata: { name, namespace: 'default', labels: o.labels ?? { app: 'web' }, annotations: o.annotations },
    spec: {
      nodeName: o.node ?? 'node1',
      containers: [{ name: 'c', image: 'nginx', ports: o.ports ?? [{ containerPort: 80 }] }],
    },
  });
  return setPodStatus(store, name, o.ip ?? '127.244.1.10', o.ready ?? true);
}

export function setPodStatus(store: Store, name: string, ip: string, ready: boolean): KObject {
  return store.mutate(
    'pods',
    'default',
    name,
    (p) => {
      p.status = {
        ...p.status,
        phase: 'Running',
        podIP: ip,
        podIPs: [{ ip }],
        conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      };
    },
    { subresource: 'status' },
  );
}

export const tick = () => new Promise((r) => setImmediate(r));
