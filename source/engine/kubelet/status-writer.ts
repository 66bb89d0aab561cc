import type { KObject } from '../../api-types/index.ts';
import { jsonEqual } from '../store/freeze.ts';
import type { Store } from '../store/store.ts';
import type { PodStatusDoc } from './pod-status.ts';

export interface StatusSource {
  pod(): KObject;
  status(prev: PodStatusDoc | undefined): PodStatusDoc;
}

const BATCH = 500;

/**
 * Coalesced pod status writes: a pod marked any number of times in a tick is written once,
 * from its worker's state at that moment, and only when the status differs from the stored one.
 */
export class StatusWriter {
  private dirty = new Map<string, StatusSource>();
  private scheduled = false;
  private stopped = false;

  constructor(
    private store: Store,
    private log: (msg: string) => void,
  ) {}

  mark(uid: string, src: StatusSource): void {
    if (this.stopped) return;
    this.dirty.set(uid, src);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush(BATCH));
    }
  }

  /** Write up to `max` pods now (all with Infinity); the rest on the next turn. */
  flush(max = Infinity): void {
    this.scheduled = false;
    let n = 0;
    for (const [uid, src] of this.dirty) {
      if (n++ >= max) break;
      this.dirty.delete(uid);
      this.write(uid, src);
    }
    if (this.dirty.size && !this.scheduled && !this.stopped) {
      this.scheduled = true;
      setImmediate(() => this.flush(BATCH));
    }
  }

  forget(uid: string): void {
    this.dirty.delete(uid);
  }

  stop(): void {
    this.flush();
    this.stopped = true;
  }

  private write(uid: string, src: StatusSource): void {
    const { namespace, name } = src.pod().metadata;
    const cur = this.store.get('pods', namespace, name!);
    if (!cur || cur.metadata.uid !== uid) return;
    const status = src.status(cur.status);
    if (jsonEqual(status, cur.status)) return;
    try {
      this.store.update('pods', { metadata: { name, namespace }, status } as KObject, { subresource: 'status' });
    } catch (e) {
      this.log(`kubelet: writing the status of pod ${namespace}/${name} failed: ${(e as Error).message}`);
    }
  }
}
