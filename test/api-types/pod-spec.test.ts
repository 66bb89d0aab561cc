import { describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { containerNames, defaultContainer } from '../../source/api-types/pod-spec.ts';

const pod = (annotations?: Record<string, string>): KObject => ({
  kind: 'Pod',
  metadata: { name: 'p', annotations },
  spec: { containers: [{ name: 'app' }, { name: 'sidecar' }] },
});

describe('pod-spec helpers', () => {
  it('lists a pod’s and a workload template’s containers', () => {
    expect(containerNames(pod())).toEqual(['app', 'sidecar']);
    const deploy: KObject = {
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { template: { spec: { containers: [{ name: 'web' }] } } },
    };
    expect(containerNames(deploy)).toEqual(['web']);
    expect(containerNames({ kind: 'Pod', metadata: { name: 'x' } })).toEqual([]);
  });

  it('prefers the kubectl.kubernetes.io/default-container annotation, else the first container', () => {
    expect(defaultContainer(pod())).toBe('app');
    expect(defaultContainer(pod({ 'kubectl.kubernetes.io/default-container': 'sidecar' }))).toBe('sidecar');
  });
});
