import type { KObject } from '../../api-types/index.ts';
import type { Clock } from '../clock.ts';
import type { NodeConfig } from '../context.ts';
import type { EventRecorder } from '../events.ts';
import type { Runtime } from '../runtime/index.ts';
import type { Store } from '../store/store.ts';
import type { Backoff } from './backoff.ts';
import type { IpAllocator } from './ip-allocator.ts';
import type { Limiter } from './limiter.ts';

/** What one node's kubelet gives each of its pod workers. */
export interface WorkerDeps {
  rt: Runtime;
  clock: Clock;
  store: Store;
  recorder: EventRecorder;
  node: NodeConfig;
  ips: IpAllocator;
  pullBackoff: Backoff;
  crashBackoff: Backoff;
  starts: Limiter;
  /** Queue a status write for this pod (coalesced). */
  statusChanged(uid: string): void;
  /** The worker is done with its pod (deleted and cleaned up). */
  finished(uid: string): void;
  log(msg: string): void;
}

export function podKey(pod: KObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}`;
}
