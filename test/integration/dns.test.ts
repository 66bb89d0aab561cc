import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { dataOf, rcodeOf, tcpQuery, udpQuery } from '../engine/dns/dns-client.ts';

let t: TestEngine;
let dnsIP: string;

const MANIFEST = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: nginx, image: nginx, ports: [{ name: http, containerPort: 80 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: my-svc }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 8080, targetPort: http }]
---
apiVersion: v1
kind: Service
metadata: { name: hl }
spec:
  clusterIP: None
  selector: { app: db }
  ports: [{ name: pg, port: 5432 }]
---
apiVersion: v1
kind: Pod
metadata: { name: db-0, labels: { app: db } }
spec:
  hostname: db-0
  subdomain: hl
  containers: [{ name: nginx, image: nginx, ports: [{ name: pg, containerPort: 5432 }] }]
---
apiVersion: v1
kind: Service
metadata: { name: ext }
spec:
  type: ExternalName
  externalName: example.org
`;

beforeAll(async () => {
  t = await startTestEngine();
  const svc = JSON.parse((await t.kubectl(['get', 'svc', '-n', 'kube-system', 'kube-dns', '-o', 'json'])).stdout);
  dnsIP = svc.spec.clusterIP;
  await t.kubectl(['apply', '-f', '-'], { input: MANIFEST });
  await t.kubectl(['rollout', 'status', 'deployment/web', '--timeout=60s']);
  await t.kubectl(['wait', '--for=condition=Ready', 'pod/db-0', '--timeout=60s']);
});
afterAll(async () => {
  await t?.stop();
});

describe('cluster DNS (kube-dns ClusterIP, port 53)', () => {
  it('is the kube-dns Service at the 10th address of the service CIDR, and the coredns pods are ready because it answers', async () => {
    expect(dnsIP).toMatch(/^127\.\d+\.0\.10$/);
    await t.kubectl([
      'wait',
      '-n',
      'kube-system',
      '--for=condition=Ready',
      'pod',
      '-l',
      'k8s-app=kube-dns',
      '--timeout=60s',
    ]);
    const r = await udpQuery(dnsIP, 53, 'kubernetes.default.svc.cluster.local', 'A');
    const kube = JSON.parse((await t.kubectl(['get', 'svc', 'kubernetes', '-o', 'json'])).stdout);
    expect(dataOf(r, 'A')).toEqual([kube.spec.clusterIP]);
    expect(r.flag_aa).toBe(true);
  });

  it('answers A for a ClusterIP service over UDP and TCP, SRV for its named port, PTR for its address', async () => {
    const svc = JSON.parse((await t.kubectl(['get', 'svc', 'my-svc', '-o', 'json'])).stdout);
    const ip = svc.spec.clusterIP;
    expect(dataOf(await udpQuery(dnsIP, 53, 'my-svc.default.svc.cluster.local', 'A'), 'A')).toEqual([ip]);
    expect(dataOf(await tcpQuery(dnsIP, 53, 'MY-SVC.default.svc.cluster.local.', 'A'), 'A')).toEqual([ip]);
    const srv = await udpQuery(dnsIP, 53, '_http._tcp.my-svc.default.svc.cluster.local', 'SRV');
    expect(dataOf(srv, 'SRV')).toEqual([
      expect.objectContaining({ port: 8080, target: 'my-svc.default.svc.cluster.local' }),
    ]);
    expect(dataOf(srv, 'SRV').length).toBe(1);
    expect((srv.additionals ?? []).filter((a) => a.type === 'A').map((a) => (a as { data: string }).data)).toEqual([
      ip,
    ]);
    const ptr = await udpQuery(dnsIP, 53, `${ip.split('.').reverse().join('.')}.in-addr.arpa`, 'PTR');
    expect(dataOf(ptr, 'PTR')).toEqual(['my-svc.default.svc.cluster.local']);
    // AAAA for an IPv4-only service: the name exists, no data.
    const aaaa = await udpQuery(dnsIP, 53, 'my-svc.default.svc.cluster.local', 'AAAA');
    expect(rcodeOf(aaaa)).toBe('NOERROR');
    expect(aaaa.answers).toEqual([]);
  });

  it('answers one A per ready endpoint of a headless service, and the pod by hostname.subdomain', async () => {
    const pod = JSON.parse((await t.kubectl(['get', 'pod', 'db-0', '-o', 'json'])).stdout);
    const ip = pod.status.podIP;
    expect(dataOf(await udpQuery(dnsIP, 53, 'hl.default.svc.cluster.local', 'A'), 'A')).toEqual([ip]);
    expect(dataOf(await udpQuery(dnsIP, 53, 'db-0.hl.default.svc.cluster.local', 'A'), 'A')).toEqual([ip]);
    const srv = await udpQuery(dnsIP, 53, '_pg._tcp.hl.default.svc.cluster.local', 'SRV');
    expect(dataOf(srv, 'SRV')).toEqual([
      expect.objectContaining({ port: 5432, target: 'db-0.hl.default.svc.cluster.local' }),
    ]);
    const ptr = await udpQuery(dnsIP, 53, `${ip.split('.').reverse().join('.')}.in-addr.arpa`, 'PTR');
    expect(dataOf(ptr, 'PTR')).toEqual(['db-0.hl.default.svc.cluster.local']);
    const dashed = ip.replaceAll('.', '-');
    expect(dataOf(await udpQuery(dnsIP, 53, `${dashed}.default.pod.cluster.local`, 'A'), 'A')).toEqual([ip]);
  });

  it('drops a pod that stops being ready from a headless answer', async () => {
    const ips = async () => dataOf(await udpQuery(dnsIP, 53, 'hl.default.svc.cluster.local', 'A'), 'A');
    await t.kubectl(['delete', 'pod', 'db-0', '--wait=false']);
    await waitFor(
      async () => rcodeOf(await udpQuery(dnsIP, 53, 'hl.default.svc.cluster.local', 'A')) === 'NXDOMAIN',
      20_000,
      'headless answer to empty',
    );
    expect(await ips()).toEqual([]);
  });

  it('answers ExternalName as a CNAME, NXDOMAIN inside the cluster domain, REFUSED outside it', async () => {
    const ext = await udpQuery(dnsIP, 53, 'ext.default.svc.cluster.local', 'A');
    expect(ext.answers).toEqual([expect.objectContaining({ type: 'CNAME', data: 'example.org' })]);
    const nx = await udpQuery(dnsIP, 53, 'nope.default.svc.cluster.local', 'A');
    expect(rcodeOf(nx)).toBe('NXDOMAIN');
    expect(nx.authorities?.[0]?.type).toBe('SOA');
    expect(rcodeOf(await udpQuery(dnsIP, 53, 'my-svc.nonexistent-ns.svc.cluster.local', 'A'))).toBe('NXDOMAIN');
    // The search path a pod walks first (my-svc.default.svc.cluster.local.default.svc.cluster.local).
    expect(rcodeOf(await udpQuery(dnsIP, 53, 'my-svc.default.svc.cluster.local.default.svc.cluster.local', 'A'))).toBe(
      'NXDOMAIN',
    );
    const out = await udpQuery(dnsIP, 53, 'example.com', 'A');
    expect(rcodeOf(out)).toBe('REFUSED');
    expect(out.answers).toEqual([]);
    expect(rcodeOf(await tcpQuery(dnsIP, 53, 'www.google.com', 'AAAA'))).toBe('REFUSED');
    expect(rcodeOf(await udpQuery(dnsIP, 53, '8.8.8.8.in-addr.arpa', 'PTR'))).toBe('REFUSED');
  });

  it('follows services as they come and go', async () => {
    await t.kubectl(['create', 'service', 'clusterip', 'late', '--tcp=80:80']);
    const ip = JSON.parse((await t.kubectl(['get', 'svc', 'late', '-o', 'json'])).stdout).spec.clusterIP;
    expect(dataOf(await udpQuery(dnsIP, 53, 'late.default.svc.cluster.local', 'A'), 'A')).toEqual([ip]);
    await t.kubectl(['delete', 'svc', 'late']);
    expect(rcodeOf(await udpQuery(dnsIP, 53, 'late.default.svc.cluster.local', 'A'))).toBe('NXDOMAIN');
  });
});
