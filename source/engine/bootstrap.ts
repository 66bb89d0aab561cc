import type { KObject } from '../api-types/index.ts';
import { rfc3339 } from './clock.ts';
import type { EngineContext, NodeConfig } from './context.ts';
import { VERSION_INFO } from './api/server.ts';
import { ensureKubernetesService } from './services/kubernetes-service.ts';
import { ensureSystemWorkloads } from './controllers/system-workloads.ts';

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function ensure(ctx: EngineContext, resource: string, obj: KObject): void {
  if (!ctx.store.get(resource, obj.metadata.namespace, obj.metadata.name!)) ctx.store.create(resource, obj);
}

export function nodeObject(n: NodeConfig, now: number): KObject {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
    ...(n.role === 'control-plane'
      ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' }
      : {}),
    ...(n.labels ?? {}),
  };
  const ts = rfc3339(now);
  const resources = { cpu: n.cpu, memory: n.memory, pods: n.pods, 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0' };
  return {
    metadata: {
      name: n.name,
      labels,
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: n.podCIDR, podCIDRs: [n.podCIDR], ...(n.taints?.length ? { taints: n.taints } : {}) },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
        ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
      ].map(([type, status, reason, message]) => ({
        type,
        status,
        reason,
        message,
        lastHeartbeatTime: ts,
        lastTransitionTime: ts,
      })),
      addresses: [
        { type: 'InternalIP', address: n.ip },
        { type: 'Hostname', address: n.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: n.name.padEnd(32, '0').slice(0, 32),
        systemUUID: n.name,
        bootID: n.name,
        kernelVersion: 'skiff',
        osImage: 'skiff local node',
        containerRuntimeVersion: 'skiff://0.1.0',
        kubeletVersion: VERSION_INFO.gitVersion,
        kubeProxyVersion: VERSION_INFO.gitVersion,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

/** Create what a fresh cluster has: system namespaces, nodes, default service accounts. Idempotent. */
export function bootstrap(ctx: EngineContext): void {
  for (const ns of SYSTEM_NAMESPACES) ensure(ctx, 'namespaces', { metadata: { name: ns } });
  for (const n of ctx.config.nodes) {
    if (!ctx.store.get('nodes', undefined, n.name)) {
      const created = ctx.store.create('nodes', nodeObject(n, ctx.clock.now()));
      // Node status arrives through the status subresource, as a kubelet registers it.
      ctx.store.update(
        'nodes',
        { ...structuredClone(created), status: nodeObject(n, ctx.clock.now()).status },
        { subresource: 'status' },
      );
    }
  }
  for (const ns of SYSTEM_NAMESPACES) ensure(ctx, 'serviceaccounts', { metadata: { name: 'default', namespace: ns } });
  for (const name of ['coredns', 'kube-proxy'])
    ensure(ctx, 'serviceaccounts', { metadata: { name, namespace: 'kube-system' } });
  ensureKubernetesService(ctx.store, ctx.config, ctx.config.port);
  ensureSystemWorkloads(ctx.store);
}
