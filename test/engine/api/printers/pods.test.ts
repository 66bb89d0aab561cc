import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../../source/api-types/index.ts';
import { table } from '../../../../source/engine/api/printers/pods.ts';
import { NOW, ago } from './helpers.ts';

const running = (name: string, extra: object = {}) => ({
  name,
  ready: true,
  started: true,
  restartCount: 0,
  state: { running: { startedAt: ago(60) } },
  ...extra,
});
const waiting = (name: string, reason: string, extra: object = {}) => ({
  name,
  ready: false,
  restartCount: 0,
  state: { waiting: { reason } },
  ...extra,
});
const terminated = (name: string, t: object, extra: object = {}) => ({
  name,
  ready: false,
  restartCount: 0,
  state: { terminated: { exitCode: 0, ...t } },
  ...extra,
});
const cond = (type: string, status = 'True', reason?: string) => ({ type, status, ...(reason ? { reason } : {}) });

function pod(status: any, spec: any = {}, meta: any = {}): KObject {
  return {
    metadata: { name: 'web', namespace: 'default', creationTimestamp: ago(4), ...meta },
    spec: { containers: [{ name: 'nginx', image: 'nginx' }], ...spec },
    status,
  };
}

/** Cells Ready, Status, Restarts. */
const brief = (p: KObject) => table.row(p, NOW).slice(1, 4);

describe('pod columns', () => {
  it('match the upstream definitions, wide ones at priority 1', () => {
    expect(table.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Status', 'string', 0],
      ['Restarts', 'string', 0],
      ['Age', 'string', 0],
      ['IP', 'string', 1],
      ['Node', 'string', 1],
      ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ]);
    expect(table.columns[0].format).toBe('name');
  });
});

describe('pod row', () => {
  it('renders the observed running pod (k8s-api.md §6.3)', () => {
    const p = pod(
      {
        phase: 'Running',
        conditions: [cond('Ready')],
        podIP: '10.244.1.10',
        podIPs: [{ ip: '10.244.1.10' }],
        containerStatuses: [running('nginx')],
      },
      { nodeName: 'worker-2' },
      { name: 'web-b5cc7c54f-5nb5n' },
    );
    expect(table.row(p, NOW)).toEqual([
      'web-b5cc7c54f-5nb5n',
      '1/1',
      'Running',
      '0',
      '4s',
      '10.244.1.10',
      'worker-2',
      '<none>',
      '<none>',
    ]);
    expect(table.conditions!(p)).toBeUndefined();
  });

  it.each<[string, any, any, string[]]>([
    ['pending without statuses', { phase: 'Pending' }, {}, ['0/1', 'Pending', '0']],
    [
      'ContainerCreating',
      { phase: 'Pending', containerStatuses: [waiting('nginx', 'ContainerCreating')] },
      {},
      ['0/1', 'ContainerCreating', '0'],
    ],
    [
      'ErrImagePull',
      { phase: 'Pending', containerStatuses: [waiting('nginx', 'ErrImagePull')] },
      {},
      ['0/1', 'ErrImagePull', '0'],
    ],
    [
      'ImagePullBackOff',
      { phase: 'Pending', containerStatuses: [waiting('nginx', 'ImagePullBackOff')] },
      {},
      ['0/1', 'ImagePullBackOff', '0'],
    ],
    [
      'CrashLoopBackOff with restarts',
      {
        phase: 'Running',
        containerStatuses: [
          waiting('nginx', 'CrashLoopBackOff', {
            restartCount: 3,
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(120) } },
          }),
        ],
      },
      {},
      ['0/1', 'CrashLoopBackOff', '3 (2m ago)'],
    ],
    [
      'restarts without a last termination time',
      { phase: 'Running', containerStatuses: [running('nginx', { restartCount: 3 })] },
      {},
      ['1/1', 'Running', '3'],
    ],
    [
      'Completed',
      { phase: 'Succeeded', containerStatuses: [terminated('nginx', { reason: 'Completed' })] },
      {},
      ['0/1', 'Completed', '0'],
    ],
    [
      'Error',
      { phase: 'Failed', containerStatuses: [terminated('nginx', { exitCode: 1, reason: 'Error' })] },
      {},
      ['0/1', 'Error', '0'],
    ],
    [
      'OOMKilled',
      { phase: 'Running', containerStatuses: [terminated('nginx', { exitCode: 137, reason: 'OOMKilled' })] },
      {},
      ['0/1', 'OOMKilled', '0'],
    ],
    [
      'Signal:N without reason',
      { phase: 'Running', containerStatuses: [terminated('nginx', { exitCode: 137, signal: 9 })] },
      {},
      ['0/1', 'Signal:9', '0'],
    ],
    [
      'ExitCode:N without reason',
      { phase: 'Running', containerStatuses: [terminated('nginx', { exitCode: 2 })] },
      {},
      ['0/1', 'ExitCode:2', '0'],
    ],
    ['status.reason wins over phase', { phase: 'Failed', reason: 'Evicted' }, {}, ['0/1', 'Evicted', '0']],
    [
      'SchedulingGated',
      { phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'SchedulingGated')] },
      {},
      ['0/1', 'SchedulingGated', '0'],
    ],
    [
      'first container wins (loop runs last to first)',
      { phase: 'Pending', containerStatuses: [waiting('a', 'ErrImagePull'), waiting('b', 'ContainerCreating')] },
      { containers: [{ name: 'a' }, { name: 'b' }] },
      ['0/2', 'ErrImagePull', '0'],
    ],
    [
      'Completed with a running container and Ready condition -> Running',
      {
        phase: 'Running',
        conditions: [cond('Ready')],
        containerStatuses: [terminated('a', { reason: 'Completed' }), running('b')],
      },
      { containers: [{ name: 'a' }, { name: 'b' }] },
      ['1/2', 'Running', '0'],
    ],
    [
      'Completed with a running container, not Ready -> NotReady',
      {
        phase: 'Running',
        conditions: [cond('Ready', 'False')],
        containerStatuses: [terminated('a', { reason: 'Completed' }), running('b')],
      },
      { containers: [{ name: 'a' }, { name: 'b' }] },
      ['1/2', 'NotReady', '0'],
    ],
    [
      'running but not ready',
      { phase: 'Running', containerStatuses: [running('nginx', { ready: false })] },
      {},
      ['0/1', 'Running', '0'],
    ],
    [
      'restarts sum over containers, latest termination wins',
      {
        phase: 'Running',
        containerStatuses: [
          running('a', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(3600) } } }),
          running('b', { restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } } }),
        ],
      },
      { containers: [{ name: 'a' }, { name: 'b' }] },
      ['2/2', 'Running', '3 (90s ago)'],
    ],
  ])('%s', (_name, status, spec, want) => {
    expect(brief(pod(status, spec))).toEqual(want);
  });
});

