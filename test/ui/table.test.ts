import { describe, expect, it } from 'vitest';
import type { Row, TableSnapshot } from '../../source/client/table-cache.ts';
import { displayColumns } from '../../source/ui/table/columns.ts';
import { cellValue, compileFilter, deriveTable, scrollTop, selectedIndex } from '../../source/ui/table/derive.ts';
import { ageColumnSpan, formatLine, layoutColumns } from '../../source/ui/table/format.ts';
import { rowTone } from '../../source/ui/table/status.ts';

const col = (name: string, priority = 0, format = '') => ({ name, type: 'string', format, description: '', priority });
const columns = [col('Name', 0, 'name'), col('Ready'), col('Status'), col('Age'), col('IP', 1)];

function row(name: string, ready: string, status: string, created: string, ns = 'default', extra: any = {}): Row {
  return {
    uid: `uid-${ns}-${name}`,
    name,
    namespace: ns,
    cells: [name, ready, status, '1m', '127.244.0.1'],
    object: { metadata: { name, namespace: ns, creationTimestamp: created, ...extra } },
  };
}

const rows = [
  row('web-2', '1/1', 'Running', '2024-01-01T00:00:02Z'),
  row('web-10', '0/1', 'ImagePullBackOff', '2024-01-01T00:00:03Z'),
  row('coredns', '1/1', 'Running', '2024-01-01T00:00:01Z', 'kube-system'),
  row('db', '0/1', 'Pending', '2024-01-01T00:00:04Z'),
];
const snap: TableSnapshot = { columns, rows, version: 1, state: 'ready' };

describe('deriveTable', () => {
  it('hides wide columns unless asked and adds NAMESPACE for all namespaces', () => {
    expect(
      deriveTable(snap, { filter: '', sort: null, wide: false, showNamespace: false }).columns.map((c) => c.name),
    ).toEqual(['NAME', 'READY', 'STATUS', 'AGE']);
    expect(
      deriveTable(snap, { filter: '', sort: null, wide: true, showNamespace: true }).columns.map((c) => c.name),
    ).toEqual(['NAMESPACE', 'NAME', 'READY', 'STATUS', 'AGE', 'IP']);
  });

  it('sorts by namespace and name naturally by default, and by a column either way', () => {
    const base = { filter: '', wide: false, showNamespace: true };
    expect(deriveTable(snap, { ...base, sort: null }).rows.map((r) => r.name)).toEqual([
      'db',
      'web-2',
      'web-10',
      'coredns',
    ]);
    expect(deriveTable(snap, { ...base, sort: { column: 'STATUS', desc: false } }).rows.map((r) => r.name)).toEqual([
      'web-10',
      'db',
      'web-2',
      'coredns',
    ]);
    // AGE ascending = youngest first.
    expect(deriveTable(snap, { ...base, sort: { column: 'AGE', desc: false } }).rows.map((r) => r.name)).toEqual([
      'db',
      'web-10',
      'web-2',
      'coredns',
    ]);
    expect(deriveTable(snap, { ...base, sort: { column: 'AGE', desc: true } }).rows.map((r) => r.name)).toEqual([
      'coredns',
      'web-2',
      'web-10',
      'db',
    ]);
  });

  it('filters with a regex over visible cells, ! inverts, bad regex matches literally', () => {
    const d = (filter: string) => deriveTable(snap, { filter, sort: null, wide: false, showNamespace: true });
    expect(d('web').rows.map((r) => r.name)).toEqual(['web-2', 'web-10']);
    expect(d('^web-\\d$').rows.map((r) => r.name)).toEqual(['web-2']);
    expect(d('kube-sys').rows.map((r) => r.name)).toEqual(['coredns']);
    expect(d('!Running').rows.map((r) => r.name)).toEqual(['db', 'web-10']);
    expect(d('RUNNING').total).toBe(4);
    const bad = d('web-(');
    expect(bad.literalFilter).toBe(true);
    expect(bad.rows).toHaveLength(0);
    expect(compileFilter('  ')).toBeNull();
  });
});

