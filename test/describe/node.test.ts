import { describe as suite, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { describe } from '../../source/describe/index.ts';
import { ago, event, lines, NOW } from './fixtures.ts';

function node(): KObject {
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: ago(20),
    lastTransitionTime: '2026-11-26T00:00:00Z',
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: 'worker-1',
      uid: 'node-uid',
      creationTimestamp: '2026-11-26T00:00:00Z',
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': 'worker-1',
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/worker': '',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: {
      podCIDR: '10.244.1.0/24',
      podCIDRs: ['10.244.1.0/24'],
      unschedulable: true,
      taints: [
        { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: ago(60) },
        { key: 'dedicated', value: 'gpu', effect: 'NoExecute' },
      ],
    },
    status: {
      capacity: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0' },
      allocatable: { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0' },
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: '172.18.0.3' },
        { type: 'Hostname', address: 'worker-1' },
      ],
      nodeInfo: {
        machineID: 'm1',
        systemUUID: 's1',
        bootID: 'b1',
        kernelVersion: '6.1.0',
        osImage: 'skiff',
        operatingSystem: 'linux',
        architecture: 'amd64',
        containerRuntimeVersion: 'skiff://0.1.0',
        kubeletVersion: 'v1.32.4',
        kubeProxyVersion: 'v1.32.4',
      },
    },
  };
}

const pod = (name: string, resources: Record<string, any>, phase = 'Running', ns = 'default'): KObject => ({
  kind: 'Pod',
  metadata: { name, namespace: ns, creationTimestamp: ago(3600) },
  spec: { nodeName: 'worker-1', containers: [{ name: 'c', image: 'nginx', resources }] },
  status: { phase },
});

suite('describe node', () => {
  it('renders a cordoned, tainted node with its pods and allocated resources', () => {
    const pods = [
      pod('web-1', { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } }),
      pod(
        'coredns-x',
        { requests: { cpu: '100m', memory: '70Mi' }, limits: { memory: '170Mi' } },
        'Running',
        'kube-system',
      ),
      pod('done', { requests: { cpu: '1' } }, 'Succeeded'),
    ];
    const events = [
      event('NodeNotSchedulable', 'Node worker-1 status is now: NodeNotSchedulable', {
        first: 60,
        kind: 'Node',
        name: 'worker-1',
      }),
    ];
    const lease: KObject = {
      kind: 'Lease',
      metadata: { name: 'worker-1', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'worker-1', renewTime: '2026-11-26T05:37:30.000000Z' },
    };
    const text = describe(node(), { now: NOW, events, related: { pods, leases: [lease] } });
    expect(text).toBe(`Name:               worker-1
Roles:              worker
Labels:             kubernetes.io/arch=amd64
                    kubernetes.io/hostname=worker-1
                    kubernetes.io/os=linux
                    node-role.kubernetes.io/worker=
Annotations:        node.alpha.kubernetes.io/ttl: 0
CreationTimestamp:  Thu, 26 Nov 2026 00:00:00 +0000
Taints:             dedicated=gpu:NoExecute
                    node.kubernetes.io/unschedulable:NoSchedule
Unschedulable:      true
Lease:
  HolderIdentity:  worker-1
  AcquireTime:     <unset>
  RenewTime:       Thu, 26 Nov 2026 05:37:30 +0000
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Thu, 26 Nov 2026 05:37:13 +0000   Thu, 26 Nov 2026 00:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  Ready            True    Thu, 26 Nov 2026 05:37:13 +0000   Thu, 26 Nov 2026 00:00:00 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  172.18.0.3
  Hostname:    worker-1
Capacity:
  cpu:                4
  ephemeral-storage:  100Gi
  hugepages-2Mi:      0
  memory:             8Gi
  pods:               110
Allocatable:
  cpu:                4
  ephemeral-storage:  100Gi
  hugepages-2Mi:      0
  memory:             8Gi
  pods:               110
System Info:
  Machine ID:                 m1
  System UUID:                s1
  Boot ID:                    b1
  Kernel Version:             6.1.0
  OS Image:                   skiff
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  skiff://0.1.0
  Kubelet Version:            v1.32.4
  Kube-Proxy Version:         v1.32.4
PodCIDR:                      10.244.1.0/24
PodCIDRs:                     10.244.1.0/24
Non-terminated Pods:          (2 in total)
  Namespace                   Name         CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----         ------------  ----------  ---------------  -------------  ---
  default                     web-1        250m (6%)     500m (12%)  64Mi (0%)        128Mi (1%)     60m
  kube-system                 coredns-x    100m (2%)     0 (0%)      70Mi (0%)        170Mi (2%)     60m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests    Limits
  --------           --------    ------
  cpu                350m (8%)   500m (12%)
  memory             134Mi (1%)  298Mi (3%)
  ephemeral-storage  0 (0%)      0 (0%)
  hugepages-2Mi      0 (0%)      0 (0%)
Events:
  Type    Reason              Age   From     Message
  ----    ------              ----  ----     -------
  Normal  NodeNotSchedulable  60s   kubelet  Node worker-1 status is now: NodeNotSchedulable`);
  });

  it('leaves the lease out when not fetched and prints <none> for empty parts', () => {
    const n = node();
    delete n.spec.taints;
    n.spec.unschedulable = undefined;
    n.metadata.labels = {};
    const out = lines(describe(n, { now: NOW, events: [] }));
    expect(out.slice(0, 7)).toEqual([
      'Name:               worker-1',
      'Roles:              <none>',
      'Labels:             <none>',
      'Annotations:        node.alpha.kubernetes.io/ttl: 0',
      'CreationTimestamp:  Thu, 26 Nov 2026 00:00:00 +0000',
      'Taints:             <none>',
      'Unschedulable:      false',
    ]);
    expect(out[7]).toBe('Conditions:');
    expect(out.at(-1)).toBe('Events:              <none>');
    expect(out).toContain('Non-terminated Pods:          (0 in total)');
  });
});