describe('pod row with init containers', () => {
  const twoInits = { initContainers: [{ name: 'init-a' }, { name: 'init-b' }] };

  it.each<[string, any, any, string[]]>([
    [
      'first init running',
      {
        phase: 'Pending',
        initContainerStatuses: [running('init-a', { ready: false }), waiting('init-b', 'PodInitializing')],
      },
      twoInits,
      ['0/1', 'Init:0/2', '0'],
    ],
    [
      'second init running',
      {
        phase: 'Pending',
        initContainerStatuses: [terminated('init-a', { reason: 'Completed' }), running('init-b', { ready: false })],
      },
      twoInits,
      ['0/1', 'Init:1/2', '0'],
    ],
    [
      'init waiting PodInitializing shows Init:i/n',
      { phase: 'Pending', initContainerStatuses: [waiting('init-a', 'PodInitializing')] },
      { initContainers: [{ name: 'init-a' }] },
      ['0/1', 'Init:0/1', '0'],
    ],
    [
      'init crash loop counts its restarts',
      {
        phase: 'Pending',
        initContainerStatuses: [
          waiting('init-a', 'CrashLoopBackOff', {
            restartCount: 2,
            lastState: { terminated: { exitCode: 1, finishedAt: ago(30) } },
          }),
          waiting('init-b', 'PodInitializing'),
        ],
        containerStatuses: [waiting('nginx', 'PodInitializing')],
      },
      twoInits,
      ['0/1', 'Init:CrashLoopBackOff', '2 (30s ago)'],
    ],
    [
      'init terminated with reason',
      { phase: 'Pending', initContainerStatuses: [terminated('init-a', { exitCode: 1, reason: 'Error' })] },
      twoInits,
      ['0/1', 'Init:Error', '0'],
    ],
    [
      'init terminated with exit code only',
      { phase: 'Pending', initContainerStatuses: [terminated('init-a', { exitCode: 2 })] },
      twoInits,
      ['0/1', 'Init:ExitCode:2', '0'],
    ],
    [
      'init terminated by signal',
      { phase: 'Pending', initContainerStatuses: [terminated('init-a', { exitCode: 137, signal: 9 })] },
      twoInits,
      ['0/1', 'Init:Signal:9', '0'],
    ],
    [
      'initialized pod: init restarts are dropped',
      {
        phase: 'Running',
        conditions: [cond('Initialized'), cond('Ready')],
        initContainerStatuses: [
          terminated(
            'init-a',
            { reason: 'Completed' },
            { restartCount: 4, lastState: { terminated: { exitCode: 1, finishedAt: ago(600) } } },
          ),
          terminated('init-b', { reason: 'Completed' }),
        ],
        containerStatuses: [running('nginx')],
      },
      twoInits,
      ['1/1', 'Running', '0'],
    ],
    [
      'sidecar counts towards ready/total and restarts',
      {
        phase: 'Running',
        conditions: [cond('Initialized'), cond('Ready')],
        initContainerStatuses: [
          running('proxy', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(300) } } }),
        ],
        containerStatuses: [running('nginx')],
      },
      { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
      ['2/2', 'Running', '1 (5m ago)'],
    ],
    [
      'sidecar not yet started blocks initialization',
      { phase: 'Pending', initContainerStatuses: [waiting('proxy', 'ContainerCreating', { started: false })] },
      { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] },
      ['0/2', 'Init:ContainerCreating', '0'],
    ],
  ])('%s', (_name, status, spec, want) => {
    expect(brief(pod(status, spec))).toEqual(want);
  });
});

