import Database from 'better-sqlite3';
import { chmodSync, existsSync } from 'node:fs';
import type { KObject } from '../../api-types/index.ts';
import { sqliteAddon } from './sqlite-addon.ts';

/** One write of a batch, kept until its transaction commits (to replay it if the commit fails). */
type Row = { resource: string; ns: string; name: string; rv: number; data: string | undefined };

/**
 * SQLite write-through for the store. A put is one upsert whose row carries its resourceVersion;
 * a delete also records the global resourceVersion in `meta`. On load the resourceVersion is the
 * larger of the two, so puts need no second statement.
 *
 * Writes are batched: the first write opens a transaction and the writes of the same event-loop
 * turn join it; it commits at the end of the turn (setImmediate), or earlier when `flush()` is
 * called — which the store does before acknowledging an API write, and the API server before any
 * response bytes leave (so nothing a client has seen can be lost by a kill -9). A transaction is
 * atomic: a kill at any moment leaves a consistent database. If a commit fails (a full disk), the
 * transaction is rolled back and its writes are replayed at the next commit: memory holds them.
 */
export class Persistence {
  private db: Database.Database;
  private putStmt: Database.Statement;
  private delStmt: Database.Statement;
  private rvStmt: Database.Statement;
  /** SQLite statements run by put/remove and commits (BEGIN and COMMIT count), for benchmarks. */
  statements = 0;
  private lastRv = 0;
  /** Writes of the open transaction, in order. */
  private batch: Row[] = [];
  /** Writes of a failed commit, replayed first by the next transaction. */
  private replay: Row[] = [];
  private scheduled = false;

  constructor(path: string) {
    const fresh = !existsSync(path);
    try {
      const nativeBinding = sqliteAddon();
      this.db = new Database(path, nativeBinding ? { nativeBinding } : {});
    } catch (e) {
      throw new Error(`cannot open the state database ${path}: ${(e as Error).message}`);
    }
    if (fresh) chmodSync(path, 0o600);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    // better-sqlite3 builds SQLite with a 16 MiB page cache; SQLite's own default is 2 MiB. The
    // store keeps every object in memory and reads the file only at start, so the cache serves
    // writes alone, and a page it misses is in the kernel's page cache: at 10,000 pods the larger
    // cache was ~14 MiB of the engine's RSS for nothing.
    this.db.pragma('cache_size = -2000');
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
    this.rvStmt = this.db.prepare(
      "INSERT INTO meta (key, value) VALUES ('rv', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
  }

  load(): {
    rv: number;
    objects: Array<{ resource: string; namespace: string | undefined; name: string; object: KObject; text: string }>;
  } {
    const rvRow = this.db.prepare("SELECT value FROM meta WHERE key = 'rv'").get() as { value: string } | undefined;
    const maxRow = this.db.prepare('SELECT MAX(rv) AS rv FROM objects').get() as { rv: number | null };
    const rows = this.db.prepare('SELECT resource, namespace, name, data FROM objects').all() as Array<{
      resource: string;
      namespace: string;
      name: string;
      data: string;
    }>;
    return {
      rv: Math.max(rvRow ? Number(rvRow.value) : 0, maxRow.rv ?? 0),
      objects: rows.map((r) => ({
        resource: r.resource,
        namespace: r.namespace || undefined,
        name: r.name,
        object: JSON.parse(r.data),
        text: r.data,
      })),
    };
  }

  /** Upsert the object's JSON; with `now`, commit before returning (a write to acknowledge), else with the batch. */
  put(resource: string, ns: string, name: string, text: string, rv: number, now = false): void {
    this.write({ resource, ns, name, rv, data: text }, now);
  }

  remove(resource: string, ns: string, name: string, rv: number, now = false): void {
    this.write({ resource, ns, name, rv, data: undefined }, now);
  }

  /** Commit the open transaction, if any (throws what SQLite throws; the writes stay queued). */
  flush(): void {
    if (!this.db.inTransaction) {
      if (!this.replay.length) return;
      this.begin();
    }
    try {
      this.db.exec('COMMIT');
      this.statements += 1;
    } catch (e) {
      this.fail();
      throw e;
    }
    this.batch = [];
  }

  /** Run one write in the open transaction (opening one); a failure leaves nothing of it behind. */
  private write(row: Row, now: boolean): void {
    if (!this.db.inTransaction) this.begin();
    try {
      this.run(row);
    } catch (e) {
      // The statement is undone; SQLite may have rolled back the whole transaction with it.
      if (!this.db.inTransaction) this.fail();
      throw e;
    }
    this.batch.push(row);
    if (now) {
      try {
        this.flush();
      } catch (e) {
        // This write is refused (the caller forgets it); the batch before it is replayed later.
        this.replay = this.replay.filter((r) => r !== row);
        throw e;
      }
    }
    this.lastRv = row.rv;
    if (!this.scheduled && this.db.inTransaction) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        if (!this.db.open) return;
        try {
          this.flush();
        } catch (e) {
          console.error(`state database: commit failed, retrying with the next write: ${(e as Error).message}`);
        }
      });
    }
  }

  private begin(): void {
    this.db.exec('BEGIN');
    this.statements += 1;
    const again = this.replay;
    this.replay = [];
    try {
      for (const r of again) this.run(r);
    } catch (e) {
      this.replay = again;
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
    this.batch = again.slice();
  }

  private run(r: Row): void {
    if (r.data === undefined) {
      this.delStmt.run(r.resource, r.ns, r.name);
      this.rvStmt.run(String(r.rv));
      this.statements += 2;
    } else {
      this.putStmt.run(r.resource, r.ns, r.name, r.rv, r.data);
      this.statements += 1;
    }
  }

  /** A commit or the transaction failed: roll back what is left and keep its writes for the next one. */
  private fail(): void {
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } catch {
      // already rolled back
    }
    this.replay = this.batch;
    this.batch = [];
  }

  close(): void {
    try {
      this.flush();
    } catch (e) {
      console.error(`state database: last commit failed: ${(e as Error).message}`);
    }
    // A clean shutdown leaves meta.rv current too, for an older skiff that reads only meta.rv.
    if (this.lastRv) {
      try {
        this.rvStmt.run(String(this.lastRv));
      } catch {
        // read-only or full disk: load() takes the larger resourceVersion anyway
      }
    }
    this.db.close();
  }
}
