import { describe, expect, it } from 'vitest';
import { defaultTable, tableFor } from '../../../../source/engine/api/printers/index.ts';
import { table as configmaps } from '../../../../source/engine/api/printers/configmaps.ts';
import { table as leases } from '../../../../source/engine/api/printers/leases.ts';
import { table as namespaces } from '../../../../source/engine/api/printers/namespaces.ts';
import { table as secrets } from '../../../../source/engine/api/printers/secrets.ts';
import { table as serviceaccounts } from '../../../../source/engine/api/printers/serviceaccounts.ts';
import { table as pods } from '../../../../source/engine/api/printers/pods.ts';
import { table as deployments } from '../../../../source/engine/api/printers/deployments.ts';
import { table as endpointslices } from '../../../../source/engine/api/printers/endpointslices.ts';
import { NOW, obj } from './helpers.ts';

describe('simple printers', () => {
  it.each<[string, typeof namespaces, any, unknown[], string[]]>([
    ['namespaces', namespaces, { status: { phase: 'Active' } }, ['x', 'Active', '5s'], ['Name', 'Status', 'Age']],
    [
      'terminating namespace',
      namespaces,
      { status: { phase: 'Terminating' } },
      ['x', 'Terminating', '5s'],
      ['Name', 'Status', 'Age'],
    ],
    [
      'configmaps',
      configmaps,
      { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } },
      ['x', 3, '5s'],
      ['Name', 'Data', 'Age'],
    ],
    ['empty configmap', configmaps, {}, ['x', 0, '5s'], ['Name', 'Data', 'Age']],
    [
      'secrets',
      secrets,
      { type: 'Opaque', data: { user: 'YQ==', pass: 'Yg==' } },
      ['x', 'Opaque', 2, '5s'],
      ['Name', 'Type', 'Data', 'Age'],
    ],
    ['serviceaccounts', serviceaccounts, {}, ['x', 0, '5s'], ['Name', 'Secrets', 'Age']],
    [
      'serviceaccount with secrets',
      serviceaccounts,
      { secrets: [{ name: 't' }] },
      ['x', 1, '5s'],
      ['Name', 'Secrets', 'Age'],
    ],
    ['leases', leases, { spec: { holderIdentity: 'worker-1' } }, ['x', 'worker-1', '5s'], ['Name', 'Holder', 'Age']],
    ['lease without holder', leases, { spec: {} }, ['x', '', '5s'], ['Name', 'Holder', 'Age']],
  ])('%s', (_name, printer, rest, want, columns) => {
    expect(printer.row(obj('x', rest), NOW)).toEqual(want);
    expect(printer.columns.map((c) => c.name)).toEqual(columns);
    expect(printer.columns.every((c) => c.priority === 0)).toBe(true);
  });
});

describe('default table', () => {
  it('prints Name and Created At as RFC3339', () => {
    expect(defaultTable.columns.map((c) => [c.name, c.type, c.format])).toEqual([
      ['Name', 'string', 'name'],
      ['Created At', 'date', ''],
    ]);
    expect(defaultTable.row(obj('x', {}, { creationTimestamp: '2025-06-01T11:59:55Z' }), NOW)).toEqual([
      'x',
      '2025-06-01T11:59:55Z',
    ]);
    expect(defaultTable.row(obj('x', {}, { creationTimestamp: '2025-06-01T13:59:55.750+02:00' }), NOW)[1]).toBe(
      '2025-06-01T11:59:55Z',
    );
    expect(defaultTable.row(obj('x', {}, { creationTimestamp: undefined }), NOW)[1]).toBe('0001-01-01T00:00:00Z');
  });
});

describe('tableFor', () => {
  it('finds printers by group and plural', () => {
    expect(tableFor('', 'pods')).toBe(pods);
    expect(tableFor('apps', 'deployments')).toBe(deployments);
    expect(tableFor('discovery.k8s.io', 'endpointslices')).toBe(endpointslices);
    expect(tableFor('', 'configmaps')).toBe(configmaps);
  });

  it('falls back to the default table', () => {
    expect(tableFor('example.com', 'widgets')).toBe(defaultTable);
    expect(tableFor('apps', 'pods')).toBe(defaultTable);
  });

  it.each([
    ['', 'pods'],
    ['apps', 'deployments'],
    ['apps', 'replicasets'],
    ['apps', 'daemonsets'],
    ['apps', 'statefulsets'],
    ['', 'services'],
    ['', 'nodes'],
    ['', 'namespaces'],
    ['', 'events'],
    ['', 'endpoints'],
    ['discovery.k8s.io', 'endpointslices'],
    ['', 'configmaps'],
    ['', 'secrets'],
    ['', 'serviceaccounts'],
    ['coordination.k8s.io', 'leases'],
    ['batch', 'jobs'],
    ['batch', 'cronjobs'],
  ])('%s/%s has a specific printer whose rows match its columns, even for a bare object', (group, plural) => {
    const printer = tableFor(group, plural);
    expect(printer).not.toBe(defaultTable);
    expect(printer.row({ metadata: { name: 'bare' } }, NOW)).toHaveLength(printer.columns.length);
    for (const c of printer.columns) {
      expect(c.description.length).toBeGreaterThan(0);
      expect([0, 1]).toContain(c.priority);
    }
  });
});