describe('deleting pods', () => {
  const deleting = { deletionTimestamp: ago(1) };

  it('a running pod being deleted is Terminating', () => {
    const p = pod({ phase: 'Running', containerStatuses: [running('nginx')] }, {}, deleting);
    expect(brief(p)).toEqual(['1/1', 'Terminating', '0']);
  });

  it('a pending pod being deleted is Terminating', () => {
    expect(
      brief(pod({ phase: 'Pending', containerStatuses: [waiting('nginx', 'ImagePullBackOff')] }, {}, deleting))[1],
    ).toBe('Terminating');
  });

  it('a pod on a lost node is Unknown', () => {
    expect(brief(pod({ phase: 'Running', reason: 'NodeLost' }, {}, deleting))[1]).toBe('Unknown');
  });

  it('a terminal pod keeps its status while deleting', () => {
    const p = pod(
      { phase: 'Succeeded', containerStatuses: [terminated('nginx', { reason: 'Completed' })] },
      {},
      deleting,
    );
    expect(brief(p)[1]).toBe('Completed');
  });
});

describe('pod wide cells and conditions', () => {
  it('shows node, nominated node, IP and readiness gates', () => {
    const p = pod(
      {
        phase: 'Running',
        nominatedNodeName: 'worker-3',
        podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }],
        conditions: [cond('example.com/gate-a'), cond('example.com/gate-b', 'False')],
      },
      {
        nodeName: 'worker-1',
        readinessGates: [{ conditionType: 'example.com/gate-a' }, { conditionType: 'example.com/gate-b' }],
      },
    );
    expect(table.row(p, NOW).slice(5)).toEqual(['10.0.0.5', 'worker-1', 'worker-3', '1/2']);
  });

  it('shows <none> for unset wide cells', () => {
    expect(table.row(pod({ phase: 'Pending' }), NOW).slice(5)).toEqual(['<none>', '<none>', '<none>', '<none>']);
  });

  it('marks finished pods Completed', () => {
    expect(table.conditions!(pod({ phase: 'Succeeded' }))).toEqual([
      { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
    ]);
    expect(table.conditions!(pod({ phase: 'Failed' }))).toEqual([
      { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
    ]);
    expect(table.conditions!(pod({ phase: 'Pending' }))).toBeUndefined();
  });

  it('copes with a bare pod', () => {
    const bare: KObject = { metadata: { name: 'bare' } };
    expect(table.row(bare, NOW)).toEqual(['bare', '0/0', '', '0', '<unknown>', '<none>', '<none>', '<none>', '<none>']);
  });
});

describe('pod rows at scale', () => {
  it('produces 10,000 rows', () => {
    const pods: KObject[] = [];
    for (let i = 0; i < 10_000; i++) {
      pods.push(
        pod(
          {
            phase: 'Running',
            conditions: [cond('Initialized'), cond('Ready')],
            podIPs: [{ ip: `10.244.${i >> 8}.${i & 255}` }],
            containerStatuses: [
              running('nginx', {
                restartCount: i % 3,
                lastState: i % 3 ? { terminated: { exitCode: 1, finishedAt: ago(i) } } : {},
              }),
            ],
          },
          { nodeName: `worker-${i % 5}` },
          { name: `web-${i}` },
        ),
      );
    }
    const rows = pods.map((p) => table.row(p, NOW));
    expect(rows).toHaveLength(10_000);
    expect(rows[9_999][0]).toBe('web-9999');
    expect(rows.every((r) => r.length === table.columns.length)).toBe(true);
  });
});
