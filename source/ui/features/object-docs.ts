import { engineTimeScale } from '../../client/engine-clock.ts';
import type { KObject } from '../../api-types/index.ts';
import { describe, relatedQueries, type DescribeContext } from '../../describe/index.ts';
import { resourcePath, type ResourceInfo } from '../../client/resource.ts';
import type { Transport } from '../../client/transport.ts';
import { LiveDoc, type TextDoc } from '../docs.ts';
import type { RowSource } from '../sources.ts';
import { toYaml } from '../yaml.ts';

/**
 * Follows one object through the table it was picked from: `current()` is its latest state from
 * the watch, else (gone or metadata only) a GET, else the last state seen.
 */
export class ObjectTracker {
  private last?: KObject;
  lastRv?: string;

  constructor(
    private readonly transport: Transport,
    private readonly info: ResourceInfo,
    private readonly source: RowSource,
    private readonly uid: string,
    private readonly namespace: string | undefined,
    private readonly name: string,
  ) {}

  private fromSource(): KObject | undefined {
    return this.source.getSnapshot().rows.find((r) => r.uid === this.uid)?.object;
  }

  async current(): Promise<{ obj: KObject; deleted: boolean }> {
    let obj = this.fromSource();
    let deleted = false;
    if (!obj || !obj.kind || obj.kind === 'PartialObjectMetadata') {
      try {
        obj = await this.transport.json<KObject>({ path: resourcePath(this.info, this.namespace, this.name) });
      } catch (err) {
        if (!this.last) throw err;
        obj = this.last;
        deleted = true;
      }
    }
    this.last = obj;
    this.lastRv = obj.metadata?.resourceVersion;
    return { obj, deleted };
  }

  /** Calls `fn` when the object's resourceVersion changes in the watched table. */
  onChange = (fn: () => void): (() => void) =>
    this.source.subscribe(() => {
      const rv = this.fromSource()?.metadata?.resourceVersion;
      if (rv !== this.lastRv) fn();
    });
}

async function fetchRelated(transport: Transport, obj: KObject): Promise<Omit<DescribeContext, 'now'>> {
  const out: Record<string, KObject[]> = { events: [] };
  await Promise.all(
    relatedQueries(obj).map(async (q) => {
      try {
        // resourceVersion=0: served from the apiserver's watch cache, not etcd (cheap to repeat).
        const list = await transport.json<{ items?: KObject[] }>({
          path: q.apiPath,
          query: { ...q.query, resourceVersion: '0' },
        });
        (out[q.as] ??= []).push(...(list.items ?? []));
      } catch {
        // A related list we may not read (RBAC, missing kind) just stays empty.
      }
    }),
  );
  const { events, ...related } = out;
  return { events, related };
}

/**
 * How often describe re-reads related lists (events, a node's pods) besides following the object
 * itself: every 2 s listed all pods of a cluster for a node's describe.
 */
const RELATED_POLL_MS = 20_000;

/** `kubectl describe` text that follows the object and polls for new events. */
export function describeDoc(transport: Transport, tracker: ObjectTracker): TextDoc {
  return new LiveDoc(
    async () => {
      const { obj, deleted } = await tracker.current();
      const ctx = await fetchRelated(transport, obj);
      const timeScale = obj.kind === 'Job' ? await engineTimeScale(transport) : 1;
      const text = describe(obj, { now: transport.serverClock.now(), timeScale, ...ctx });
      return { lines: text.split('\n'), status: deleted ? 'deleted' : undefined };
    },
    [tracker.onChange],
    RELATED_POLL_MS,
  );
}

/** `x` on a Secret (as in k9s): its data base64-decoded, as YAML, following changes. */
export function decodedSecretDoc(tracker: ObjectTracker): TextDoc {
  return new LiveDoc(async () => {
    const { obj, deleted } = await tracker.current();
    const data = (obj as { data?: Record<string, string> }).data ?? {};
    const decoded: Record<string, string> = {};
    for (const k of Object.keys(data).sort()) decoded[k] = Buffer.from(String(data[k]), 'base64').toString('utf8');
    const lines = Object.keys(decoded).length ? toYaml(decoded).split('\n') : ['# this secret holds no data'];
    return { lines, status: deleted ? 'deleted' : undefined };
  }, [tracker.onChange]);
}

export function yamlDoc(tracker: ObjectTracker): TextDoc {
  return new LiveDoc(async () => {
    const { obj, deleted } = await tracker.current();
    const clean = structuredClone(obj);
    if (clean.metadata) delete clean.metadata.managedFields;
    return { lines: toYaml(clean).split('\n'), status: deleted ? 'deleted' : undefined };
  }, [tracker.onChange]);
}
