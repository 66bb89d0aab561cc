import type { KObject } from '../../api-types/index.ts';
import { apiVersionOf, resourceKey } from '../resources/types.ts';
import { ApiError, errors } from '../store/errors.ts';
import type { StoreEvent, WatchHandle } from '../store/store.ts';
import { serialize } from '../store/stored-json.ts';
import type { RestRequest } from './types.ts';
import { present } from './versions.ts';
import { queryBool, queryInt } from './query-params.ts';
import { includeObjectOf, toTable, wantsTable } from './table.ts';

// On the engine's clock, so a time-scaled engine (tests, demos) sends them as much sooner.
const BOOKMARK_EVERY_MS = 30_000;
const DEFAULT_TIMEOUT_S = 30 * 60;

// Serialize each store event once, however many JSON watchers receive it. The store hands an
// event to all its watchers in one go, so the last few serializations are all that is reused; a
// cache that lived as long as the events (the store keeps up to 100,000 for resuming watches)
// held about 5 KB of JSON per pod version.
const RECENT = 256;
const cache = new Map<StoreEvent, string>();

/**
 * A watch stream: newline-delimited JSON events, flushed as they happen. Table watches send
 * a one-row Table per event, with column definitions only in the first one.
 */
export function serveWatch(r: RestRequest): void {
  const { ctx, req, res, def, query, path } = r;
  const asTable = wantsTable(req.headers.accept);
  const include = includeObjectOf(query);
  let sentHeaders = false;
  let closed = false;
  let handle: WatchHandle | undefined;
  const timers: NodeJS.Timeout[] = [];
  let bookmarkTimer: unknown;
  const timeout = queryInt(query, 'timeoutSeconds') ?? DEFAULT_TIMEOUT_S;
  if (timeout < 0) throw errors.badRequest(`invalid timeoutSeconds: ${timeout}`);

  const encode = (ev: StoreEvent): string => {
    const shown = present(def, ev.object);
    if (!asTable && shown !== ev.object) return `{"type":"${ev.type}","object":${JSON.stringify(shown)}}\n`;
    if (!asTable) {
      let line = cache.get(ev);
      if (!line) {
        line = `{"type":"${ev.type}","object":${serialize(ev.object)}}\n`;
        cache.set(ev, line);
        if (cache.size > RECENT) cache.delete(cache.keys().next().value!);
      }
      return line;
    }
    const table = toTable(def, [ev.object as KObject], {
      now: ctx.clock.now(),
      include,
      meta: { resourceVersion: ev.object.metadata.resourceVersion },
      headers: !sentHeaders,
    });
    sentHeaders = true;
    return `${JSON.stringify({ type: ev.type, object: table })}\n`;
  };

  const startHeaders = () => {
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache, private',
    });
    res.flushHeaders();
    res.on('close', finish);
  };

  const finish = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    handle?.stop();
    timers.forEach(clearTimeout);
    if (bookmarkTimer !== undefined) ctx.clock.clearTimeout(bookmarkTimer);
    res.end();
  };

  // A custom kind whose CRD is deleted stops being served: its watches end.
  const unsubscribe = ctx.store.registry.onRemove(def, () => finish());
  const buffered: string[] = [];
  let replaying = true;
  const write = (line: string) => {
    if (closed) return;
    if (replaying) buffered.push(line);
    else res.write(line);
  };

  try {
    handle = ctx.store.watch(
      resourceKey(def),
      {
        namespace: path.namespace,
        labelSelector: query.get('labelSelector') ?? undefined,
        fieldSelector: query.get('fieldSelector') ?? undefined,
        resourceVersion: query.get('resourceVersion') ?? undefined,
      },
      (ev) => write(encode(ev)),
    );
  } catch (e) {
    // A bad selector or resourceVersion is an HTTP error; a resourceVersion too old to replay
    // is a 410 ERROR event in the stream, as the apiserver's watch cache sends it.
    if (!(e instanceof ApiError) || e.code !== 410) throw e;
    startHeaders();
    res.write(`${JSON.stringify({ type: 'ERROR', object: e.toStatus() })}\n`);
    finish();
    return;
  }
  startHeaders();
  replaying = false;
  if (buffered.length) res.write(buffered.join(''));

  timers.push(setTimeout(finish, (timeout > 0 ? timeout : DEFAULT_TIMEOUT_S) * 1000));
  if (queryBool(query, 'allowWatchBookmarks')) {
    // Table watches get them too, as from kube-apiserver (the bookmark object converted to a
    // one-row Table): clients tell a quiet watch from a dead connection by them.
    const bookmark = () => {
      const object = {
        kind: def.kind,
        apiVersion: apiVersionOf(def),
        metadata: { resourceVersion: String(ctx.store.currentRV()) },
      };
      if (!asTable) return object;
      return {
        kind: 'Table',
        apiVersion: 'meta.k8s.io/v1',
        metadata: object.metadata,
        columnDefinitions: [],
        rows: [{ cells: [], object }],
      };
    };
    const tick = () => {
      if (closed) return;
      res.write(`${JSON.stringify({ type: 'BOOKMARK', object: bookmark() })}\n`);
      bookmarkTimer = ctx.clock.setTimeout(tick, BOOKMARK_EVERY_MS);
    };
    bookmarkTimer = ctx.clock.setTimeout(tick, BOOKMARK_EVERY_MS);
  }
}
