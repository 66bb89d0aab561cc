import type { Clock } from '../clock.ts';
import type { NodeConfig } from '../context.ts';
import type { EventRecorder } from '../events.ts';
import type { Runtime } from '../runtime/index.ts';
import type { HostPathPolicy } from './volumes/host-path.ts';
import type { TokenProvider } from './volumes/payload.ts';
import type { Store } from '../store/store.ts';
import type { Backoff } from './backoff.ts';
import type { IpAllocator } from './ip-allocator.ts';
import type { Limiter } from './limiter.ts';
import type { PodDnsFiles } from './pod-dns.ts';

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
  /** `<pod dir>/.volumes` of a pod. */
  volumesDir(uid: string): string;
  hostPaths: HostPathPolicy;
  /** Projected service-account tokens, when the engine issues them. */
  tokens?: TokenProvider;
  /** How often ConfigMap/Secret/downward API volumes are brought up to date (clock ms). */
  syncPeriodMs: number;
  /** /etc/hosts and /etc/resolv.conf of each pod. */
  dnsFiles?: PodDnsFiles;
  /** Queue a status write for this pod (coalesced). */
  statusChanged(uid: string): void;
  /** The worker is done with its pod (deleted and cleaned up). */
  finished(uid: string): void;
  log(msg: string): void;
}
