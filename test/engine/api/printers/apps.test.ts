import { describe, expect, it } from 'vitest';
import { labelSelectorString } from '../../../../source/api-types/label-selector.ts';
import { table as daemonsets } from '../../../../source/engine/api/printers/daemonsets.ts';
import { table as deployments } from '../../../../source/engine/api/printers/deployments.ts';
import { table as replicasets } from '../../../../source/engine/api/printers/replicasets.ts';
import { table as statefulsets } from '../../../../source/engine/api/printers/statefulsets.ts';
import { formatLabelSelector, formatLabels } from '../../../../source/engine/api/printers/common.ts';
import { NOW, obj } from './helpers.ts';

const template = (...containers: Array<[string, string]>) => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: containers.map(([name, image]) => ({ name, image })) },
});

describe('deployments', () => {
  it('has the upstream columns', () => {
    expect(deployments.columns.map((c) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Up-to-date', 'string', 0],
      ['Available', 'string', 0],
      ['Age', 'string', 0],
      ['Containers', 'string', 1],
      ['Images', 'string', 1],
      ['Selector', 'string', 1],
    ]);
  });

  it('renders the observed deployment (k8s-api.md §6.3)', () => {
    const d = obj('web', {
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: template(['nginx', 'nginx:1.25'], ['log', 'busybox']),
      },
      status: { replicas: 3, readyReplicas: 3, updatedReplicas: 3, availableReplicas: 3 },
    });
    expect(deployments.row(d, NOW)).toEqual(['web', '3/3', 3, 3, '5s', 'nginx,log', 'nginx:1.25,busybox', 'app=web']);
  });

  it('counts missing status fields as 0', () => {
    const d = obj('web', {
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template(['nginx', 'nginx']) },
    });
    expect(deployments.row(d, NOW).slice(1, 4)).toEqual(['0/2', 0, 0]);
  });

  it('shows <invalid> for a malformed selector', () => {
    const d = obj('web', { spec: { replicas: 1, selector: { matchExpressions: [{ key: 'a', operator: 'In' }] } } });
    expect(deployments.row(d, NOW)[7]).toBe('<invalid>');
  });
});

describe('replicasets', () => {
  it('renders Desired/Current/Ready as numbers and the selector', () => {
    expect(replicasets.columns.map((c) => `${c.name}:${c.type}:${c.priority}`)).toEqual([
      'Name:string:0',
      'Desired:integer:0',
      'Current:integer:0',
      'Ready:integer:0',
      'Age:string:0',
      'Containers:string:1',
      'Images:string:1',
      'Selector:string:1',
    ]);
    const rs = obj('web-b5cc7c54f', {
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web', 'pod-template-hash': 'b5cc7c54f' } },
        template: template(['nginx', 'nginx']),
      },
      status: { replicas: 3, readyReplicas: 2 },
    });
    expect(replicasets.row(rs, NOW)).toEqual([
      'web-b5cc7c54f',
      3,
      3,
      2,
      '5s',
      'nginx',
      'nginx',
      'app=web,pod-template-hash=b5cc7c54f',
    ]);
  });
});

describe('daemonsets', () => {
  it('renders the counters and node selector', () => {
    expect(daemonsets.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Desired:0',
      'Current:0',
      'Ready:0',
      'Up-to-date:0',
      'Available:0',
      'Node Selector:0',
      'Age:0',
      'Containers:1',
      'Images:1',
      'Selector:1',
    ]);
    const ds = obj('kube-proxy', {
      spec: {
        selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
        template: {
          spec: {
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            containers: [{ name: 'kube-proxy', image: 'kube-proxy:v1.32.4' }],
          },
        },
      },
      status: {
        desiredNumberScheduled: 3,
        currentNumberScheduled: 3,
        numberReady: 2,
        updatedNumberScheduled: 3,
        numberAvailable: 2,
      },
    });
    expect(daemonsets.row(ds, NOW)).toEqual([
      'kube-proxy',
      3,
      3,
      2,
      3,
      2,
      'kubernetes.io/os=linux',
      '5s',
      'kube-proxy',
      'kube-proxy:v1.32.4',
      'k8s-app=kube-proxy',
    ]);
  });

  it('shows <none> without a node selector', () => {
    const ds = obj('agent', { spec: { template: { spec: { containers: [] } } } });
    expect(daemonsets.row(ds, NOW).slice(1, 7)).toEqual([0, 0, 0, 0, 0, '<none>']);
  });
});

describe('statefulsets', () => {
  it('renders Ready as ready/desired', () => {
    expect(statefulsets.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0',
      'Ready:0',
      'Age:0',
      'Containers:1',
      'Images:1',
    ]);
    const sts = obj('db', {
      spec: { replicas: 3, template: template(['postgres', 'postgres:16']) },
      status: { readyReplicas: 1 },
    });
    expect(statefulsets.row(sts, NOW)).toEqual(['db', '1/3', '5s', 'postgres', 'postgres:16']);
  });
});

describe('label formatting', () => {
  it('formats label maps sorted, <none> when empty', () => {
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels({})).toBe('<none>');
    expect(formatLabels(undefined)).toBe('<none>');
  });

  it('formats selectors with every operator, sorted by key', () => {
    const sel = {
      matchLabels: { tier: 'fe' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['prod', 'dev'] },
        { key: 'x', operator: 'DoesNotExist' },
        { key: 'a', operator: 'Exists' },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
      ],
    };
    expect(formatLabelSelector(sel)).toBe('a,env in (dev,prod),tier=fe,!x,zone notin (b)');
  });

  it('handles empty, missing and malformed selectors', () => {
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(labelSelectorString({})).toBe('');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })).toBe('<error>');
    expect(
      labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }),
    ).toBeUndefined();
  });
});
