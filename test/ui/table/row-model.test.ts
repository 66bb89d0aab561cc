// The incremental row model: a snapshot that carries its watch changes is patched into the last
// derived table (binary search, width counts); the result must equal a full derive every time.
import { describe, expect, it } from 'vitest';
import type { Row, RowChanges, TableSnapshot } from '../../../source/client/table-cache.ts';
import {
  deriveModel,
  deriveTable,
  memoDerive,
  patchDerived,
  type DeriveOptions,
} from '../../../source/ui/table/derive.ts';
import { layoutColumns, layoutNatural } from '../../../source/ui/table/format.ts';

const col = (name: string, priority = 0, format = '') => ({ name, type: 'string', format, description: '', priority });
const columns = [col('Name', 0, 'name'), col('Ready'), col('Status'), col('Restarts'), col('Age'), col('Node', 1)];
const STATUSES = ['Running', 'Pending', 'CrashLoopBackOff', 'ContainerCreating', 'Completed'];

/** A seeded generator, so a failure repeats. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function makeRow(rand: () => number, i: number, version: number): Row {
  const name = `web-${i}`;
  const ns = `ns-${i % 3}`;
  const status = STATUSES[Math.floor(rand() * STATUSES.length)];
  // Node names of varying length move the widest cell around.
  const node = 'n'.repeat(1 + Math.floor(rand() * 20));
  return {
    uid: `uid-${i}`,
    name,
    namespace: ns,
    cells: [name, `${Math.floor(rand() * 2)}/1`, status, String(Math.floor(rand() * 12)), '5m', node],
    object: {
      metadata: {
        name,
        namespace: ns,
        creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(rand() * 600))).toISOString(),
        resourceVersion: String(version),
      },
    },
  };
}

const OPTIONS: DeriveOptions[] = [
  { filter: '', sort: null, wide: false, showNamespace: true },
  { filter: '', sort: { column: 'STATUS', desc: false }, wide: true, showNamespace: true },
  { filter: '', sort: { column: 'AGE', desc: true }, wide: false, showNamespace: false },
  { filter: 'run|crash', sort: { column: 'RESTARTS', desc: true }, wide: true, showNamespace: true },
  { filter: '!pending', sort: { column: 'NODE', desc: false }, wide: true, showNamespace: false },
];

describe('the incremental row model', () => {
  for (const opts of OPTIONS) {
    it(`patched rows and widths equal a full derive after every batch of watch changes (${JSON.stringify(opts.sort)} /${opts.filter}/)`, () => {
      const rand = rng(42);
      const live = new Map<string, Row>();
      for (let i = 0; i < 500; i++) {
        const r = makeRow(rand, i, 1);
        live.set(r.uid, r);
      }
      let snap: TableSnapshot = { columns, rows: [...live.values()], version: 1, state: 'ready' };
      const memo = memoDerive();
      let prev = memo(snap, opts);
      let patched = 0;
      for (let batch = 0; batch < 60; batch++) {
        const removed: Row[] = [];
        const added: Row[] = [];
        for (let k = 0; k < 1 + Math.floor(rand() * 8); k++) {
          const i = Math.floor(rand() * 560); // some new rows, some updates, some deletes
          const old = live.get(`uid-${i}`);
          if (old && rand() < 0.3) {
            live.delete(old.uid);
            removed.push(old);
          } else if (!removed.includes(old!) && !added.some((a) => a.uid === `uid-${i}`)) {
            const next = makeRow(rand, i, batch + 2);
            if (old) removed.push(old);
            added.push(next);
            live.set(next.uid, next);
          }
        }
        const changes: RowChanges = { since: snap.version, removed, added };
        snap = { columns, rows: [...live.values()], version: snap.version + 1, state: 'ready', changes };
        const model = memo(snap, opts);
        const full = deriveTable(snap, opts);
        expect(model.rows.map((r) => r.uid)).toEqual(full.rows.map((r) => r.uid));
        expect(model.natural).toEqual(full.natural);
        expect(model.total).toBe(live.size);
        // The layout from kept widths is the one a scan of every row gives.
        expect(layoutNatural(model.columns, model.natural, 90)).toEqual(layoutColumns(model.columns, model.rows, 90));
        if (model.rows !== prev.rows && model.columns === prev.columns) patched++;
        prev = model;
      }
      expect(patched).toBe(60);
    });
  }

  it('patches instead of re-sorting: the previous derived result is reused', () => {
    const rand = rng(7);
    const rows = Array.from({ length: 200 }, (_, i) => makeRow(rand, i, 1));
    const snap: TableSnapshot = { columns, rows, version: 1, state: 'ready' };
    const opts = OPTIONS[1];
    const prev = deriveModel(snap, opts);
    const changed = makeRow(rand, 5, 2);
    const next: TableSnapshot = {
      ...snap,
      rows: rows.map((r) => (r.uid === changed.uid ? changed : r)),
      version: 2,
      changes: { since: 1, removed: [rows[5]], added: [changed] },
    };
    const out = patchDerived(prev, next, opts);
    expect(out).toBeDefined();
    expect(out!.columns).toBe(prev.columns);
    expect(out!.rows).toContain(changed);
    expect(out!.rows).not.toContain(rows[5]);
    expect(out!.rows.map((r) => r.uid)).toEqual(deriveTable(next, opts).rows.map((r) => r.uid));
  });

  it('derives afresh when too many rows changed, when the source orders its own rows, or when the snapshot is not the next one', () => {
    const rand = rng(9);
    const rows = Array.from({ length: 100 }, (_, i) => makeRow(rand, i, 1));
    const snap: TableSnapshot = { columns, rows, version: 1, state: 'ready' };
    const prev = deriveModel(snap, OPTIONS[0]);
    const many = Array.from({ length: 100 }, (_, i) => makeRow(rand, 100 + i, 2));
    expect(
      patchDerived(
        prev,
        { ...snap, rows: [...rows, ...many], version: 2, changes: { since: 1, removed: [], added: many } },
        OPTIONS[0],
      ),
    ).toBeUndefined();
    expect(
      patchDerived(
        prev,
        { ...snap, ordered: true, version: 2, changes: { since: 1, removed: [], added: [] } },
        OPTIONS[0],
      ),
    ).toBeUndefined();
    const memo = memoDerive();
    memo(snap, OPTIONS[0]);
    const extra = makeRow(rand, 500, 3);
    // `since` 5 is not the remembered version 1: a full derive, still correct.
    const skipped: TableSnapshot = {
      ...snap,
      rows: [...rows, extra],
      version: 6,
      changes: { since: 5, removed: [], added: [extra] },
    };
    expect(memo(skipped, OPTIONS[0]).rows.map((r) => r.uid)).toEqual(
      deriveTable(skipped, OPTIONS[0]).rows.map((r) => r.uid),
    );
  });

  it('the widest column narrows when its only widest cell goes', () => {
    const rand = rng(3);
    const rows = Array.from({ length: 20 }, (_, i) => makeRow(rand, i, 1)).map((r) => ({
      ...r,
      cells: r.cells.map((c, k) => (k === 5 ? 'node' : c)),
    }));
    const wide = { ...rows[0], uid: 'uid-wide', name: 'wide', cells: [...rows[0].cells.slice(0, 5), 'x'.repeat(40)] };
    const opts = OPTIONS[1];
    const memo = memoDerive();
    const s1: TableSnapshot = { columns, rows: [...rows, wide], version: 1, state: 'ready' };
    const nodeCol = memo(s1, opts).columns.findIndex((c) => c.name === 'NODE');
    expect(memo(s1, opts).natural[nodeCol]).toBe(40);
    const s2: TableSnapshot = {
      columns,
      rows,
      version: 2,
      state: 'ready',
      changes: { since: 1, removed: [wide], added: [] },
    };
    expect(memo(s2, opts).natural[nodeCol]).toBe(5); // the header NODE and its sort arrow
  });
});
