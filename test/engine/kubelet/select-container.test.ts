import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { logInstance, pickContainer } from '../../../source/engine/kubelet/streams/select-container.ts';

const pod = (containers: string[], init: string[] = [], annotations?: Record<string, string>): KObject => ({
  metadata: { name: 'p', namespace: 'default', annotations },
  spec: { containers: containers.map((name) => ({ name })), initContainers: init.map((name) => ({ name })) },
});

describe('pickContainer', () => {
  it('the named one, the annotated default, the only one, or a 400 listing them', () => {
    expect(pickContainer(pod(['a']), null)).toBe('a');
    expect(pickContainer(pod(['a', 'b']), 'b')).toBe('b');
    expect(pickContainer(pod(['a', 'b'], [], { 'kubectl.kubernetes.io/default-container': 'b' }), null)).toBe('b');
    expect(() => pickContainer(pod(['a', 'b'], ['i']), null)).toThrow(
      'a container name must be specified for pod p, choose one of: [a b] or one of the init containers: [i]',
    );
    expect(() => pickContainer(pod(['a']), 'x')).toThrow('container x is not valid for pod p');
  });
});

describe('logInstance', () => {
  const st = (state: any, lastState: any = {}) => ({
    name: 'c',
    state,
    lastState,
    ready: false,
    started: false,
    restartCount: 0,
    image: '',
    imageID: '',
  });
  const p = pod(['c']);
  it('reads the current instance, or the previous one; waiting containers answer 400', () => {
    expect(logInstance(p, 'c', st({ running: {} }), false)).toEqual({ instance: 'latest' });
    expect(logInstance(p, 'c', st({ running: {} }, { terminated: { exitCode: 1 } }), true)).toEqual({
      instance: 'previous',
    });
    // In CrashLoopBackOff both read the last terminated instance (the next may be starting).
    expect(
      logInstance(p, 'c', st({ waiting: { reason: 'CrashLoopBackOff' } }, { terminated: { exitCode: 1 } }), true),
    ).toEqual({ instance: 'lastEnded' });
    expect(
      logInstance(p, 'c', st({ waiting: { reason: 'CrashLoopBackOff' } }, { terminated: { exitCode: 1 } }), false),
    ).toEqual({ instance: 'lastEnded' });
    expect(() => logInstance(p, 'c', st({ running: {} }), true)).toThrow(
      'previous terminated container "c" in pod "p" not found',
    );
    expect(() => logInstance(p, 'c', st({ waiting: { reason: 'ContainerCreating' } }), false)).toThrow(
      'container "c" in pod "p" is waiting to start: ContainerCreating',
    );
    expect(() => logInstance(p, 'c', st({ waiting: { reason: 'ErrImagePull' } }), false)).toThrow(
      'container "c" in pod "p" is waiting to start: image can\'t be pulled',
    );
    expect(() => logInstance(p, 'c', undefined, false)).toThrow('is waiting to start: ContainerCreating');
  });
});
