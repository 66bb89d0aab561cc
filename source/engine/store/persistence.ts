import Database from 'better-sqlite3';
import { chmodSync, existsSync } from 'node:fs';
import type { KObject } from '../../api-types/index.ts';

/**
 * SQLite write-through for the store. Every commit is one transaction holding the object row
 * and the global resourceVersion, so a kill at any moment leaves a consistent database.
 */
export class Persistence {
  private db: Database.Database;
  private putStmt: Database.Statement;
  private delStmt: Database.Statement;
  private rvStmt: Database.Statement;
  private putTx: (resource: string, ns: string, name: string, data: string, rv: number) => void;
  private delTx: (resource: string, ns: string, name: string, rv: number) => void;

  constructor(path: string) {
    const fresh = !existsSync(path);
    try {
      this.db = new Database(path);
    } catch (e) {
      throw new Error(`cannot open the state database ${path}: ${(e as Error).message}`);
    }
    if (fresh) chmodSync(path, 0o600);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // SQLite opens a read-only file (or one in a read-only directory) read-only without a word:
    // write once now, so the engine refuses to start naming the file instead of failing later.
    try {
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS objects (
          resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
          rv INTEGER NOT NULL, data TEXT NOT NULL,
          PRIMARY KEY (resource, namespace, name));
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta (key, value) VALUES ('writable', '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value;
      `);
    } catch (e) {
      this.db.close();
      throw new Error(`cannot write the state database ${path}: ${(e as Error).message}`);
    }
    this.putStmt = this.db.prepare(
      'INSERT INTO objects (resource, namespace, name, rv, data) VALUES (?, ?, ?, ?, ?) ' +
        'ON CONFLICT (resource, namespace, name) DO UPDATE SET rv = excluded.rv, data = excluded.data',
    );
    this.delStmt = this.db.prepare('DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?');
    this.rvStmt = this.db.prepare("INSERT INTO meta (key, value) VALUES ('rv', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    this.putTx = this.db.transaction((resource, ns, name, data, rv) => {
      this.putStmt.run(resource, ns, name, rv, data);
      this.rvStmt.run(String(rv));
    });
    this.delTx = this.db.transaction((resource, ns, name, rv) => {
      this.delStmt.run(resource, ns, name);
      this.rvStmt.run(String(rv));
    });
  }

  load(): { rv: number; objects: Array<{ resource: string; namespace: string | undefined; name: string; object: KObject }> } {
    const rvRow = this.db.prepare("SELECT value FROM meta WHERE key = 'rv'").get() as { value: string } | undefined;
    const rows = this.db.prepare('SELECT resource, namespace, name, data FROM objects').all() as Array<{
      resource: string;
      namespace: string;
      name: string;
      data: string;
    }>;
    return {
      rv: rvRow ? Number(rvRow.value) : 0,
      objects: rows.map((r) => ({ resource: r.resource, namespace: r.namespace || undefined, name: r.name, object: JSON.parse(r.data) })),
    };
  }

  put(resource: string, ns: string, name: string, obj: KObject, rv: number): void {
    this.putTx(resource, ns, name, JSON.stringify(obj), rv);
  }

  remove(resource: string, ns: string, name: string, rv: number): void {
    this.delTx(resource, ns, name, rv);
  }

  close(): void {
    this.db.close();
  }
}
