import { describe as suite, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { describe } from '../../source/describe/index.ts';
import { event, lines, NOW } from './fixtures.ts';

const template = {
  metadata: { labels: { app: 'web', 'pod-template-hash': 'b5cc7c54f' } },
  spec: {
    containers: [
      {
        name: 'nginx',
        image: 'nginx:1.25',
        ports: [
          { containerPort: 80, protocol: 'TCP' },
          { containerPort: 443, protocol: 'TCP' },
        ],
      },
    ],
    volumes: [{ name: 'conf', configMap: { name: 'web-conf' } }],
    nodeSelector: { disk: 'ssd' },
  },
};

const owned = (name: string, phase: string, owner: string): KObject => ({
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'default',
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: owner, controller: true }],
  },
  status: { phase },
});

suite('describe replicaset and daemonset', () => {
  it('renders a ReplicaSet with replica counts, pod phases and its template', () => {
    const rs: KObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-b5cc7c54f',
        namespace: 'default',
        uid: 'rs-uid',
        labels: { app: 'web', 'pod-template-hash': 'b5cc7c54f' },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': '3',
          'deployment.kubernetes.io/max-replicas': '4',
          'deployment.kubernetes.io/revision': '1',
        },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid', controller: true }],
      },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'b5cc7c54f' } }, template },
      status: { replicas: 3 },
    };
    const pods = [
      owned('a', 'Running', 'rs-uid'),
      owned('b', 'Running', 'rs-uid'),
      owned('c', 'Pending', 'rs-uid'),
      owned('d', 'Running', 'other'),
    ];
    const events = [
      event('SuccessfulCreate', 'Created pod: web-b5cc7c54f-lmswr', {
        from: 'replicaset-controller',
        first: 125,
        kind: 'ReplicaSet',
      }),
    ];
    expect(describe(rs, { now: NOW, events, related: { pods } })).toBe(`Name:           web-b5cc7c54f
Namespace:      default
Selector:       app=web,pod-template-hash=b5cc7c54f
Labels:         app=web
                pod-template-hash=b5cc7c54f
Annotations:    deployment.kubernetes.io/desired-replicas: 3
                deployment.kubernetes.io/max-replicas: 4
                deployment.kubernetes.io/revision: 1
Controlled By:  Deployment/web
Replicas:       3 current / 3 desired
Pods Status:    2 Running / 1 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=web
           pod-template-hash=b5cc7c54f
  Containers:
   nginx:
    Image:        nginx:1.25
    Ports:        80/TCP, 443/TCP
    Host Ports:   0/TCP, 0/TCP
    Environment:  <none>
    Mounts:       <none>
  Volumes:
   conf:
    Type:          ConfigMap (a volume populated by a ConfigMap)
    Name:          web-conf
    Optional:      false
  Node-Selectors:  disk=ssd
  Tolerations:     <none>
Events:
  Type    Reason            Age   From                   Message
  ----    ------            ----  ----                   -------
  Normal  SuccessfulCreate  2m5s  replicaset-controller  Created pod: web-b5cc7c54f-lmswr`);
  });

  it('renders a DaemonSet', () => {
    const ds: KObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'kube-system', uid: 'ds-uid', labels: { app: 'agent' } },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'busybox' }] } },
      },
      status: {
        desiredNumberScheduled: 2,
        currentNumberScheduled: 2,
        updatedNumberScheduled: 2,
        numberAvailable: 1,
        numberMisscheduled: 0,
      },
    };
    const out = lines(
      describe(ds, {
        now: NOW,
        events: [],
        related: { pods: [owned('a-1', 'Running', 'ds-uid'), owned('a-2', 'Failed', 'ds-uid')] },
      }),
    );
    expect(out.slice(0, 11)).toEqual([
      'Name:           agent',
      'Selector:       app=agent',
      'Node-Selector:  <none>',
      'Labels:         app=agent',
      'Annotations:    <none>',
      'Desired Number of Nodes Scheduled: 2',
      'Current Number of Nodes Scheduled: 2',
      'Number of Nodes Scheduled with Up-to-date Pods: 2',
      'Number of Nodes Scheduled with Available Pods: 1',
      'Number of Nodes Misscheduled: 0',
      'Pods Status:  1 Running / 0 Waiting / 0 Succeeded / 1 Failed',
    ]);
    expect(out.at(-1)).toBe('Events:            <none>');
  });
});

suite('describe namespace, configmap, secret and the generic describer', () => {
  it('renders a namespace without events', () => {
    const ns: KObject = {
      kind: 'Namespace',
      metadata: { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' } },
      status: { phase: 'Active' },
    };
    expect(describe(ns, { now: NOW, events: [event('X', 'y')] })).toBe(`Name:         default
Labels:       kubernetes.io/metadata.name=default
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.`);
  });

  it('hides secret values and shows config map data', () => {
    const secret: KObject = {
      kind: 'Secret',
      metadata: { name: 's', namespace: 'default' },
      type: 'Opaque',
      data: { password: Buffer.from('hunter22').toString('base64') },
    };
    expect(describe(secret, { now: NOW, events: [] })).toBe(`Name:         s
Namespace:    default
Labels:       <none>
Annotations:  <none>

Type:  Opaque

Data
====
password:  8 bytes`);
    const cm: KObject = {
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'default' },
      data: { 'app.conf': 'a=1\nb=2' },
    };
    expect(describe(cm, { now: NOW, events: [] })).toContain(
      '\nData\n====\napp.conf:\n----\na=1\nb=2\n\n\nBinaryData\n====\n\nEvents:  <none>',
    );
  });

  it('prints any other kind as a tree of its fields', () => {
    const run: KObject = {
      apiVersion: 'example.com/v1',
      kind: 'PiRun',
      metadata: {
        name: 'pi',
        namespace: 'default',
        uid: 'j1',
        creationTimestamp: '2026-11-26T05:00:00Z',
        resourceVersion: '42',
        labels: { a: 'b' },
        managedFields: [{ manager: 'x' }],
      },
      spec: {
        backoffLimit: 4,
        template: {
          metadata: { creationTimestamp: null },
          spec: { containers: [{ name: 'pi', image: 'perl', command: ['perl', '-e'] }] },
        },
      },
      status: { active: 1, 'odd-key.io/x': true },
    };
    const events = [
      event('SuccessfulCreate', 'Created pod: pi-abcde', {
        from: 'job-controller',
        first: 30,
        kind: 'PiRun',
        name: 'pi',
      }),
    ];
    expect(describe(run, { now: NOW, events })).toBe(`Name:         pi
Namespace:    default
Labels:       a=b
Annotations:  <none>
API Version:  example.com/v1
Kind:         PiRun
Metadata:
  Creation Timestamp:  2026-11-26T05:00:00Z
  Resource Version:    42
  UID:                 j1
Spec:
  Backoff Limit:  4
  Template:
    Metadata:
      Creation Timestamp:  <nil>
    Spec:
      Containers:
        Command:
          perl
          -e
        Image:  perl
        Name:   pi
Status:
  Active:        1
  odd-key.io/x:  true
Events:
  Type    Reason            Age   From            Message
  ----    ------            ----  ----            -------
  Normal  SuccessfulCreate  30s   job-controller  Created pod: pi-abcde`);
  });
});
