import { describe as suite, expect, it } from 'vitest';
import { describe } from '../../source/describe/index.ts';
import type { KObject } from '../../source/api-types/index.ts';
import { ago, event, lines, NOW } from './fixtures.ts';

// The pod from the kubectl 1.32 transcript in shared/k8s-api-observed.txt.
function observedPod(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-b5cc7c54f-lmswr',
      namespace: 'default',
      uid: '73fd8b5b-d8f1-4c98-9dce-2b49a07fbd46',
      labels: { app: 'web', 'pod-template-hash': 'b5cc7c54f' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-b5cc7c54f', uid: 'rs-uid', controller: true },
      ],
    },
    spec: { nodeName: 'worker-1', containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
    status: {
      phase: 'Running',
      hostIP: '172.18.0.3',
      podIP: '10.244.1.10',
      podIPs: [{ ip: '10.244.1.10' }],
      startTime: '2026-11-26T05:27:33Z',
      qosClass: 'BestEffort',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
        (type) => ({ type, status: 'True' }),
      ),
      containerStatuses: [
        {
          name: 'nginx',
          ready: true,
          restartCount: 0,
          image: 'nginx:1.25',
          imageID: 'docker.io/library/nginx:1.25@sha256:0000',
          containerID: 'containerd://e2acc4d3c608212ceafc19b58d0615e52dc8f8a2ee9734cd0cf4bf9f845bbfef',
          state: { running: { startedAt: '2026-11-26T05:27:33Z' } },
        },
      ],
    },
  };
}

