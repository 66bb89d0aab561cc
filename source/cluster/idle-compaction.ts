import { PerformanceObserver, performance, type EventLoopUtilization } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { isMajorGc } from './major-gc.ts';

/**
 * Gives back the memory a burst of work leaves behind, once the engine's process goes quiet.
 *
 * After thousands of pods start, the old generation is left with many partly empty pages: a full
 * GC frees the dead objects but keeps the pages (at 10,000 pods, ~30 MiB of the heap's committed
 * ~150 MiB was free space). V8's memory reducer would compact them once the process idles, but
 * it counts every call into JavaScript as activity, and the engine's timers call in several times
 * a second, so it never runs. This does its job: when the old generation's free space reaches
 * `minFreeBytes` and the event loop has been mostly idle for a check interval, it asks for one
 * major GC (concurrent marking, off the engine's thread) that evacuates every fragmented page,
 * then lets V8 go back to its usual heuristics. The evacuation pauses the engine (~0.5 s at
 * 10,000 pods), so there is at most one every `minIntervalMs`.
 *
 * Needs `--expose-gc` (the daemon's flags, cluster/engine-flags.ts); without it, it does nothing.
 */
export interface IdleCompactionOptions {
  /** How often to look, in ms. */
  intervalMs?: number;
  /** Free space in the old generation's pages that makes a compaction worth it. */
  minFreeBytes?: number;
  /** The least time between two compactions, in ms. */
  minIntervalMs?: number;
  /** Event-loop utilization over the last interval under which the process counts as quiet. */
  quietUtilization?: number;
}

type GcFunction = (options: { type: 'major'; execution: 'async' }) => void;

/**
 * Committed minus used bytes of the old generation's pages. Used counts garbage not yet
 * collected, so this is at most the free space; V8's `space_available_size` leaves out the
 * holes a full GC leaves, which are what this is about.
 */
function oldSpaceFreeBytes(): number {
  const s = getHeapSpaceStatistics().find((x) => x.space_name === 'old_space');
  return s ? s.space_size - s.space_used_size : 0;
}

/** Starts watching; returns a function that stops it. */
export function startIdleCompaction(opts: IdleCompactionOptions = {}): () => void {
  const gc = (globalThis as { gc?: GcFunction }).gc;
  if (typeof gc !== 'function') return () => {};
  const intervalMs = opts.intervalMs ?? 2000;
  const minFreeBytes = opts.minFreeBytes ?? 16 * 1024 * 1024;
  const minIntervalMs = opts.minIntervalMs ?? 60_000;
  const quiet = opts.quietUtilization ?? 0.1;

  let compacting = false;
  let lastCompaction = -Infinity;
  let lastElu: EventLoopUtilization = performance.eventLoopUtilization();

  // The flag is read when a major GC picks the pages to evacuate; it is on only for ours.
  const observer = new PerformanceObserver((list) => {
    if (!compacting) return;
    if (!list.getEntries().some(isMajorGc)) return;
    setFlagsFromString('--no-compact-on-every-full-gc');
    compacting = false;
  });
  observer.observe({ entryTypes: ['gc'] });

  const timer = setInterval(() => {
    const elu = performance.eventLoopUtilization(lastElu);
    lastElu = performance.eventLoopUtilization();
    if (compacting || elu.utilization > quiet || performance.now() - lastCompaction < minIntervalMs) return;
    if (oldSpaceFreeBytes() < minFreeBytes) return;
    compacting = true;
    lastCompaction = performance.now();
    setFlagsFromString('--compact-on-every-full-gc');
    gc({ type: 'major', execution: 'async' });
  }, intervalMs);
  timer.unref();

  return () => {
    clearInterval(timer);
    observer.disconnect();
    if (compacting) setFlagsFromString('--no-compact-on-every-full-gc');
  };
}
