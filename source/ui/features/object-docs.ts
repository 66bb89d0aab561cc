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
        const list = await transport.json<{ items?: KObject[] }>({ path: q.apiPath, query: q.query });
        (out[q.as] ??= []).push(...(list.items ?? []));
      } catch {
        // A related list we may not read (RBAC, missing kind) just stays empty.
      }
    }),
  );
  const { events, ...related } = out;
  return { events, related };
}

/** `kubectl describe` text that follows the object and polls for new events. */
export function describeDoc(transport: Transport, tracker: ObjectTracker): TextDoc {
  return new LiveDoc(
    async () => {
      const { obj, deleted } = await tracker.current();
      const ctx = await fetchRelated(transport, obj);
      const text = describe(obj, { now: Date.now(), ...ctx });
      return { lines: text.split('\n'), status: deleted ? 'deleted' : undefined };
    },
    [tracker.onChange],
    2000,
  );
}

export function yamlDoc(tracker: ObjectTracker): TextDoc {
  return new LiveDoc(
    async () => {
      const { obj, deleted } = await tracker.current();
      const clean = structuredClone(obj);
      if (clean.metadata) delete clean.metadata.managedFields;
      return { lines: toYaml(clean).split('\n'), status: deleted ? 'deleted' : undefined };
    },
    [tracker.onChange],
  );
}
