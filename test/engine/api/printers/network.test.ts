import { describe, expect, it } from 'vitest';
import { table as endpoints } from '../../../../source/engine/api/printers/endpoints.ts';
import { table as endpointslices } from '../../../../source/engine/api/printers/endpointslices.ts';
import { table as services } from '../../../../source/engine/api/printers/services.ts';
import { NOW, ago, obj } from './helpers.ts';

const svc = (spec: any, status: any = {}) => obj('web', { spec, status });

describe('services', () => {
  it('has the upstream columns', () => {
    expect(services.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Type:0',
      'Cluster-IP:0',
      'External-IP:0',
      'Port(s):0',
      'Age:0',
      'Selector:1',
    ]);
  });

  it('renders the observed NodePort service (k8s-api.md §6.3)', () => {
    const s = obj(
      'web-np',
      {
        spec: {
          type: 'NodePort',
          clusterIP: '10.96.146.171',
          clusterIPs: ['10.96.146.171'],
          selector: { app: 'web' },
          ports: [{ port: 80, targetPort: 80, nodePort: 31196, protocol: 'TCP' }],
        },
      },
      { creationTimestamp: ago(0) },
    );
    expect(services.row(s, NOW)).toEqual([
      'web-np',
      'NodePort',
      '10.96.146.171',
      '<none>',
      '80:31196/TCP',
      '0s',
      'app=web',
    ]);
  });

  it.each<[string, any, any, string, string, string, string]>([
    [
      'ClusterIP with two ports',
      {
        type: 'ClusterIP',
        clusterIPs: ['10.96.0.10'],
        ports: [
          { port: 80, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
        selector: { b: '2', a: '1' },
      },
      {},
      '10.96.0.10',
      '<none>',
      '80/TCP,53/UDP',
      'a=1,b=2',
    ],
    [
      'ClusterIP with external IPs',
      {
        type: 'ClusterIP',
        clusterIPs: ['10.96.0.11'],
        externalIPs: ['1.2.3.4', '5.6.7.8'],
        ports: [{ port: 80, protocol: 'TCP' }],
      },
      {},
      '10.96.0.11',
      '1.2.3.4,5.6.7.8',
      '80/TCP',
      '<none>',
    ],
    [
      'headless without ports',
      { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] },
      {},
      'None',
      '<none>',
      '<none>',
      '<none>',
    ],
    [
      'LoadBalancer pending',
      { type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], ports: [{ port: 443, nodePort: 30443, protocol: 'TCP' }] },
      {},
      '10.96.0.12',
      '<pending>',
      '443:30443/TCP',
      '<none>',
    ],
    [
      'LoadBalancer with ingress (distinct, sorted, never clipped)',
      { type: 'LoadBalancer', clusterIPs: ['10.96.0.13'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] },
      {
        loadBalancer: {
          ingress: [
            { ip: '203.0.113.9' },
            { hostname: 'a-very-long-hostname.example.com' },
            { ip: '203.0.113.9' },
            { ip: '198.51.100.1' },
          ],
        },
      },
      '10.96.0.13',
      '198.51.100.1,203.0.113.9,a-very-long-hostname.example.com',
      '80:30080/TCP',
      '<none>',
    ],
    [
      'LoadBalancer with ingress and external IPs',
      { type: 'LoadBalancer', clusterIPs: ['10.96.0.14'], externalIPs: ['1.2.3.4'], ports: [] },
      { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } },
      '10.96.0.14',
      '203.0.113.9,1.2.3.4',
      '<none>',
      '<none>',
    ],
    [
      'LoadBalancer with external IPs only',
      { type: 'LoadBalancer', externalIPs: ['1.2.3.4'] },
      {},
      '<none>',
      '1.2.3.4',
      '<none>',
      '<none>',
    ],
    [
      'ExternalName',
      { type: 'ExternalName', externalName: 'db.example.com' },
      {},
      '<none>',
      'db.example.com',
      '<none>',
      '<none>',
    ],
    ['unknown type', { type: 'Weird' }, {}, '<none>', '<unknown>', '<none>', '<none>'],
  ])('%s', (_name, spec, status, clusterIP, externalIP, ports, selector) => {
    const row = services.row(svc(spec, status), NOW);
    expect([row[2], row[3], row[4], row[6]]).toEqual([clusterIP, externalIP, ports, selector]);
  });
});

describe('endpoints', () => {
  const ep = (subsets: any) => endpoints.row(obj('web', { subsets }), NOW)[1];
  const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));

  it('has the upstream columns', () => {
    expect(endpoints.columns.map((c) => c.name)).toEqual(['Name', 'Endpoints', 'Age']);
    expect(endpoints.row(obj('web', {}), NOW)).toEqual(['web', '<none>', '5s']);
  });

  it.each<[string, any, string]>([
    ['no subsets', [], '<none>'],
    ['subset without addresses', [{ ports: [{ port: 80 }] }], ''],
    [
      'one address',
      [{ addresses: addrs('10.244.1.10'), ports: [{ name: '', port: 80, protocol: 'TCP' }] }],
      '10.244.1.10:80',
    ],
    [
      'three addresses',
      [{ addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3'), ports: [{ port: 80 }] }],
      '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80',
    ],
    [
      'address × port, then more',
      [{ addresses: addrs('10.0.0.1', '10.0.0.2'), ports: [{ port: 80 }, { port: 443 }] }],
      '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...',
    ],
    [
      'more across subsets',
      [
        { addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'), ports: [{ port: 80 }] },
        { addresses: addrs('10.0.1.1'), ports: [{ port: 8080 }] },
      ],
      '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...',
    ],
    ['headless subset without ports', [{ addresses: addrs('10.0.0.1', '10.0.0.2') }], '10.0.0.1,10.0.0.2'],
    ['IPv6', [{ addresses: addrs('fd00::1'), ports: [{ port: 80 }] }], '[fd00::1]:80'],
  ])('%s', (_name, subsets, want) => {
    expect(ep(subsets)).toBe(want);
  });
});

describe('endpointslices', () => {
  const slice = (rest: any) => endpointslices.row(obj('web-abc12', { addressType: 'IPv4', ...rest }), NOW);
  const eps = (...ips: string[]) => ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } }));

  it('has the upstream columns', () => {
    expect(endpointslices.columns.map((c) => c.name)).toEqual(['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
  });

  it('renders ports and endpoints', () => {
    expect(
      slice({ ports: [{ name: '', port: 80, protocol: 'TCP' }], endpoints: eps('10.244.1.10', '10.244.2.5') }),
    ).toEqual(['web-abc12', 'IPv4', '80', '10.244.1.10,10.244.2.5', '5s']);
  });

  it('caps lists at 3 with + N more...', () => {
    const row = slice({
      ports: [{ port: 80 }, { port: 81 }, { port: 82 }, { port: 83 }, { port: 84 }],
      endpoints: eps('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'),
    });
    expect(row.slice(2, 4)).toEqual(['80,81,82 + 2 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...']);
  });

  it('falls back to the port name, then *, and shows <unset> when empty', () => {
    expect(slice({ ports: [{ name: 'http' }, {}], endpoints: [] }).slice(2, 4)).toEqual(['http,*', '<unset>']);
    expect(slice({}).slice(1, 4)).toEqual(['IPv4', '<unset>', '<unset>']);
  });
});
