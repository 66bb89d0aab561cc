import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { Store } from '../../../source/engine/store/store.ts';

const digest = (o: unknown) => createHash('sha256').update(JSON.stringify(o)).digest('hex').slice(0, 16);

/** Every object in the store (kind, namespace/name, resourceVersion, content hash) and the global resourceVersion. */
export function storeSnapshot(store: Store): { rv: number; objects: string[] } {
  const objects = store
    .dump()
    .map(
      ({ resource, object: o }) =>
        `${resource} ${o.metadata.namespace ?? ''}/${o.metadata.name} rv=${o.metadata.resourceVersion} ${digest(o)}`,
    );
  return { rv: store.currentRV(), objects: objects.sort() };
}

/** The same from the SQLite file, read-only, from outside the engine's connection. */
export function dbSnapshot(path: string): { rv: string | undefined; objects: string[]; integrity: string } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rv = (db.prepare("SELECT value FROM meta WHERE key = 'rv'").get() as { value: string } | undefined)?.value;
    const rows = db.prepare('SELECT resource, namespace, name, rv, data FROM objects').all() as Array<{
      resource: string;
      namespace: string;
      name: string;
      rv: number;
      data: string;
    }>;
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? '';
    return {
      rv,
      objects: rows
        .map((r) => `${r.resource} ${r.namespace}/${r.name} rv=${r.rv} ${digest(JSON.parse(r.data))}`)
        .sort(),
      integrity,
    };
  } finally {
    db.close();
  }
}
