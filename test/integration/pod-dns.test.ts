import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { sandboxed, setup } from './pod-dns-fixture.ts';

describe('pods resolve services through the cluster DNS (port 53)', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine();
    await setup(t);
  }, 180_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('writes resolv.conf and hosts as the kubelet does', async () => {
    if (!(await sandboxed(t))) return;
    const dnsIP = (await t.kubectl(['get', 'svc', '-n', 'kube-system', 'kube-dns', '-o', 'jsonpath={.spec.clusterIP}']))
      .stdout;
    const resolv = (await t.kubectl(['exec', 'bb', '--', 'cat', '/etc/resolv.conf'])).stdout;
    expect(resolv).toBe(
      `search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${dnsIP}\noptions ndots:5`,
    );
    const hosts = (await t.kubectl(['exec', 'bb', '--', 'cat', '/etc/hosts'])).stdout;
    const podIP = (await t.kubectl(['get', 'pod', 'bb', '-o', 'jsonpath={.status.podIP}'])).stdout;
    expect(hosts).toContain('# Kubernetes-managed hosts file.');
    expect(hosts).toMatch(new RegExp(`${podIP.replaceAll('.', '\\.')}\tbb$`, 'm'));
    expect(hosts).not.toContain('my-nginx');
    const custom = (await t.kubectl(['exec', 'custom', '--', 'cat', '/etc/resolv.conf'])).stdout;
    expect(custom).toBe('search example.internal\nnameserver 127.0.0.53\noptions ndots:2 edns0');
    expect((await t.kubectl(['exec', 'custom', '--', 'cat', '/etc/hosts'])).stdout).toContain(
      '# Entries added by HostAliases.\n127.0.0.42\tdb.local\tdb',
    );
  });

  it('getent hosts and wget reach a service by its short name and FQDN', async () => {
    if (!(await sandboxed(t))) return;
    const ip = (await t.kubectl(['get', 'svc', 'my-nginx', '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
    expect((await t.kubectl(['exec', 'bb', '--', 'getent', 'hosts', 'my-nginx'])).stdout).toMatch(
      new RegExp(`^${ip.replaceAll('.', '\\.')}\\s+my-nginx\\.default\\.svc\\.cluster\\.local`),
    );
    expect((await t.kubectl(['exec', 'bb', '--', 'getent', 'hosts', 'my-nginx.default'])).stdout).toContain(ip);
    expect((await t.kubectl(['exec', 'bb', '--', 'wget', '-qO-', 'http://my-nginx/'])).stdout).toContain(
      'Welcome to nginx!',
    );
    // Outside the cluster: refused at once, never forwarded.
    const out = await t.kubectl(['exec', 'bb', '--', 'getent', 'hosts', 'example.com'], { reject: false });
    expect(out.exitCode).not.toBe(0);
  });
});
