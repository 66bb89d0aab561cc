import { describe as suite, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { describe } from '../../source/describe/index.ts';
import { NOW } from './fixtures.ts';

function service(name = 'web-np'): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', uid: 'svc-uid', labels: { app: 'web' } },
    spec: {
      type: 'NodePort',
      selector: { app: 'web' },
      clusterIP: '10.96.112.89',
      clusterIPs: ['10.96.112.89'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      sessionAffinity: 'None',
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, targetPort: 8080, nodePort: 31346, protocol: 'TCP' }],
    },
    status: { loadBalancer: {} },
  };
}

function slice(name: string, ips: Array<[string, boolean | undefined]>, port = 8080, portName = ''): KObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 'web-np' } },
    addressType: 'IPv4',
    endpoints: ips.map(([ip, ready]) => ({
      addresses: [ip],
      conditions: ready === undefined ? {} : { ready, serving: ready, terminating: false },
    })),
    ports: [{ name: portName, port, protocol: 'TCP' }],
  };
}

suite('describe service', () => {
  it('matches the kubectl 1.32 transcript byte for byte', () => {
    const endpointSlices = [
      slice('web-np-abc', [
        ['10.244.1.10', true],
        ['10.244.1.11', true],
        ['10.244.1.12', true],
      ]),
    ];
    expect(describe(service(), { now: NOW, events: [], related: { endpointSlices } }))
      .toBe(`Name:                     web-np
Namespace:                default
Labels:                   app=web
Annotations:              <none>
Selector:                 app=web
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.112.89
IPs:                      10.96.112.89
Port:                     <unset>  80/TCP
TargetPort:               8080/TCP
NodePort:                 <unset>  31346/TCP
Endpoints:                10.244.1.10:8080,10.244.1.11:8080,10.244.1.12:8080
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>`);
  });

  it('lists at most 3 ready endpoints, then "+ N more..."', () => {
    const endpointSlices = [
      slice('a', [
        ['10.244.1.10', true],
        ['10.244.1.11', undefined],
        ['10.244.2.5', false],
      ]),
      slice('b', [
        ['10.244.2.6', true],
        ['10.244.2.7', true],
        ['10.244.2.8', true],
      ]),
    ];
    const text = describe(service(), { now: NOW, events: [], related: { endpointSlices } });
    expect(text).toContain(
      '\nEndpoints:                10.244.1.10:8080,10.244.1.11:8080,10.244.2.6:8080 + 2 more...\n',
    );
    expect(describe(service(), { now: NOW, events: [] })).toContain('\nEndpoints:                <none>\n');
  });

  it('matches the port by name and prints load balancer details (kubectl describe_test cases)', () => {
    const svc: KObject = {
      kind: 'Service',
      metadata: { name: 'bar', namespace: 'foo' },
      spec: {
        type: 'LoadBalancer',
        selector: { blah: 'heh' },
        clusterIP: '1.2.3.4',
        ipFamilies: ['IPv4'],
        loadBalancerIP: '5.6.7.8',
        sessionAffinity: 'None',
        externalTrafficPolicy: 'Local',
        internalTrafficPolicy: 'Local',
        healthCheckNodePort: 32222,
        ports: [{ name: 'port-tcp', port: 8080, protocol: 'TCP', targetPort: 'targetPort', nodePort: 31111 }],
      },
      status: { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } },
    };
    const endpointSlices = [
      slice(
        'bar-12345',
        [
          ['10.244.0.1', true],
          ['10.244.0.2', true],
        ],
        9527,
        'port-tcp',
      ),
      slice(
        'bar-54321',
        [
          ['10.244.0.3', false],
          ['10.244.0.4', true],
          ['10.244.0.5', true],
        ],
        9527,
        'port-tcp',
      ),
      slice('bar-other', [['10.9.9.9', true]], 1, 'other-port'),
    ];
    expect(describe(svc, { now: NOW, events: [], related: { endpointSlices } })).toBe(`Name:                     bar
Namespace:                foo
Labels:                   <none>
Annotations:              <none>
Selector:                 blah=heh
Type:                     LoadBalancer
IP Families:              IPv4
IP:                       1.2.3.4
IPs:                      <none>
Desired LoadBalancer IP:  5.6.7.8
LoadBalancer Ingress:     5.6.7.8
Port:                     port-tcp  8080/TCP
TargetPort:               targetPort/TCP
NodePort:                 port-tcp  31111/TCP
Endpoints:                10.244.0.1:9527,10.244.0.2:9527,10.244.0.4:9527 + 1 more...
Session Affinity:         None
External Traffic Policy:  Local
Internal Traffic Policy:  Local
HealthCheck NodePort:     32222
Events:                   <none>`);
  });
});
