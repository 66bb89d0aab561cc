import type { Container } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import type { Clock } from '../clock.ts';
import type { PortMapping, Runtime, VolumeMount } from '../runtime/index.ts';
import type { Backoff } from './backoff.ts';
import type { Limiter } from './limiter.ts';

/** What a container slot needs from its pod worker. */
export interface SlotHost {
  readonly rt: Runtime;
  readonly clock: Clock;
  readonly node: string;
  readonly podIP: string;
  /** The pod as last seen in the store. */
  pod(): KObject;
  /** Pod still being driven (not deleted, not halted): otherwise a finished pull must not start anything. */
  active(): boolean;
  event(type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
  /** Something in the status changed: write it (coalesced). */
  changed(): void;
  /** Re-evaluate the pod (a container exited, a back-off ended). */
  sync(): void;
  portsMapped(container: string, mappings: readonly PortMapping[]): void;
  /** The container's environment (throws ContainerConfigError for a missing reference). */
  env(container: Container): Record<string, string>;
  /** The container's mounts, once the pod's volumes are set up (throws MountError until then). */
  mounts(container: Container, env: Record<string, string>): Promise<VolumeMount[]>;
  /** The termination message of an instance that just exited (file, or log tail on error). */
  terminationMessage(container: Container, exitCode: number): Promise<string | undefined>;
  /** Once per pod, when containers run outside a sandbox. */
  unsandboxed(): void;
  /** Container starts run through this, a few at a time. */
  readonly starts: Limiter;
  readonly pullBackoff: Backoff;
  readonly crashBackoff: Backoff;
}
