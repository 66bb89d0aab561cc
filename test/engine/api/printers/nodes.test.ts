import { describe, expect, it } from 'vitest';
import { table } from '../../../../source/engine/api/printers/nodes.ts';
import { NOW, ago, obj } from './helpers.ts';

const node = (name: string, labels: Record<string, string>, spec: any, status: any) =>
  obj(name, { spec, status }, { namespace: undefined, labels, creationTimestamp: ago(5 * 3600) });
const ready = (status: string) => ({
  conditions: [
    { type: 'MemoryPressure', status: 'False' },
    { type: 'Ready', status },
  ],
});

describe('nodes', () => {
  it('has the upstream columns', () => {
    expect(table.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Status:0',
      'Roles:0',
      'Age:0',
      'Version:0',
      'Internal-IP:1',
      'External-IP:1',
      'OS-Image:1',
      'Kernel-Version:1',
      'Container-Runtime:1',
    ]);
  });

  it('renders the observed control-plane node (k8s-api.md §6.3)', () => {
    const n = node(
      'control-plane',
      { 'node-role.kubernetes.io/control-plane': '' },
      {},
      {
        ...ready('True'),
        addresses: [
          { type: 'InternalIP', address: '172.18.0.2' },
          { type: 'Hostname', address: 'control-plane' },
        ],
        nodeInfo: {
          kubeletVersion: 'v1.32.4',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          kernelVersion: '6.8.0',
          containerRuntimeVersion: 'containerd://1.7.24',
        },
      },
    );
    expect(table.row(n, NOW)).toEqual([
      'control-plane',
      'Ready',
      'control-plane',
      '5h',
      'v1.32.4',
      '172.18.0.2',
      '<none>',
      'Debian GNU/Linux 12 (bookworm)',
      '6.8.0',
      'containerd://1.7.24',
    ]);
  });

  it.each<[string, any, any, string]>([
    ['NotReady and cordoned', { unschedulable: true }, ready('False'), 'NotReady,SchedulingDisabled'],
    ['Ready Unknown is NotReady', {}, ready('Unknown'), 'NotReady'],
    ['no Ready condition', {}, {}, 'Unknown'],
    ['no Ready condition, cordoned', { unschedulable: true }, {}, 'Unknown,SchedulingDisabled'],
    ['cordoned Ready node', { unschedulable: true }, ready('True'), 'Ready,SchedulingDisabled'],
  ])('status: %s', (_name, spec, status, want) => {
    expect(table.row(node('worker-1', {}, spec, status), NOW)[1]).toBe(want);
  });

  it('collects roles from both label forms, sorted and distinct', () => {
    const labels = {
      'node-role.kubernetes.io/worker': '',
      'node-role.kubernetes.io/': '',
      'kubernetes.io/role': 'infra',
      'node-role.kubernetes.io/infra': 'true',
      'kubernetes.io/hostname': 'n1',
    };
    expect(table.row(node('n1', labels, {}, {}), NOW)[2]).toBe('infra,worker');
    expect(table.row(node('n2', { 'kubernetes.io/role': '' }, {}, {}), NOW)[2]).toBe('<none>');
    expect(table.row(node('n3', {}, {}, {}), NOW)[2]).toBe('<none>');
  });

  it('shows the external IP and <unknown> for missing node info', () => {
    const n = node('edge', {}, {}, { addresses: [{ type: 'ExternalIP', address: '203.0.113.5' }] });
    expect(table.row(n, NOW).slice(4)).toEqual(['', '<none>', '203.0.113.5', '<unknown>', '<unknown>', '<unknown>']);
  });
});
