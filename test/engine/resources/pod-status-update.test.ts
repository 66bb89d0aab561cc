import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { validatePodStatusUpdate } from '../../../source/engine/resources/pod-status-update.ts';

const podWith = (status: Record<string, unknown>, spec: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  status,
});

const fields = (next: KObject, old: KObject) => validatePodStatusUpdate(next, old).map((c) => c.field);

const terminated = { name: 'c', state: { terminated: { exitCode: 0, reason: 'Completed' } } };
const running = { name: 'c', state: { running: { startedAt: '2026-12-03T07:00:00Z' } } };

describe('validatePodStatusUpdate (upstream ValidatePodStatusUpdate)', () => {
  it('accepts what the kubelet writes', () => {
    const old = podWith({ phase: 'Pending' });
    const next = podWith({
      phase: 'Running',
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True' },
        { type: 'Ready', status: 'True' },
        { type: 'example.com/gate', status: 'True' },
      ],
      podIP: '127.244.4.2',
      podIPs: [{ ip: '127.244.4.2' }, { ip: 'fd00::2' }],
      hostIPs: [{ ip: '127.0.0.1' }],
      containerStatuses: [running],
    });
    expect(fields(next, old)).toEqual([]);
  });

  it('rejects bad IPs, two of one family, bad condition types and nominated nodes', () => {
    const old = podWith({});
    expect(fields(podWith({ podIPs: [{ ip: 'not-an-ip' }] }), old)).toEqual(['status.podIPs[0]']);
    expect(fields(podWith({ hostIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }), old)).toEqual(['status.hostIPs']);
    expect(fields(podWith({ conditions: [{ type: 'bad type!', status: 'True' }] }), old)).toEqual([
      'status.conditions[0].type',
    ]);
    expect(fields(podWith({ nominatedNodeName: 'Not_A_Node' }), old)).toEqual(['status.nominatedNodeName']);
  });

  it('keeps a terminated container terminated unless the restart policy restarts it', () => {
    const never = podWith({ containerStatuses: [terminated] }, { restartPolicy: 'Never' });
    expect(fields(podWith({ containerStatuses: [running] }), never)).toEqual(['status.containerStatuses[0].state']);
    const always = podWith({ containerStatuses: [terminated] }, { restartPolicy: 'Always' });
    expect(fields(podWith({ containerStatuses: [running] }), always)).toEqual([]);
    const failed = { name: 'c', state: { terminated: { exitCode: 1, reason: 'Error' } } };
    const onFailure = podWith({ containerStatuses: [failed] }, { restartPolicy: 'OnFailure' });
    expect(fields(podWith({ containerStatuses: [running] }), onFailure)).toEqual([]);
    const sidecar = podWith(
      { initContainerStatuses: [{ ...terminated, name: 's' }] },
      { restartPolicy: 'Never', initContainers: [{ name: 's', image: 'busybox', restartPolicy: 'Always' }] },
    );
    expect(fields(podWith({ initContainerStatuses: [{ ...running, name: 's' }] }), sidecar)).toEqual([]);
  });
});
