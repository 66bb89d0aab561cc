import { describe as suite, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { describe } from '../../source/describe/index.ts';
import { splitReplicaSets } from '../../source/describe/deployment.ts';
import { ago, event, lines, NOW } from './fixtures.ts';

const template = (image: string, hash?: string) => ({
  metadata: { creationTimestamp: null, labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: {
    containers: [
      {
        name: 'nginx',
        image,
        resources: {},
        terminationMessagePath: '/dev/termination-log',
        imagePullPolicy: 'IfNotPresent',
      },
    ],
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
  },
});

function deployment(image = 'nginx:1.26'): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'dep-uid',
      creationTimestamp: '2026-11-26T05:27:33Z',
      labels: { app: 'web' },
      annotations: { 'deployment.kubernetes.io/revision': '2' },
    },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: template(image),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      replicas: 4,
      updatedReplicas: 2,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
      ],
    },
  };
}

function rs(name: string, hash: string, image: string, replicas: number, created: number, owner = 'dep-uid'): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: `${name}-uid`,
      creationTimestamp: ago(created),
      labels: { app: 'web', 'pod-template-hash': hash },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true }],
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } },
      template: template(image, hash),
    },
    status: { replicas },
  };
}

suite('describe deployment', () => {
  it('matches the kubectl 1.32 transcript byte for byte', () => {
    const d: KObject = {
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: 'default',
        uid: 'dep-uid',
        creationTimestamp: '2026-11-26T05:27:33Z',
        labels: { app: 'web' },
        annotations: { 'deployment.kubernetes.io/revision': '1' },
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
        },
      },
      status: {
        replicas: 2,
        updatedReplicas: 2,
        availableReplicas: 2,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
        ],
      },
    };
    const replicaSets = [
      {
        ...rs('web-b5cc7c54f', 'b5cc7c54f', 'nginx:1.25', 2, 10),
        spec: {
          replicas: 2,
          template: {
            metadata: { labels: { app: 'web', 'pod-template-hash': 'b5cc7c54f' } },
            spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
          },
        },
      },
    ];
    const events = [
      event('ScalingReplicaSet', 'Scaled up replica set web-b5cc7c54f to 2', {
        from: 'deployment-controller',
        first: 2,
        kind: 'Deployment',
      }),
    ];
    expect(describe(d, { now: NOW, events, related: { replicaSets } })).toBe(`Name:               web
Namespace:          default
CreationTimestamp:  Thu, 26 Nov 2026 05:27:33 +0000
Labels:             app=web
Annotations:        deployment.kubernetes.io/revision: 1
Selector:           app=web
Replicas:           2 desired | 2 updated | 2 total | 2 available | 0 unavailable
StrategyType:       
MinReadySeconds:    0
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:         nginx:1.25
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  <none>
NewReplicaSet:   web-b5cc7c54f (2/2 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  2s    deployment-controller  Scaled up replica set web-b5cc7c54f to 2`);
  });

  it('shows a rollout in progress with old and new ReplicaSets', () => {
    const replicaSets = [
      rs('web-6d4cf56db6', '6d4cf56db6', 'nginx:1.26', 2, 30),
      rs('web-b5cc7c54f', 'b5cc7c54f', 'nginx:1.25', 2, 600),
      rs('web-0ld', '0ld', 'nginx:1.24', 0, 900),
      rs('other-rs', 'zzz', 'nginx:1.26', 1, 40, 'someone-else'),
    ];
    const events = [
      event('ScalingReplicaSet', 'Scaled up replica set web-b5cc7c54f to 3', {
        from: 'deployment-controller',
        first: 600,
        kind: 'Deployment',
      }),
      event('ScalingReplicaSet', 'Scaled up replica set web-6d4cf56db6 to 1', {
        from: 'deployment-controller',
        first: 30,
        kind: 'Deployment',
      }),
      event('ScalingReplicaSet', 'Scaled down replica set web-b5cc7c54f to 2 from 3', {
        from: 'deployment-controller',
        first: 20,
        kind: 'Deployment',
      }),
      event('ScalingReplicaSet', 'Scaled up replica set web-6d4cf56db6 to 2 from 1', {
        from: 'deployment-controller',
        first: 20,
        kind: 'Deployment',
      }),
    ];
    const text = describe(deployment(), { now: NOW, events, related: { replicaSets } });
    const out = lines(text);
    expect(out.slice(0, 11)).toEqual([
      'Name:                   web',
      'Namespace:              default',
      'CreationTimestamp:      Thu, 26 Nov 2026 05:27:33 +0000',
      'Labels:                 app=web',
      'Annotations:            deployment.kubernetes.io/revision: 2',
      'Selector:               app=web',
      'Replicas:               3 desired | 2 updated | 4 total | 3 available | 1 unavailable',
      'StrategyType:           RollingUpdate',
      'MinReadySeconds:        0',
      'RollingUpdateStrategy:  25% max unavailable, 25% max surge',
      'Pod Template:',
    ]);
    expect(text).toContain(`Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    ReplicaSetUpdated
OldReplicaSets:  web-0ld (0/0 replicas created), web-b5cc7c54f (2/2 replicas created)
NewReplicaSet:   web-6d4cf56db6 (2/2 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  10m   deployment-controller  Scaled up replica set web-b5cc7c54f to 3
  Normal  ScalingReplicaSet  30s   deployment-controller  Scaled up replica set web-6d4cf56db6 to 1
  Normal  ScalingReplicaSet  20s   deployment-controller  Scaled down replica set web-b5cc7c54f to 2 from 3
  Normal  ScalingReplicaSet  20s   deployment-controller  Scaled up replica set web-6d4cf56db6 to 2 from 1`);
  });

  it('matches the new ReplicaSet by template, ignoring the hash label and empty fields', () => {
    const d = deployment('nginx:1.25');
    const a = rs('web-a', 'a', 'nginx:1.25', 1, 100);
    a.spec.template.spec.hostNetwork = false;
    a.spec.template.spec.volumes = [];
    const b = rs('web-b', 'b', 'nginx:1.26', 1, 50);
    expect(splitReplicaSets(d, [b, a]).newRS?.metadata.name).toBe('web-a');
    expect(splitReplicaSets(d, [b]).newRS).toBeUndefined();
    expect(describe(d, { now: NOW, events: [] })).not.toContain('OldReplicaSets');
  });
});
