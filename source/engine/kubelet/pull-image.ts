import {
  ImageNeverPullError,
  ImagePullError,
  InvalidImageNameError,
  parseImageRef,
  type PullPolicy,
  type ResolvedImage,
} from '../runtime/index.ts';
import { goDuration } from './format.ts';
import type { SlotHost } from './slot-host.ts';

export type PullOutcome =
  | { resolved: ResolvedImage }
  /** The container waits: ErrImagePull, ImagePullBackOff, InvalidImageName, ErrImageNeverPull. */
  | { waiting: { reason: string; message: string }; retryAfterMs?: number };

/**
 * Pull a container's image the way the kubelet's image manager does, with its events and
 * back-off: a pull that fails opens a back-off window (10 s doubling) during which the container
 * waits in ImagePullBackOff; the caller retries when `retryAfterMs` has passed.
 */
export interface PullRequest {
  /** The back-off key (pod, container and image). */
  key: string;
  image: string;
  policy: PullPolicy;
  /** The container's field path, for the events. */
  fieldPath: string;
  /** Inside the back-off window of a failed pull: report ImagePullBackOff without pulling. */
  inBackoffWindow: boolean;
}

export async function pullImage(
  host: SlotHost,
  { key, image, policy, fieldPath, inBackoffWindow }: PullRequest,
): Promise<PullOutcome> {
  const ev = (type: 'Normal' | 'Warning', reason: string, message: string) =>
    host.event(type, reason, message, fieldPath);
  if (inBackoffWindow) {
    ev('Normal', 'BackOff', `Back-off pulling image "${image}"`);
    ev('Warning', 'Failed', 'Error: ImagePullBackOff');
    return { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"` } };
  }
  let present = false;
  try {
    parseImageRef(image);
    present = host.rt.hasImage(host.node, image);
  } catch (err) {
    if (err instanceof InvalidImageNameError) return invalidName(host, image, fieldPath);
    // not in the catalog: the pull below fails like a registry miss
  }
  try {
    if (policy === 'Never' || (present && policy === 'IfNotPresent')) {
      const r = await host.rt.pull(host.node, image, policy);
      ev('Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return { resolved: r.resolved };
    }
    ev('Normal', 'Pulling', `Pulling image "${image}"`);
    const r = await host.rt.pull(host.node, image, policy);
    host.pullBackoff.delete(key);
    const took = goDuration(r.durationMs);
    ev(
      'Normal',
      'Pulled',
      `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${r.resolved.image.size} bytes.`,
    );
    return { resolved: r.resolved };
  } catch (err) {
    if (err instanceof InvalidImageNameError) return invalidName(host, image, fieldPath);
    if (err instanceof ImageNeverPullError) {
      ev('Warning', 'ErrImageNeverPull', err.message);
      ev('Warning', 'Failed', 'Error: ErrImageNeverPull');
      return { waiting: { reason: 'ErrImageNeverPull', message: err.message } };
    }
    const message =
      err instanceof ImagePullError
        ? `rpc error: code = ${err.code} desc = ${err.message}`
        : `rpc error: code = Unknown desc = ${(err as Error).message}`;
    ev('Warning', 'Failed', `Failed to pull image "${image}": ${message}`);
    ev('Warning', 'Failed', 'Error: ErrImagePull');
    return { waiting: { reason: 'ErrImagePull', message }, retryAfterMs: host.pullBackoff.next(key) };
  }
}

function invalidName(host: SlotHost, image: string, fieldPath: string): PullOutcome {
  const message = `Failed to apply default image tag "${image}": couldn't parse image reference "${image}": invalid reference format`;
  host.event('Warning', 'InspectFailed', message, fieldPath);
  host.event('Warning', 'Failed', 'Error: InvalidImageName', fieldPath);
  return { waiting: { reason: 'InvalidImageName', message } };
}
