import { describe, expect, it } from 'vitest';
import { table } from '../../../../source/engine/api/printers/events.ts';
import { NOW, ago, obj } from './helpers.ts';

const event = (rest: any) =>
  obj('web.17f3a1b2c3d4e5f6', {
    involvedObject: { kind: 'Deployment', name: 'web', namespace: 'default', uid: 'u1', apiVersion: 'apps/v1' },
    reason: 'ScalingReplicaSet',
    message: 'Scaled up replica set web-f6cff4b96 to 1',
    source: { component: 'deployment-controller' },
    firstTimestamp: ago(0),
    lastTimestamp: ago(0),
    count: 1,
    type: 'Normal',
    eventTime: null,
    ...rest,
  });

describe('events', () => {
  it('has the upstream columns in order', () => {
    expect(table.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Last Seen:0',
      'Type:0',
      'Reason:0',
      'Object:0',
      'Subobject:1',
      'Source:1',
      'Message:0',
      'First Seen:1',
      'Count:1',
      'Name:1',
    ]);
    expect(table.columns[9].format).toBe('name');
  });

  it('renders the observed event (k8s-api.md §6.3)', () => {
    expect(table.row(event({}), NOW)).toEqual([
      '0s',
      'Normal',
      'ScalingReplicaSet',
      'deployment/web',
      '',
      'deployment-controller',
      'Scaled up replica set web-f6cff4b96 to 1',
      '0s',
      1,
      'web.17f3a1b2c3d4e5f6',
    ]);
  });

  it('renders a kubelet event with subobject, host and repeats', () => {
    const e = event({
      involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{nginx}' },
      type: 'Warning',
      reason: 'BackOff',
      message: '  Back-off restarting failed container nginx\n',
      source: { component: 'kubelet', host: 'worker-1' },
      firstTimestamp: ago(600),
      lastTimestamp: ago(20),
      count: 7,
    });
    expect(table.row(e, NOW)).toEqual([
      '20s',
      'Warning',
      'BackOff',
      'pod/web-1',
      'spec.containers{nginx}',
      'kubelet, worker-1',
      'Back-off restarting failed container nginx',
      '10m',
      7,
      'web.17f3a1b2c3d4e5f6',
    ]);
  });

  it.each<[string, any, string, string, number]>([
    ['last seen falls back to first seen', { lastTimestamp: null, firstTimestamp: ago(90) }, '90s', '90s', 1],
    [
      'first seen falls back to eventTime',
      { firstTimestamp: null, lastTimestamp: null, eventTime: '2025-06-01T11:59:00.123456Z' },
      '59s',
      '59s',
      1,
    ], // 59.877s truncates
    ['nothing set', { firstTimestamp: null, lastTimestamp: null }, '<unknown>', '<unknown>', 1],
    ['count 0 becomes 1', { count: 0 }, '0s', '0s', 1],
    ['missing count becomes 1', { count: undefined }, '0s', '0s', 1],
    [
      'series overrides last seen and count',
      {
        firstTimestamp: null,
        lastTimestamp: null,
        count: 0,
        eventTime: ago(300),
        series: { count: 4, lastObservedTime: '2025-06-01T11:59:30.000000Z' },
      },
      '30s',
      '5m',
      4,
    ],
  ])('%s', (_name, rest, lastSeen, firstSeen, count) => {
    const row = table.row(event(rest), NOW);
    expect([row[0], row[7], row[8]]).toEqual([lastSeen, firstSeen, count]);
  });

  it('uses the kind alone without a name and falls back to reporting fields for the source', () => {
    const e = event({
      involvedObject: { kind: 'Node' },
      source: {},
      reportingComponent: 'kubelet',
      reportingInstance: 'worker-2',
    });
    const row = table.row(e, NOW);
    expect([row[3], row[5]]).toEqual(['node', 'kubelet, worker-2']);
    expect(table.row(event({ source: undefined }), NOW)[5]).toBe('');
  });
});
