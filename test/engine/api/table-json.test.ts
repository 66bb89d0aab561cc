import { describe, expect, it } from 'vitest';
import type { Table } from '../../../source/api-types/index.ts';
import { goJson } from '../../../source/engine/api/respond.ts';
import { sendTable } from '../../../source/engine/api/table-json.ts';
import { bodyServer } from './body-server.ts';

let table: Table;
const { get } = bodyServer((res) => sendTable(res, table));

const tableOf = (rows: number): Table => ({
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: { resourceVersion: '42' },
  columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', description: 'a <b> & c', priority: 0 }],
  rows: Array.from({ length: rows }, (_, i) => ({
    cells: [`pod-${i}`, '<none>', 'é \u2028 \u2029', i, 'x'.repeat(i % 500)],
    object: { kind: 'PartialObjectMetadata', metadata: { name: `pod-${i}`, annotations: { a: '&&' } } },
  })),
});

describe('Table responses', () => {
  it.each([0, 1, 2, 5000])('with %i rows: the same bytes as the whole Table through Go escaping', async (rows) => {
    table = tableOf(rows);
    const { length, body } = await get('/');
    expect(body.length).toBe(length);
    expect(body.toString()).toBe(goJson(JSON.stringify(table)));
  });

  it('indents with ?pretty as before', async () => {
    table = tableOf(3);
    const { length, body } = await get('/?pretty=true');
    expect(body.length).toBe(length);
    expect(body.toString()).toContain('\n  "kind": "Table"');
    expect(JSON.parse(body.toString())).toEqual(JSON.parse(JSON.stringify(table)));
  });
});
