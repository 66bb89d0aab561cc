import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { mappedTarget, podTarget } from '../../../source/engine/proxy/targets.ts';

const pod = (map?: unknown): KObject => ({
  metadata: { name: 'p', annotations: map === undefined ? undefined : { 'skiff.dev/port-map': JSON.stringify(map) } },
  status: { podIP: '127.246.1.5' },
});

describe('port-map annotation', () => {
  it('dials the pod IP when nothing is mapped', () => {
    expect(podTarget(pod(), 80)).toEqual({ host: '127.246.1.5', port: 80 });
    expect(podTarget({ metadata: {}, status: {} }, 80)).toBeUndefined();
  });

  it('understands host:port, a bare port, and the runtime PortMapping list', () => {
    expect(podTarget(pod({ 80: '127.0.0.1:41234' }), 80)).toEqual({ host: '127.0.0.1', port: 41234 });
    expect(podTarget(pod({ 80: '127.0.0.1:41234' }), 81)).toEqual({ host: '127.246.1.5', port: 81 });
    expect(podTarget(pod({ 80: 41000 }), 80)).toEqual({ host: '127.246.1.5', port: 41000 });
    expect(podTarget(pod({ 80: '41001' }), 80)).toEqual({ host: '127.246.1.5', port: 41001 });
    expect(podTarget(pod([{ containerPort: 80, hostIP: '127.246.1.5', hostPort: 41002 }]), 80)).toEqual({
      host: '127.246.1.5',
      port: 41002,
    });
    expect(podTarget(pod({ 80: { hostIP: '127.0.0.2', hostPort: 41003 } }), 80)).toEqual({
      host: '127.0.0.2',
      port: 41003,
    });
  });

  it('ignores a broken annotation', () => {
    const p: KObject = {
      metadata: { annotations: { 'skiff.dev/port-map': '{nope' } },
      status: { podIP: '127.246.1.5' },
    };
    expect(podTarget(p, 80)).toEqual({ host: '127.246.1.5', port: 80 });
    expect(mappedTarget(undefined, '127.0.0.9', 5)).toEqual({ host: '127.0.0.9', port: 5 });
  });
});
