import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Endpoints } from 'kubernetes-types/core/v1.d.ts';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.d.ts';
import type { Kind } from '../../../source/api-types/index.ts';
import { FakeClock } from '../../../source/engine/clock.ts';
import { createRegistry } from '../../../source/engine/resources/index.ts';
import { installServiceAllocations } from '../../../source/engine/services/allocations.ts';
import { ensureKubernetesService } from '../../../source/engine/services/kubernetes-service.ts';
import { ApiError } from '../../../source/engine/store/errors.ts';
import { Store } from '../../../source/engine/store/store.ts';

const config = { serviceCIDR: '127.96.0.0/16', nodePortRange: [30000, 32767] as [number, number] };
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function newStore(path?: string) {
  const s = new Store(createRegistry(), new FakeClock(), { path });
  if (!s.get('namespaces', undefined, 'default')) s.create('namespaces', { metadata: { name: 'default' } });
  installServiceAllocations(s, config);
  return s;
}

const svc = (name: string, spec: any = {}) => ({
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
});

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

const octets = (ip: string) => ip.split('.').map(Number);

describe('ClusterIP allocation', () => {
  it('allocates random IPs from the upper band of the CIDR and keeps clusterIPs in sync', () => {
    const s = newStore();
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const o = s.create('services', svc(`s${i}`));
      const [a, b, c] = octets(o.spec.clusterIP);
      expect([a, b]).toEqual([127, 96]);
      expect(c).toBeGreaterThanOrEqual(1); // 127.96.0.x is the static band
      expect(o.spec.clusterIPs).toEqual([o.spec.clusterIP]);
      seen.add(o.spec.clusterIP);
    }
    expect(seen.size).toBe(40);
  });

  it('honours a requested IP and refuses a taken or out-of-range one with 422', () => {
    const s = newStore();
    const a = s.create('services', svc('a', { clusterIP: '127.96.0.10' }));
    expect(a.spec.clusterIP).toBe('127.96.0.10');
    expect(a.spec.clusterIPs).toEqual(['127.96.0.10']);
    const taken = apiError(() => s.create('services', svc('b', { clusterIP: '127.96.0.10' })));
    expect(taken.code).toBe(422);
    expect(taken.message).toBe(
      'Service "b" is invalid: spec.clusterIPs: Invalid value: ["127.96.0.10"]: failed to allocate IP 127.96.0.10: provided IP is already allocated',
    );
    const out = apiError(() => s.create('services', svc('c', { clusterIPs: ['10.0.0.1'] })));
    expect(out.code).toBe(422);
    expect(out.message).toContain(
      'failed to allocate IP 10.0.0.1: the provided IP (10.0.0.1) is not in the valid range. The range of valid IPs is 127.96.0.0/16',
    );
    const bad = apiError(() => s.create('services', svc('d', { clusterIP: 'nope' })));
    expect(bad.details?.causes?.[0]?.field).toBe('spec.clusterIPs[0]');
    expect(s.get('services', 'default', 'b')).toBeUndefined();
  });

  it('headless services get None, and release on delete frees the IP', () => {
    const s = newStore();
    const h = s.create('services', svc('h', { clusterIP: 'None' }));
    expect(h.spec.clusterIPs).toEqual(['None']);
    s.create('services', svc('a', { clusterIP: '127.96.1.1' }));
    s.delete('services', 'default', 'a');
    expect(s.create('services', svc('b', { clusterIP: '127.96.1.1' })).spec.clusterIP).toBe('127.96.1.1');
  });

  it('keeps the IP across updates that omit it', () => {
    const s = newStore();
    const a = s.create('services', svc('a'));
    const copy = structuredClone(a) as any;
    delete copy.spec.clusterIP;
    delete copy.spec.clusterIPs;
    copy.spec.ports[0].port = 81;
    const b = s.update('services', copy);
    expect(b.spec.clusterIP).toBe(a.spec.clusterIP);
    expect(b.spec.clusterIPs).toEqual([a.spec.clusterIP]);
  });

  it('reserves .1 for default/kubernetes', () => {
    const s = newStore();
    ensureKubernetesService(s, config, 6443);
    ensureKubernetesService(s, config, 6443);
    const k = s.get('services', 'default', 'kubernetes')!;
    expect(k.spec.clusterIP).toBe('127.96.0.1');
    expect(k.spec.ports[0]).toMatchObject({ name: 'https', port: 443, targetPort: 6443 });
    const endpoints: Kind<Endpoints> = s.get('endpoints', 'default', 'kubernetes')!;
    expect(endpoints.subsets?.[0]?.addresses?.[0]?.ip).toBe('127.0.0.1');
    const slice: Kind<EndpointSlice> = s.get('endpointslices.discovery.k8s.io', 'default', 'kubernetes')!;
    expect(slice.endpoints?.[0]?.addresses).toEqual(['127.0.0.1']);
    expect(slice.ports).toEqual([{ name: 'https', port: 6443, protocol: 'TCP' }]);
    const rv = s.currentRV();
    ensureKubernetesService(s, config, 6443);
    expect(s.currentRV()).toBe(rv);
    ensureKubernetesService(s, config, 7443);
    expect(s.get('services', 'default', 'kubernetes')!.spec.ports[0].targetPort).toBe(7443);
    expect(s.get('services', 'default', 'kubernetes')!.spec.clusterIP).toBe('127.96.0.1');
    expect(apiError(() => s.create('services', svc('x', { clusterIP: '127.96.0.1' }))).code).toBe(422);
  });
});