describe('selection and scrolling', () => {
  it('follows the uid, falls back to the index when the row is gone', () => {
    expect(selectedIndex(rows, 'uid-default-db', 0)).toBe(3);
    expect(selectedIndex(rows, 'gone', 7)).toBe(3);
    expect(selectedIndex([], 'x', 2)).toBe(-1);
  });

  it('scrolls as little as possible to keep the selection visible', () => {
    expect(scrollTop(0, 5, 10, 100)).toBe(0);
    expect(scrollTop(0, 12, 10, 100)).toBe(3);
    expect(scrollTop(20, 15, 10, 100)).toBe(15);
    expect(scrollTop(95, 99, 10, 100)).toBe(90);
  });
});

describe('column layout', () => {
  const cols = displayColumns(columns, { wide: true, showNamespace: true });
  it('fits the available width exactly, shrinking the widest column first', () => {
    const long = [...rows, row('a-very-long-pod-name-that-goes-on-and-on-and-on-and-on', '1/1', 'Running', 'x')];
    for (const width of [40, 60, 80, 120, 200]) {
      const layout = layoutColumns(cols, long, width);
      const line = formatLine(
        cols.map((c) => c.name),
        layout,
        width,
      );
      expect(line.length).toBe(width);
      const rowLine = formatLine(long[4].cells, layout, width);
      expect(rowLine.length).toBe(width);
    }
    const narrow = layoutColumns(cols, long, 60);
    expect(narrow.widths[1]).toBeLessThan(50);
  });

  it('drops columns from the right when nothing else helps', () => {
    const layout = layoutColumns(cols, rows, 20);
    expect(layout.count).toBeLessThan(cols.length);
    expect(
      formatLine(
        cols.map((c) => c.name),
        layout,
        20,
      ),
    ).toHaveLength(20);
  });

  it('knows where the AGE column sits in a row line, at every width', () => {
    for (const width of [40, 60, 80, 200]) {
      const layout = layoutColumns(cols, rows, width);
      const span = ageColumnSpan(cols, layout);
      const line =
        ' ' +
        formatLine(
          cols.map((c) => cellValue(rows[0], c)),
          layout,
          width,
        );
      if (cols.findIndex((c) => c.isAge) >= layout.count) expect(span).toBeUndefined();
      else expect(line.slice(span![0], span![1]).trim()).toBe('1m');
    }
    const noAge = cols.filter((c) => !c.isAge);
    expect(ageColumnSpan(noAge, layoutColumns(noAge, rows, 80))).toBeUndefined();
  });

  it('sanitises control characters and tabs', () => {
    const layout = layoutColumns(cols.slice(0, 2), [], 30);
    expect(formatLine(['a\tb', 'x\x1b[2Jy'], layout, 30)).not.toMatch(/[\t\x1b]/);
  });
});

describe('row tone', () => {
  const cols = displayColumns(columns, { wide: false, showNamespace: false });
  it('colours by status, readiness and deletion', () => {
    expect(rowTone(rows[0], cols)).toBe('ok');
    expect(rowTone(rows[1], cols)).toBe('error');
    expect(rowTone(rows[3], cols)).toBe('warn');
    expect(rowTone(row('x', '0/1', 'Running', ''), cols)).toBe('warn');
    expect(rowTone(row('x', '1/1', 'Running', '', 'default', { deletionTimestamp: 'now' }), cols)).toBe('dim');
    expect(rowTone(row('x', '0/1', 'Completed', ''), cols)).toBe('dim');
    expect(rowTone(row('x', '1/1', 'CrashLoopBackOff', ''), cols)).toBe('error');
    const deploy = displayColumns([col('Name', 0, 'name'), col('Ready')], { wide: false, showNamespace: false });
    expect(rowTone({ ...rows[0], cells: ['web', '1/3'] }, deploy)).toBe('warn');
    expect(rowTone({ ...rows[0], cells: ['web', '3/3'] }, deploy)).toBe('normal');
  });
});
