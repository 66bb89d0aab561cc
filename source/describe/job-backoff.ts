import type { KObject } from '../api-types/index.ts';
import { jobBackoffMs } from '../api-types/job-backoff.ts';

export { jobBackoffMs };

export interface JobRetry {
  /** When the controller creates the next pod (ms since the epoch, server time). */
  at: number;
  /** Failed pods since the last success: the exponent of the back-off. */
  failures: number;
  backoffMs: number;
}

/** When a finished pod finished: its containers' last finishedAt, else its Ready condition's last change. */
function finishedAt(pod: KObject): number | undefined {
  let last: number | undefined;
  for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const t = Date.parse(cs?.state?.terminated?.finishedAt ?? '');
    if (!Number.isNaN(t) && (last === undefined || t > last)) last = t;
  }
  if (last !== undefined) return last;
  const ready = (pod.status?.conditions ?? []).find((c: { type?: string }) => c.type === 'Ready');
  const t = Date.parse(ready?.lastTransitionTime ?? pod.metadata.deletionTimestamp ?? '');
  return Number.isNaN(t) ? undefined : t;
}

const isTrue = (job: KObject, type: string) =>
  (job.status?.conditions ?? []).some(
    (c: { type?: string; status?: string }) => c.type === type && c.status === 'True',
  );

/**
 * The next retry of a Job waiting out its back-off, derived from its pods as the controller does
 * (upstream's backoffRecord: failures after the last success, from the last failure's finish
 * time). The API does not publish it. `timeScale`: a skiff engine's SKIFF_TIME_SCALE (1 elsewhere). Undefined when no retry is pending: the job is finished or
 * suspended, has no failures since its last success, runs all the pods it may, or the back-off is over.
 */
export function nextJobRetry(job: KObject, pods: readonly KObject[], now: number, timeScale = 1): JobRetry | undefined {
  if (isTrue(job, 'Complete') || isTrue(job, 'Failed') || isTrue(job, 'FailureTarget') || job.spec?.suspend)
    return undefined;
  const finished: Array<{ at: number; failed: boolean }> = [];
  let active = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase !== 'Failed' && phase !== 'Succeeded') {
      if (!p.metadata.deletionTimestamp) active++;
      continue;
    }
    const at = finishedAt(p);
    if (at !== undefined) finished.push({ at, failed: phase === 'Failed' });
  }
  if (active >= (job.spec?.parallelism ?? 1)) return undefined;
  finished.sort((a, b) => a.at - b.at);
  let failures = 0;
  let lastFailure = 0;
  for (const f of finished) {
    if (!f.failed) failures = 0;
    else {
      failures++;
      lastFailure = f.at;
    }
  }
  if (!failures) return undefined;
  const backoffMs = jobBackoffMs(failures);
  // A skiff engine with a time scale waits the back-off scaled (the text still names the unscaled one).
  const at = lastFailure + backoffMs * timeScale;
  return at > now ? { at, failures, backoffMs } : undefined;
}

/** `in 35s (back-off 40s after 3 failures)` for describe and the pods view's title. */
export function retryText(r: JobRetry, now: number): string {
  const left = Math.max(1, Math.ceil((r.at - now) / 1000));
  const plural = r.failures === 1 ? 'failure' : 'failures';
  return `in ${left}s (back-off ${Math.round(r.backoffMs / 1000)}s after ${r.failures} ${plural})`;
}