suite('describe pod', () => {
  it('matches the kubectl 1.32 transcript byte for byte', () => {
    const events = [
      event('Scheduled', 'Successfully assigned default/web-b5cc7c54f-lmswr to worker-1', {
        from: 'default-scheduler',
        first: 1,
      }),
      event('Created', 'Created container nginx', { first: 1 }),
      event('Started', 'Started container nginx', { first: 1 }),
      event('Pulled', 'Container image "nginx:1.25" already present on machine', { first: 1 }),
    ];
    const expected = `Name:         web-b5cc7c54f-lmswr
Namespace:    default
Node:         worker-1/172.18.0.3
Start Time:   Thu, 26 Nov 2026 05:27:33 +0000
Labels:       app=web
              pod-template-hash=b5cc7c54f
Annotations:  <none>
Status:       Running
IP:           10.244.1.10
IPs:
  IP:           10.244.1.10
Controlled By:  ReplicaSet/web-b5cc7c54f
Containers:
  nginx:
    Container ID:   containerd://e2acc4d3c608212ceafc19b58d0615e52dc8f8a2ee9734cd0cf4bf9f845bbfef
    Image:          nginx:1.25
    Image ID:       docker.io/library/nginx:1.25@sha256:0000
    Port:           <none>
    Host Port:      <none>
    State:          Running
      Started:      Thu, 26 Nov 2026 05:27:33 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:         <none>
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:                      <none>
QoS Class:                    BestEffort
Node-Selectors:               <none>
Tolerations:                  <none>
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  1s    default-scheduler  Successfully assigned default/web-b5cc7c54f-lmswr to worker-1
  Normal  Created    1s    kubelet            Created container nginx
  Normal  Started    1s    kubelet            Started container nginx
  Normal  Pulled     1s    kubelet            Container image "nginx:1.25" already present on machine`;
    expect(describe(observedPod(), { now: NOW, events })).toBe(expected);
  });

  it('renders a full Running nginx pod owned by a ReplicaSet, with its events', () => {
    const events = [
      event('Scheduled', 'Successfully assigned default/nginx-7c5ddbdf54-x8k2p to worker-1', {
        from: 'default-scheduler',
        first: 300,
      }),
      event('Pulling', 'Pulling image "nginx:1.25"', { first: 299 }),
      event('Pulled', 'Successfully pulled image "nginx:1.25" in 1.2s', { first: 292 }),
      event('Created', 'Created container nginx', { first: 291 }),
      event('Started', 'Started container nginx', { first: 290 }),
    ];
    const text = describe(nginxPod(), { now: NOW, events });
    expect(text).toBe(`Name:             nginx-7c5ddbdf54-x8k2p
Namespace:        default
Priority:         0
Service Account:  default
Node:             worker-1/172.18.0.3
Start Time:       Thu, 26 Nov 2026 05:32:33 +0000
Labels:           app=nginx
                  pod-template-hash=7c5ddbdf54
Annotations:      <none>
Status:           Running
IP:               10.244.1.7
IPs:
  IP:           10.244.1.7
Controlled By:  ReplicaSet/nginx-7c5ddbdf54
Containers:
  nginx:
    Container ID:   containerd://4f1c
    Image:          nginx:1.25
    Image ID:       docker.io/library/nginx@sha256:abc
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Thu, 26 Nov 2026 05:32:43 +0000
    Ready:          True
    Restart Count:  0
    Limits:
      cpu:     500m
      memory:  128Mi
    Requests:
      cpu:      100m
      memory:   64Mi
    Liveness:   http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3
    Readiness:  tcp-socket :80 delay=5s timeout=1s period=10s #success=1 #failure=3
    Environment:
      MODE:    prod
      POD_IP:  10.244.1.7 (v1:status.podIP)
      PASS:    <set to the key 'password' in secret 'db'>  Optional: false
    Mounts:
      /data from data (rw)
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-abcde (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  data:
    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:     
    SizeLimit:  <unset>
  kube-api-access-abcde:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   Burstable
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age    From               Message
  ----    ------     ----   ----               -------
  Normal  Scheduled  5m     default-scheduler  Successfully assigned default/nginx-7c5ddbdf54-x8k2p to worker-1
  Normal  Pulling    4m59s  kubelet            Pulling image "nginx:1.25"
  Normal  Pulled     4m52s  kubelet            Successfully pulled image "nginx:1.25" in 1.2s
  Normal  Created    4m51s  kubelet            Created container nginx
  Normal  Started    4m50s  kubelet            Started container nginx`);
  });

  it('shows Last State, Waiting reason and repeated BackOff events for a CrashLoopBackOff pod', () => {
    const pod = nginxPod();
    pod.metadata.name = 'crashy';
    pod.status.containerStatuses[0] = {
      name: 'nginx',
      ready: false,
      restartCount: 4,
      imageID: 'docker.io/library/nginx@sha256:abc',
      containerID: 'containerd://9e2d',
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container' } },
      lastState: {
        terminated: {
          exitCode: 1,
          reason: 'Error',
          startedAt: ago(95),
          finishedAt: ago(94),
          containerID: 'containerd://9e2d',
        },
      },
    };
    pod.status.conditions = [{ type: 'Ready', status: 'False' }];
    const events = [
      event('BackOff', 'Back-off restarting failed container nginx in pod crashy_default(u1)', {
        type: 'Warning',
        first: 280,
        last: 12,
        count: 9,
      }),
      event('Pulled', 'Container image "nginx:1.25" already present on machine', { first: 290, last: 95, count: 5 }),
    ];
    const out = lines(describe(pod, { now: NOW, events }));
    const from = out.indexOf('    State:          Waiting');
    expect(out.slice(from, from + 10)).toEqual([
      '    State:          Waiting',
      '      Reason:       CrashLoopBackOff',
      '    Last State:     Terminated',
      '      Reason:       Error',
      '      Exit Code:    1',
      '      Started:      Thu, 26 Nov 2026 05:35:58 +0000',
      '      Finished:     Thu, 26 Nov 2026 05:35:59 +0000',
      '    Ready:          False',
      '    Restart Count:  4',
      '    Limits:',
    ]);
    expect(out.slice(-4)).toEqual([
      '  Type     Reason   Age                  From     Message',
      '  ----     ------   ----                 ----     -------',
      '  Normal   Pulled   95s (x5 over 4m50s)  kubelet  Container image "nginx:1.25" already present on machine',
      '  Warning  BackOff  12s (x9 over 4m40s)  kubelet  Back-off restarting failed container nginx in pod crashy_default(u1)',
    ]);
  });

  it('shows a pending, unscheduled pod and a terminating pod', () => {
    const pending: KObject = {
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default' },
      spec: { containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c'], args: ['sleep 3600'] }] },
      status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] },
    };
    const text = describe(pending, { now: NOW, events: [] });
    expect(text).toContain('Node:         <none>\n');
    expect(text).toContain('IPs:          <none>\n');
    expect(text).toContain(
      'Containers:\n  c:\n    Image:      busybox\n    Port:       <none>\n    Host Port:  <none>\n    Command:\n      sh\n      -c\n    Args:\n      sleep 3600\n',
    );
    expect(text).toContain(
      'Conditions:\n  Type           Status\n  PodScheduled   False \nVolumes:         <none>\nQoS Class:       BestEffort\n',
    );
    expect(text.endsWith('Tolerations:     <none>\nEvents:          <none>')).toBe(true);

    const deleting = nginxPod();
    deleting.metadata.deletionTimestamp = ago(5);
    deleting.metadata.deletionGracePeriodSeconds = 30;
    const out = describe(deleting, { now: NOW, events: [] });
    expect(out).toContain('Status:                    Terminating (lasts 5s)\nTermination Grace Period:  30s\n');
  });

  it('computes the QoS class when status has none', () => {
    const pod = nginxPod();
    delete pod.status.qosClass;
    pod.spec.containers[0].resources = {
      limits: { cpu: '1', memory: '1Gi' },
      requests: { cpu: '1000m', memory: '1024Mi' },
    };
    expect(describe(pod, { now: NOW, events: [] })).toMatch(/^QoS Class: +Guaranteed$/m);
    pod.spec.containers[0].resources = {};
    expect(describe(pod, { now: NOW, events: [] })).toMatch(/^QoS Class: +BestEffort$/m);
  });
});

