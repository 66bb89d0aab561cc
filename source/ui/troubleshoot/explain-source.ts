import { errorMessage } from '../../client/errors.ts';
import { explainAt, fetchKindSchema, type Explained, type Schema, type Schemas } from '../../client/openapi-schema.ts';
import type { ResourceInfo } from '../../client/resource.ts';
import type { Transport } from '../../client/transport.ts';
import type { Row, TableSnapshot } from '../../client/table-cache.ts';
import type { RowSource } from '../sources.ts';
import { column } from './multi-source.ts';

const COLUMNS = [column('Field', 'name'), column('Type'), column('Required'), column('Description')];

/** One schema per resource per session: every explain view of a kind reads the same document. */
const loaded = new WeakMap<Transport, Map<string, Promise<{ schemas: Schemas; root: Schema }>>>();

export function schemaFor(transport: Transport, info: ResourceInfo): Promise<{ schemas: Schemas; root: Schema }> {
  let m = loaded.get(transport);
  if (!m) loaded.set(transport, (m = new Map()));
  const key = `${info.group}/${info.version}/${info.kind}`;
  let p = m.get(key);
  if (!p) {
    p = fetchKindSchema(transport, info);
    p.catch(() => m.delete(key));
    m.set(key, p);
  }
  return p;
}

/** The fields of one schema path (`deployment.spec`), from the server's OpenAPI v3. */
export class ExplainSource implements RowSource {
  private snapshot: TableSnapshot = { columns: COLUMNS, rows: [], version: 0, state: 'loading', ordered: true };
  private readonly listeners = new Set<() => void>();
  explained?: Explained;

  constructor(transport: Transport, info: ResourceInfo, fields: string[]) {
    const kindPath = (info.singular || info.kind).toLowerCase();
    schemaFor(transport, info).then(
      ({ schemas, root }) => {
        const out = explainAt(schemas, root, kindPath, fields);
        if (typeof out === 'string') return this.publish([], out);
        this.explained = out;
        this.publish(
          out.fields.map((f): Row => ({
            uid: f.name,
            name: f.name,
            cells: [
              f.nested ? `${f.name} ▸` : f.name,
              f.type,
              f.required ? 'required' : '',
              f.description.split('\n')[0],
            ],
            object: { metadata: { name: f.name } },
          })),
        );
      },
      (err: unknown) => this.publish([], errorMessage(err)),
    );
  }

  private publish(rows: Row[], error?: string): void {
    this.snapshot = {
      columns: COLUMNS,
      rows,
      version: this.snapshot.version + 1,
      state: error ? 'error' : 'ready',
      error,
      ordered: true,
    };
    for (const fn of [...this.listeners]) fn();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): TableSnapshot => this.snapshot;
}

/** kubectl explain's layout: what the path is, its type, its description, its fields. */
export function explainText(e: Explained, kind: string, apiVersion: string): string[] {
  const out = [`KIND:     ${kind}`, `VERSION:  ${apiVersion}`, ''];
  if (e.path.length > 1) out.push(`FIELD: ${e.path.slice(1).join('.')} <${e.type}>`, '');
  out.push('DESCRIPTION:', ...(e.description || '<empty>').split('\n').map((l) => `    ${l}`), '');
  if (e.fields.length) {
    out.push('FIELDS:');
    for (const f of e.fields) {
      out.push(`  ${f.name}\t<${f.type}>${f.required ? ' -required-' : ''}`);
      out.push(...f.description.split('\n').map((l) => `    ${l}`), '');
    }
  }
  return out;
}
