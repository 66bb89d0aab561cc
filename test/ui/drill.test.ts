import { describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { mountsClaim } from '../../source/ui/claim-pods.ts';
import { claimVolume, drillTarget } from '../../source/ui/drill.ts';

const pvc = (name: string, volumeName?: string): KObject => ({
  metadata: { name, namespace: 'shop' },
  spec: { volumeName },
  status: { phase: volumeName ? 'Bound' : 'Pending' },
});
const podWith = (name: string, volumes: unknown[]): KObject => ({
  metadata: { name, namespace: 'shop' },
  spec: { volumes },
});

describe('storage drills', () => {
  it('a PVC drills to the pods of its namespace that mount it', () => {
    expect(drillTarget('persistentvolumeclaims', pvc('data'))).toEqual({
      resource: 'pods',
      namespace: 'shop',
      claimName: 'data',
      scopeLabel: 'pvc/data',
    });
    expect(mountsClaim(podWith('a', [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }]), 'data')).toBe(true);
    expect(
      mountsClaim(
        podWith('b', [
          { name: 'v', persistentVolumeClaim: { claimName: 'other' } },
          { name: 'c', configMap: { name: 'data' } },
        ]),
        'data',
      ),
    ).toBe(false);
    // A generic ephemeral volume's claim is <pod>-<volume>.
    expect(
      mountsClaim(podWith('web', [{ name: 'scratch', ephemeral: { volumeClaimTemplate: {} } }]), 'web-scratch'),
    ).toBe(true);
    expect(mountsClaim({ metadata: { name: 'meta-only' } }, 'data')).toBe(false);
  });

  it('a PV drills to its bound claim; a PVC names its volume; unbound ones say why', () => {
    const pv: KObject = { metadata: { name: 'pvc-1' }, spec: { claimRef: { namespace: 'shop', name: 'data' } } };
    expect(drillTarget('persistentvolumes', pv)).toEqual({
      resource: 'persistentvolumeclaims',
      namespace: 'shop',
      fieldSelector: 'metadata.name=data',
      scopeLabel: 'pv/pvc-1',
    });
    expect(drillTarget('persistentvolumes', { metadata: { name: 'free' }, spec: {} })).toEqual({
      refused: 'pv/free is not bound to a claim',
    });
    expect(claimVolume(pvc('data', 'pvc-1'))).toEqual({
      resource: 'persistentvolumes',
      namespace: null,
      fieldSelector: 'metadata.name=pvc-1',
      scopeLabel: 'pvc/data',
    });
    expect(claimVolume(pvc('waiting'))).toEqual({ refused: 'pvc/waiting is not bound to a volume (Pending)' });
    expect(drillTarget('deployments.apps', { metadata: { name: 'x' }, spec: {} })).toEqual({
      refused: 'x has no selector',
    });
  });
});