function nginxPod(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'nginx-7c5ddbdf54-x8k2p',
      namespace: 'default',
      uid: 'u1',
      creationTimestamp: ago(300),
      labels: { app: 'nginx', 'pod-template-hash': '7c5ddbdf54' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'nginx-7c5ddbdf54', uid: 'rs1', controller: true },
      ],
    },
    spec: {
      nodeName: 'worker-1',
      priority: 0,
      serviceAccountName: 'default',
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '0.1', memory: '64Mi' } },
          livenessProbe: {
            httpGet: { path: '/', port: 80, scheme: 'HTTP' },
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
          readinessProbe: {
            tcpSocket: { port: 80 },
            initialDelaySeconds: 5,
            timeoutSeconds: 1,
            periodSeconds: 10,
            successThreshold: 1,
            failureThreshold: 3,
          },
          env: [
            { name: 'MODE', value: 'prod' },
            { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
            { name: 'PASS', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          ],
          volumeMounts: [
            {
              name: 'kube-api-access-abcde',
              mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
              readOnly: true,
            },
            { name: 'data', mountPath: '/data' },
          ],
        },
      ],
      volumes: [
        { name: 'data', emptyDir: {} },
        {
          name: 'kube-api-access-abcde',
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              {
                downwardAPI: {
                  items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
                },
              },
            ],
          },
        },
      ],
      tolerations: [
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: {
      phase: 'Running',
      hostIP: '172.18.0.3',
      podIP: '10.244.1.7',
      podIPs: [{ ip: '10.244.1.7' }],
      startTime: ago(300),
      qosClass: 'Burstable',
      conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map(
        (type) => ({ type, status: 'True' }),
      ),
      containerStatuses: [
        {
          name: 'nginx',
          ready: true,
          restartCount: 0,
          image: 'docker.io/library/nginx:1.25',
          imageID: 'docker.io/library/nginx@sha256:abc',
          containerID: 'containerd://4f1c',
          state: { running: { startedAt: ago(290) } },
        },
      ],
    },
  };
}
