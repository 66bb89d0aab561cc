import { TableCache, cacheKey, type CacheOptions, type CacheQuery } from './table-cache.ts';
import type { Transport } from './transport.ts';

interface Entry {
  cache: TableCache;
  refs: number;
  idleTimer?: NodeJS.Timeout;
}

/**
 * Shares one TableCache per query. A cache nobody holds keeps watching for `lingerMs`, so going
 * back to a view shows it at once instead of listing again.
 */
export class CachePool {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly transport: Transport,
    private readonly opts: CacheOptions & { lingerMs?: number } = {},
  ) {}

  acquire(query: CacheQuery): { cache: TableCache; release: () => void } {
    const key = cacheKey(query);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { cache: new TableCache(this.transport, query, this.opts), refs: 0 };
      this.entries.set(key, entry);
      entry.cache.start();
    }
    clearTimeout(entry.idleTimer);
    entry.refs++;
    const e = entry;
    let released = false;
    return {
      cache: entry.cache,
      release: () => {
        if (released) return;
        released = true;
        if (--e.refs > 0) return;
        e.idleTimer = setTimeout(() => {
          if (e.refs > 0) return;
          e.cache.stop();
          this.entries.delete(key);
        }, this.opts.lingerMs ?? 30_000);
        e.idleTimer.unref?.();
      },
    };
  }

  /** The live cache for a query if one is open (does not take a reference). */
  peek(query: CacheQuery): TableCache | undefined {
    return this.entries.get(cacheKey(query))?.cache;
  }

  size(): number {
    return this.entries.size;
  }

  closeAll(): void {
    for (const e of this.entries.values()) {
      clearTimeout(e.idleTimer);
      e.cache.stop();
    }
    this.entries.clear();
  }
}
