import { afterEach, describe, expect, it } from 'vitest';
import { podSpec, startHarness, type Harness } from './harness.ts';

let h: Harness;
afterEach(() => h?.stop());

const cs = (h: Harness, name: string) => h.pod(name)!.status.containerStatuses[0];

describe('node kubelet', () => {
  it('after an engine restart, running pods come back with restartCount + 1 and the same IP', async () => {
    h = await startHarness();
    h.store.create('pods', podSpec('a'));
    h.store.create('pods', podSpec('b', { restartPolicy: 'Never' }));
    h.store.create('pods', podSpec('done', { restartPolicy: 'Never' }));
    await h.advance(1000);
    h.rt.get(h.pod('done')!.metadata.uid!, 'c')!.finish(0);
    h.store.create('pods', podSpec('c'));
    await h.advance(1000);
    const before = { a: h.pod('a')!.status.podIP, c: h.pod('c')!.status.podIP };
    expect(h.pod('done')!.status.phase).toBe('Succeeded');
    await h.restart();
    expect(h.rt.started.every((c) => c.exit || c.startedAt)).toBe(true);
    await h.advance(1000);
    expect(h.pod('a')!.status.podIP).toBe(before.a);
    expect(h.pod('c')!.status.podIP).toBe(before.c);
    expect(cs(h, 'a')).toMatchObject({
      restartCount: 1,
      state: { running: {} },
      lastState: { terminated: { exitCode: 255, reason: 'Unknown' } },
    });
    // restartPolicy Never: its container died with the node and may not come back.
    expect(h.pod('b')!.status.phase).toBe('Failed');
    expect(cs(h, 'b').state.terminated).toMatchObject({ exitCode: 255, reason: 'Unknown' });
    expect(h.pod('done')!.status.phase).toBe('Succeeded');
    expect(h.rt.instances('c').filter((c) => c.running)).toHaveLength(2);
    // The next new pod does not collide with any address in use.
    h.store.create('pods', podSpec('d'));
    await h.settle();
    expect(Object.values(before)).not.toContain(h.pod('d')!.status.podIP);
  });

  it('a pod deleted while the engine was down is removed on start', async () => {
    h = await startHarness();
    h.store.create('pods', podSpec('x'));
    await h.advance(1000);
    await h.stop();
    h.store.delete('pods', 'default', 'x');
    expect(h.pod('x')!.metadata.deletionTimestamp).toBeTruthy();
    await h.restart();
    await h.advance(1500);
    expect(h.pod('x')).toBeUndefined();
  });

  it('a stopped node stops its containers and writes nothing; started, they come back', async () => {
    h = await startHarness();
    h.store.create('pods', podSpec('p'));
    await h.advance(1000);
    const rv = h.pod('p')!.metadata.resourceVersion;
    await h.kubelet.suspend();
    await h.advance(5000);
    expect(h.rt.instances('c')[0]!.running).toBe(false);
    expect(h.pod('p')!.metadata.resourceVersion).toBe(rv);
    // Deleted while the node is down: stays Terminating until the node is back.
    h.store.delete('pods', 'default', 'p');
    await h.settle();
    expect(h.pod('p')).toBeDefined();
    h.kubelet.resume();
    await h.advance(2000);
    expect(h.pod('p')).toBeUndefined();

    h.store.create('pods', podSpec('q'));
    await h.advance(1000);
    await h.kubelet.suspend();
    h.kubelet.resume();
    await h.advance(1000);
    expect(cs(h, 'q')).toMatchObject({ restartCount: 1, state: { running: {} } });
  });

  it('ignores pods of other nodes and writes status only when it changed', async () => {
    h = await startHarness();
    h.store.create('pods', podSpec('other', { nodeName: 'node2' }));
    h.store.create('pods', podSpec('mine'));
    await h.advance(1000);
    expect(h.pod('other')!.status.phase).toBe('Pending');
    expect(h.pod('other')!.status.podIP).toBeUndefined();
    const rv = h.pod('mine')!.metadata.resourceVersion;
    await h.advance(60_000, 5000);
    expect(h.pod('mine')!.metadata.resourceVersion).toBe(rv);
  });
});

describe('node kubelet: sandbox and ports', () => {
  it('warns once per pod when containers run unsandboxed', async () => {
    h = await startHarness();
    h.rt.sandbox = { available: false, reason: 'bwrap (bubblewrap) is not installed' };
    h.store.create(
      'pods',
      podSpec('open', {
        containers: [
          { name: 'a', image: 'busybox:1.36' },
          { name: 'b', image: 'busybox:1.36' },
        ],
      }),
    );
    await h.advance(1000);
    const warnings = h.events('open').filter((e) => e.reason === 'Unsandboxed');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.type).toBe('Warning');
    expect(warnings[0]!.count).toBe(1);
    expect(warnings[0]!.message).toMatch(/^bwrap \(bubblewrap\) is not installed: /);
  });

  it('publishes ports the runtime had to map on the pod, with an event', async () => {
    h = await startHarness();
    h.rt.mapPorts = true;
    h.store.create(
      'pods',
      podSpec('mapped', {
        containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }, { containerPort: 443 }] }],
      }),
    );
    await h.advance(1000);
    const p = h.pod('mapped')!;
    expect(JSON.parse(p.metadata.annotations!['skiff.dev/port-map'])).toEqual({
      '80': '127.244.1.2:40080',
      '443': '127.244.1.2:40443',
    });
    expect(
      h
        .events('mapped')
        .filter((e) => e.reason === 'PortMapped')
        .map((e) => e.message),
    ).toContain('Port 80 on 127.244.1.2 needs root: container port 80 listens on 127.244.1.2:40080');
    expect(p.status.phase).toBe('Running');
  });
});

describe('node kubelet: host network', () => {
  it('a hostNetwork pod gets the node IP and takes none from the pod range', async () => {
    h = await startHarness();
    h.store.create('pods', podSpec('hostnet', { hostNetwork: true }));
    await h.advance(1000);
    expect(h.pod('hostnet')!.status).toMatchObject({
      podIP: '127.0.1.2',
      podIPs: [{ ip: '127.0.1.2' }],
      hostIP: '127.0.1.2',
      phase: 'Running',
    });
    expect(h.kubelet.ips.inUse).toBe(0);
  });
});
