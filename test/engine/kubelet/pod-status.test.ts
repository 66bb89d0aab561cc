import { describe, expect, it } from 'vitest';
import {
  buildPodStatus,
  podPhase,
  type ContainerStatus,
  type PodView,
} from '../../../source/engine/kubelet/pod-status.ts';

const running = (name: string, ready = true): ContainerStatus => ({
  name,
  ready,
  started: true,
  restartCount: 0,
  image: 'i',
  imageID: 'x',
  state: { running: { startedAt: 't' } },
  lastState: {},
});
const exited = (name: string, exitCode: number): ContainerStatus => ({
  ...running(name, false),
  started: false,
  state: { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed', finishedAt: 't' } },
});
const waiting = (name: string, lastExit?: number): ContainerStatus => ({
  ...running(name, false),
  started: false,
  state: { waiting: { reason: lastExit === undefined ? 'ContainerCreating' : 'CrashLoopBackOff' } },
  lastState: lastExit === undefined ? {} : { terminated: { exitCode: lastExit, reason: 'Error', finishedAt: 't' } },
});
const view = (app: ContainerStatus[], restartPolicy = 'Always', extra: Partial<PodView> = {}): PodView => ({
  hostIP: '127.0.1.2',
  podIP: '127.244.1.2',
  startTime: 's',
  restartPolicy,
  init: [],
  app,
  initialized: true,
  sandboxReady: true,
  ...extra,
});

describe('podPhase', () => {
  it('follows the kubelet: waiting → Pending, running → Running, all stopped by policy', () => {
    expect(podPhase(view([waiting('a')]))).toBe('Pending');
    expect(podPhase(view([running('a'), waiting('b')]))).toBe('Pending');
    expect(podPhase(view([running('a'), exited('b', 1)], 'Never'))).toBe('Running');
    expect(podPhase(view([waiting('a', 1)]))).toBe('Running');
    expect(podPhase(view([exited('a', 0)], 'Always'))).toBe('Running');
    expect(podPhase(view([exited('a', 0), exited('b', 0)], 'OnFailure'))).toBe('Succeeded');
    expect(podPhase(view([exited('a', 0), exited('b', 2)], 'OnFailure'))).toBe('Running');
    expect(podPhase(view([exited('a', 0), exited('b', 2)], 'Never'))).toBe('Failed');
    expect(podPhase(view([running('a')]), 'Succeeded')).toBe('Succeeded');
    expect(podPhase(view([waiting('a')], 'Never', { initialized: false, init: [exited('i', 1)] }))).toBe('Failed');
    expect(podPhase(view([waiting('a')], 'Always', { initialized: false, init: [exited('i', 1)] }))).toBe('Pending');
  });
});

describe('buildPodStatus', () => {
  it('keeps transition times of unchanged conditions, PodScheduled and fields it does not own', () => {
    const prev = {
      phase: 'Pending',
      qosClass: 'BestEffort',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: 'sched' },
        { type: 'DisruptionTarget', status: 'True' },
      ],
    };
    const first = buildPodStatus(prev, view([running('a', false)]), Date.parse('2026-01-01T00:00:00Z'));
    expect(first.qosClass).toBe('BestEffort');
    expect(first.conditions.map((c: any) => c.type)).toEqual([
      'PodReadyToStartContainers',
      'Initialized',
      'Ready',
      'ContainersReady',
      'PodScheduled',
      'DisruptionTarget',
    ]);
    expect(first.conditions[4].lastTransitionTime).toBe('sched');
    expect(first.conditions[2]).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [a]',
      lastProbeTime: null,
      lastTransitionTime: '2026-01-01T00:00:00Z',
    });
    const second = buildPodStatus(first, view([running('a', true)]), Date.parse('2026-01-01T00:01:00Z'));
    expect(second.conditions[0].lastTransitionTime).toBe('2026-01-01T00:00:00Z');
    expect(second.conditions[2]).toEqual({
      type: 'Ready',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: '2026-01-01T00:01:00Z',
    });
    expect(second).toMatchObject({
      phase: 'Running',
      hostIP: '127.0.1.2',
      hostIPs: [{ ip: '127.0.1.2' }],
      podIP: '127.244.1.2',
      podIPs: [{ ip: '127.244.1.2' }],
      startTime: 's',
    });
    expect(second.containerStatuses[0]).toEqual({
      name: 'a',
      ready: true,
      started: true,
      restartCount: 0,
      image: 'i',
      imageID: 'x',
      state: { running: { startedAt: 't' } },
      lastState: {},
    });
  });
});
