/** The Job controller's pod-failure back-off (upstream's DefaultJobPodFailureBackOff, MaxJobPodFailureBackOff). */
export const JOB_BACKOFF_BASE_MS = 10_000;
export const JOB_BACKOFF_MAX_MS = 10 * 60_000;

/** Back-off before the next pod after `failures` consecutive failures: 10 s doubling, at most 10 min. */
export function jobBackoffMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(JOB_BACKOFF_MAX_MS, JOB_BACKOFF_BASE_MS * 2 ** Math.min(failures - 1, 16));
}
