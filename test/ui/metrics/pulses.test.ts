import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { podHealth, pulsesView, renderPulses, sparkline } from '../../../source/ui/features/pulses-text.ts';

const pod = (name: string, status: KObject['status']): KObject => ({ metadata: { name }, status });

describe(':pulses text', () => {
  it('sparklines scale to the largest value', () => {
    expect(sparkline([0, 1, 2, 4])).toBe('▁▃▅█');
    expect(sparkline([0, 0])).toBe('▁▁');
  });

  it('pod health: running and ready ok, crash-looping error, pending warning', () => {
    expect(
      podHealth(pod('a', { phase: 'Running', containerStatuses: [{ ready: true, state: { running: {} } }] })),
    ).toBe('ok');
    expect(
      podHealth(
        pod('b', {
          phase: 'Running',
          containerStatuses: [{ ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
        }),
      ),
    ).toBe('error');
    expect(podHealth(pod('c', { phase: 'Pending' }))).toBe('warn');
  });

  it('counts, usage lines per node, newest warning first; says so without a metrics API', () => {
    const nodes = new Map([['node1', { cpu: 0.1, memory: 2 ** 20 }]]);
    const lines = renderPulses({
      pods: [pod('a', { phase: 'Pending' })],
      deployments: [],
      nodes: [{ metadata: { name: 'node1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }],
      warnings: [
        {
          metadata: { name: 'e1' },
          reason: 'Old',
          message: 'x',
          lastTimestamp: '2026-01-01T00:00:00Z',
          involvedObject: { kind: 'Pod', name: 'a', namespace: 'default' },
        },
        {
          metadata: { name: 'e2' },
          reason: 'New',
          message: 'y',
          lastTimestamp: '2026-01-01T00:01:00Z',
          involvedObject: { kind: 'Pod', name: 'a', namespace: 'default' },
        },
      ],
      history: [
        { cpu: 0.05, memory: 2 ** 20, nodes: new Map([['node1', { cpu: 0.05, memory: 2 ** 20 }]]) },
        { cpu: 0.1, memory: 2 ** 20, nodes },
      ],
      metricsAvailable: true,
      now: Date.parse('2026-01-01T00:02:00Z'),
      width: 100,
    });
    const text = lines.join('\n');
    expect(text).toMatch(/Pods\s+1\s+ok\s+0\s+warning\s+1\s+error\s+0/);
    expect(text).toMatch(/node1 CPU\s+▅█\s+100m/);
    expect(text.indexOf('New')).toBeLessThan(text.indexOf('Old'));
    const none = renderPulses({
      pods: [],
      deployments: [],
      nodes: [],
      warnings: [],
      history: [],
      metricsAvailable: false,
      now: 0,
      width: 80,
    }).join('\n');
    expect(none).toContain('no metrics API on this cluster');
  });

  it('tiles: each count, usage and warning line is a tile with the view enter opens', () => {
    const { lines, tiles } = pulsesView({
      pods: [],
      deployments: [],
      nodes: [],
      warnings: [
        {
          metadata: { name: 'e1', uid: 'u1' },
          reason: 'BackOff',
          message: 'x',
          lastTimestamp: '2026-01-01T00:00:00Z',
          involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'shop', uid: 'd1' },
        },
      ],
      history: [{ cpu: 0.1, memory: 1, nodes: new Map([['node1', { cpu: 0.1, memory: 1 }]]) }],
      metricsAvailable: true,
      now: Date.parse('2026-01-01T00:01:00Z'),
      width: 100,
    });
    expect(tiles.map((t) => t.key)).toEqual([
      'pods',
      'deployments',
      'nodes',
      'cluster:cpu',
      'cluster:mem',
      'node:node1:cpu',
      'node:node1:mem',
      'event:u1',
    ]);
    for (const t of tiles) expect(lines[t.line]).toBeTruthy();
    expect(lines[tiles[0]!.line]).toMatch(/^Pods/);
    expect(tiles.find((t) => t.key === 'node:node1:mem')!.target).toEqual({
      kind: 'table',
      resource: 'pods',
      fieldSelector: 'spec.nodeName=node1',
      scopeLabel: 'node/node1',
    });
    expect(tiles.at(-1)!.target).toEqual({
      kind: 'object',
      apiVersion: 'apps/v1',
      objectKind: 'Deployment',
      namespace: 'shop',
      name: 'web',
      uid: 'd1',
    });
    expect(lines[tiles.at(-1)!.line]).toContain('shop/deployment/web');
  });
});
