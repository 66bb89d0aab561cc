import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { sandboxed, setup } from './pod-dns-fixture.ts';

describe('without the privilege for port 53: service names in /etc/hosts, updated live', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine({ dns: { simulateNoPrivilege: true } });
    await setup(t);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('says so in an event and keeps the coredns pods unready', async () => {
    const ev = await t.kubectl([
      'get',
      'events',
      '-n',
      'kube-system',
      '--field-selector',
      'reason=DNSUnavailable',
      '-o',
      'jsonpath={.items[*].message}',
    ]);
    expect(ev.stdout).toMatch(
      /Cannot listen on 127\.\d+\.0\.10:53 .*service names are written to each pod's \/etc\/hosts instead/,
    );
    await waitFor(
      async () => {
        const pods = JSON.parse(
          (await t.kubectl(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'json'])).stdout,
        ).items;
        return (
          pods.length > 0 &&
          pods.every(
            (p: { status?: { containerStatuses?: Array<{ ready: boolean; started?: boolean }> } }) =>
              p.status?.containerStatuses?.[0]?.started && !p.status.containerStatuses[0].ready,
          )
        );
      },
      20_000,
      'coredns running but not ready',
    );
  });

  it('getent and wget find the service through /etc/hosts, which follows services as they change', async () => {
    if (!(await sandboxed(t))) return;
    const ip = (await t.kubectl(['get', 'svc', 'my-nginx', '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
    expect((await t.kubectl(['exec', 'bb', '--', 'getent', 'hosts', 'my-nginx'])).stdout).toContain(ip);
    expect((await t.kubectl(['exec', 'bb', '--', 'wget', '-qO-', 'http://my-nginx/'])).stdout).toContain(
      'Welcome to nginx!',
    );
    await t.kubectl(['create', 'service', 'clusterip', 'late', '--tcp=80:80']);
    const late = (await t.kubectl(['get', 'svc', 'late', '-o', 'jsonpath={.spec.clusterIP}'])).stdout;
    await waitFor(
      async () =>
        (
          await t.kubectl(['exec', 'bb', '--', 'getent', 'hosts', 'late.default.svc.cluster.local'], { reject: false })
        ).stdout.includes(late),
      20_000,
      'late in /etc/hosts',
    );
    await t.kubectl(['delete', 'svc', 'late']);
    await waitFor(
      async () => !(await t.kubectl(['exec', 'bb', '--', 'cat', '/etc/hosts'])).stdout.includes(late),
      20_000,
      'late gone from /etc/hosts',
    );
  });
});