describe('NodePort allocation', () => {
  it('allocates a port per service port in range, upper band first', () => {
    const s = newStore();
    const o = s.create(
      'services',
      svc('np', {
        type: 'NodePort',
        ports: [
          { name: 'a', port: 80 },
          { name: 'b', port: 443 },
        ],
      }),
    );
    const [p1, p2] = o.spec.ports.map((p: any) => p.nodePort);
    for (const p of [p1, p2]) {
      expect(p).toBeGreaterThanOrEqual(30086);
      expect(p).toBeLessThanOrEqual(32767);
    }
    expect(p1).not.toBe(p2);
  });

  it('honours nodePort 32600 and refuses it when taken', () => {
    const s = newStore();
    const a = s.create('services', svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 32600 }] }));
    expect(a.spec.ports[0].nodePort).toBe(32600);
    const e = apiError(() =>
      s.create('services', svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 32600 }] })),
    );
    expect(e.code).toBe(422);
    expect(e.message).toBe(
      'Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 32600: provided port is already allocated',
    );
    // The failed create must not leak its ClusterIP.
    expect(s.create('services', svc('c')).spec.clusterIP).toBeTruthy();
  });

  it('a failed create releases what it allocated before failing', () => {
    const s = newStore();
    s.create('services', svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 32600 }] }));
    apiError(() =>
      s.create(
        'services',
        svc('b', {
          type: 'NodePort',
          clusterIP: '127.96.5.5',
          ports: [
            { name: 'x', port: 81, nodePort: 32601 },
            { name: 'y', port: 82, nodePort: 32600 },
          ],
        }),
      ),
    );
    const c = s.create(
      'services',
      svc('c', { type: 'NodePort', clusterIP: '127.96.5.5', ports: [{ port: 81, nodePort: 32601 }] }),
    );
    expect(c.spec.ports[0].nodePort).toBe(32601);
  });

  it('releases node ports on delete and on type change to ClusterIP; allocates on change to NodePort', () => {
    const s = newStore();
    s.create('services', svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 32600 }] }));
    s.delete('services', 'default', 'a');
    const b = s.create('services', svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 32600 }] }));
    const copy = structuredClone(b) as any;
    copy.spec.type = 'ClusterIP';
    delete copy.spec.ports[0].nodePort;
    delete copy.spec.externalTrafficPolicy;
    s.update('services', copy);
    expect(
      s.create('services', svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 32600 }] })).spec.ports[0]
        .nodePort,
    ).toBe(32600);
    const back = s.mutate('services', 'default', 'b', (o) => {
      o.spec.type = 'NodePort';
    });
    expect(back.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(back.spec.ports[0].nodePort).not.toBe(32600);
  });

  it('changing a node port takes the new one and frees the old one', () => {
    const s = newStore();
    s.create('services', svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 32600 }] }));
    s.mutate('services', 'default', 'a', (o) => {
      o.spec.ports[0].nodePort = 32601;
    });
    expect(
      s.create('services', svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 32600 }] })).spec.ports[0]
        .nodePort,
    ).toBe(32600);
    expect(
      apiError(() => s.create('services', svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 32601 }] }))).code,
    ).toBe(422);
  });
});

describe('restart', () => {
  it('rebuilds allocations from stored services', () => {
    const d = mkdtempSync(join(tmpdir(), 'skiff-alloc-'));
    dirs.push(d);
    const path = join(d, 'state.db');
    const s1 = newStore(path);
    const a = s1.create('services', svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 32600 }] }));
    s1.close();
    const s2 = newStore(path);
    expect(apiError(() => s2.create('services', svc('b', { clusterIP: a.spec.clusterIP }))).message).toContain(
      'provided IP is already allocated',
    );
    expect(
      apiError(() => s2.create('services', svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 32600 }] })))
        .message,
    ).toContain('provided port is already allocated');
    s2.delete('services', 'default', 'a');
    expect(
      s2.create(
        'services',
        svc('d', { clusterIP: a.spec.clusterIP, type: 'NodePort', ports: [{ port: 80, nodePort: 32600 }] }),
      ).spec.clusterIP,
    ).toBe(a.spec.clusterIP);
    s2.close();
  });
});
