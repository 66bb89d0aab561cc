import type { KObject } from '../api-types/index.ts';
import { rfc3339, type Clock } from './clock.ts';
import type { Store } from './store/store.ts';

export interface EventSource {
  component: string;
  host?: string;
}

/**
 * Writes core/v1 Events the way Kubernetes components do: a repeated event (same object,
 * reason, message, source) bumps `count` and `lastTimestamp` instead of creating a new one.
 */
export class EventRecorder {
  private recent = new Map<string, string>(); // dedupe key -> event name

  private lastStamp = 0n;

  constructor(
    private store: Store,
    private clock: Clock,
  ) {}

  private nextStamp(): string {
    let t = BigInt(this.clock.now()) * 1_000_000n;
    if (t <= this.lastStamp) t = this.lastStamp + 1n;
    this.lastStamp = t;
    return t.toString(16);
  }

  record(
    obj: KObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const ns = obj.metadata.namespace || 'default';
    const now = rfc3339(this.clock.now());
    const dedupe = [obj.metadata.uid, fieldPath ?? '', reason, message, source.component, source.host ?? ''].join(
      '\u0000',
    );
    const existing = this.recent.get(dedupe);
    try {
      if (existing && this.store.get('events', ns, existing)) {
        this.store.mutate('events', ns, existing, (e) => {
          e.count = (typeof e.count === 'number' ? e.count : 1) + 1;
          e.lastTimestamp = now;
        });
        return;
      }
      // Like Kubernetes, name events by creation time in hex so they sort in the order they happened.
      const name = `${obj.metadata.name}.${this.nextStamp()}`;
      this.store.create('events', {
        metadata: { name, namespace: ns },
        involvedObject: {
          kind: obj.kind,
          namespace: obj.metadata.namespace,
          name: obj.metadata.name,
          uid: obj.metadata.uid,
          apiVersion: obj.apiVersion,
          resourceVersion: obj.metadata.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        source,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      });
      this.recent.set(dedupe, name);
      if (this.recent.size > 10_000) this.recent.delete(this.recent.keys().next().value!);
    } catch {
      // Events are best effort: a namespace being deleted must not break the caller.
    }
  }
}
