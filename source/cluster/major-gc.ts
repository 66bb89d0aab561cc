import { constants, type PerformanceEntry } from 'node:perf_hooks';

/** Whether a PerformanceObserver's 'gc' entry is a full (mark-compact) collection. */
export const isMajorGc = (e: PerformanceEntry): boolean =>
  (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
