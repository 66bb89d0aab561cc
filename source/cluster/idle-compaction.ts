import {
  PerformanceObserver,
  constants,
  performance,
  type EventLoopUtilization,
  type PerformanceEntry,
} from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * Gives back the memory a burst of work leaves behind, once the engine's process goes quiet.
 *
 * After thousands of pods start, the old generation is left with many partly empty pages: a full
 * GC frees the dead objects but keeps the pages (at 10,000 pods, ~40 MiB of the heap's committed
 * 170 MiB was free space). V8's memory reducer would compact them once the process idles, but
 * it counts every call into JavaScript as activity, and the engine's timers call in several times
 * a second, so it never runs. This does its job: when the old generation has grown by
 * `growthBytes` since the last compaction and the event loop has been mostly idle for a check
 * interval, it asks for one major GC (concurrent marking, off the engine's thread) that evacuates
 * every fragmented page, then lets V8 go back to its usual heuristics.
 *
 * Needs `--expose-gc` (the daemon's flags, cluster/engine-flags.ts); without it, it does nothing.
 */
export interface IdleCompactionOptions {
  /** How often to look, in ms. */
  intervalMs?: number;
  /** Old-generation growth (committed bytes) since the last compaction that makes one worth it. */
  growthBytes?: number;
  /** Event-loop utilization over the last interval under which the process counts as quiet. */
  quietUtilization?: number;
}

type GcEntry = PerformanceEntry & { detail?: { kind?: number } };
const isMajorGc = (e: GcEntry): boolean => e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;

type GcFunction = (options: { type: 'major'; execution: 'async' }) => void;

const oldGenerationBytes = (): number =>
  getHeapSpaceStatistics()
    .filter((s) => s.space_name === 'old_space' || s.space_name === 'large_object_space')
    .reduce((sum, s) => sum + s.space_size, 0);

/** Starts watching; returns a function that stops it. */
export function startIdleCompaction(opts: IdleCompactionOptions = {}): () => void {
  const gc = (globalThis as { gc?: GcFunction }).gc;
  if (typeof gc !== 'function') return () => {};
  const intervalMs = opts.intervalMs ?? 2000;
  const growthBytes = opts.growthBytes ?? 16 * 1024 * 1024;
  const quiet = opts.quietUtilization ?? 0.1;

  let baseline = oldGenerationBytes();
  let compacting = false;
  let lastElu: EventLoopUtilization = performance.eventLoopUtilization();

  // The flag is read when a major GC picks the pages to evacuate; it is on only for ours.
  const observer = new PerformanceObserver((list) => {
    if (!compacting) return;
    if (!list.getEntries().some(isMajorGc)) return;
    setFlagsFromString('--no-compact-on-every-full-gc');
    compacting = false;
    baseline = oldGenerationBytes();
  });
  observer.observe({ entryTypes: ['gc'] });

  const timer = setInterval(() => {
    const elu = performance.eventLoopUtilization(lastElu);
    lastElu = performance.eventLoopUtilization();
    const now = oldGenerationBytes();
    // The heap shrank on its own (a full GC of V8's): measure growth from there.
    if (now < baseline) baseline = now;
    if (compacting || elu.utilization > quiet || now - baseline < growthBytes) return;
    compacting = true;
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
