import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/engine/clock.ts';
import { createRegistry } from '../../../source/engine/resources/index.ts';
import { bindPod } from '../../../source/engine/scheduler/bind.ts';
import { ApiError } from '../../../source/engine/store/errors.ts';
import { Store, type StoreEvent } from '../../../source/engine/store/store.ts';

function newStore() {
  const s = new Store(createRegistry(), new FakeClock());
  s.create('namespaces', { metadata: { name: 'default' } });
  return s;
}

const pod = { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };

describe('status writes of a kind with a status strategy (pods)', () => {
  it('share the stored spec and metadata and change only the status', () => {
    const s = newStore();
    const created = s.create('pods', pod);
    const events: StoreEvent[] = [];
    s.watch('pods', { resourceVersion: created.metadata.resourceVersion }, (ev) => events.push(ev));
    const input = {
      metadata: { name: 'p', namespace: 'default', labels: { ignored: 'yes' } },
      spec: { containers: [{ name: 'other', image: 'busybox' }] },
      status: { ...created.status, phase: 'Running', podIP: '127.244.4.2', podIPs: [{ ip: '127.244.4.2' }] },
    };
    const updated = s.update('pods', input, { subresource: 'status' });
    expect(updated.spec).toBe(created.spec);
    expect(updated.metadata.labels).toBe(created.metadata.labels);
    expect(updated.metadata.generation).toBe(1);
    expect(Number(updated.metadata.resourceVersion)).toBe(Number(created.metadata.resourceVersion) + 1);
    expect(updated.status).toEqual(input.status);
    expect(updated.status).not.toBe(input.status);
    expect(Object.isFrozen(updated.status)).toBe(true);
    expect(Object.isFrozen(updated.metadata)).toBe(true);
    // A write that changes nothing is not a new version.
    expect(s.update('pods', input, { subresource: 'status' })).toBe(updated);
    expect(events.map((e) => [e.type, e.object.status.phase])).toEqual([['MODIFIED', 'Running']]);
    expect(events[0]!.prev).toBe(created);
  });

  it('reject an invalid status (422) and leave the stored pod as it was', () => {
    const s = newStore();
    const created = s.create('pods', pod);
    const rv = s.currentRV();
    try {
      s.update(
        'pods',
        { metadata: { name: 'p', namespace: 'default' }, status: { podIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] } },
        { subresource: 'status' },
      );
      expect.unreachable();
    } catch (e) {
      expect((e as ApiError).code).toBe(422);
      expect((e as ApiError).details?.causes?.[0]?.field).toBe('status.podIPs');
    }
    expect(s.currentRV()).toBe(rv);
    expect(s.get('pods', 'default', 'p')).toBe(created);
  });

  it('check a stale resourceVersion (409)', () => {
    const s = newStore();
    const created = s.create('pods', pod);
    s.update('pods', { ...created, status: { ...created.status, phase: 'Running' } }, { subresource: 'status' });
    expect(() =>
      s.update('pods', { ...created, status: { ...created.status, phase: 'Failed' } }, { subresource: 'status' }),
    ).toThrow(ApiError);
  });

  it('a binding sets spec.nodeName and PodScheduled in one write, keeping the generation', () => {
    const s = newStore();
    const created = s.create('pods', pod);
    const bound = bindPod(s, 'default', 'p', 'worker-1');
    expect(bound.spec.nodeName).toBe('worker-1');
    expect(bound.spec.containers).toBe(created.spec.containers);
    expect(bound.metadata.generation).toBe(1);
    expect(bound.status.conditions).toEqual([
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: expect.any(String) },
    ]);
    expect(Object.isFrozen(bound.spec)).toBe(true);
    expect(s.currentRV()).toBe(Number(bound.metadata.resourceVersion));
    // Bound again to the same node: nothing to write; elsewhere: 409.
    expect(bindPod(s, 'default', 'p', 'worker-1')).toBe(bound);
    expect(() => bindPod(s, 'default', 'p', 'worker-2')).toThrow(/already assigned/);
  });

  it('a status write that finishes a deleted pod removes it (nothing holds it any more)', () => {
    const s = newStore();
    s.create('pods', pod);
    bindPod(s, 'default', 'p', 'worker-1');
    const marked = s.delete('pods', 'default', 'p', { gracePeriodSeconds: 30 });
    expect(marked.deleted).toBe(false);
    const running = { ...marked.object, status: { ...marked.object.status, phase: 'Running' } };
    s.update('pods', running, { subresource: 'status' });
    expect(s.get('pods', 'default', 'p')?.metadata.deletionTimestamp).toBeDefined();
    const cur = s.get('pods', 'default', 'p')!;
    s.update('pods', { ...cur, status: { ...cur.status, phase: 'Succeeded' } }, { subresource: 'status' });
    expect(s.get('pods', 'default', 'p')).toBeUndefined();
  });
});
