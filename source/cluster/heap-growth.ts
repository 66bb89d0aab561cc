import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { isMajorGc } from './major-gc.ts';

/**
 * How far the engine's old generation may grow past what survived the last full GC before the
 * next one, chosen by the heap's size (V8 reads `--heap-growing-percent` each time a full GC sets
 * the next limit, so it can change at run time).
 *
 * A large heap grows by 30 %: on a machine with gigabytes of memory V8 lets it grow up to 4×, and
 * the pages it grows into stay resident (at 10,000 pods, old space 248 instead of ~365 MiB). A
 * small one grows by 100 %: a burst on a fresh engine (`kubectl scale` 0 → 1,000) ran a full GC
 * every few MiB at 30 %, about a tenth of its CPU, to keep a few tens of MiB.
 * A heap counts as small while growing it by the small factor would keep its next limit under
 * `largeBytes` (by default: survivors of the last full GC under 32 MiB). The burst above stays
 * small (its survivors ~24 MiB), and no heap grows past `largeBytes` at the small factor.
 */
export interface HeapGrowthOptions {
  /** The most a small heap's next limit may be. */
  largeBytes?: number;
  smallPercent?: number;
  largePercent?: number;
}

const OLD_GENERATION = new Set(['old_space', 'code_space', 'large_object_space', 'code_large_object_space']);

function oldGenerationUsedBytes(): number {
  let used = 0;
  for (const s of getHeapSpaceStatistics()) if (OLD_GENERATION.has(s.space_name)) used += s.space_used_size;
  return used;
}

/** Starts choosing; returns a function that stops (the last factor stays). */
export function startHeapGrowth(opts: HeapGrowthOptions = {}): () => void {
  const largeBytes = opts.largeBytes ?? 64 * 1024 * 1024;
  const smallPercent = opts.smallPercent ?? 100;
  const small = `--heap-growing-percent=${smallPercent}`;
  const large = `--heap-growing-percent=${opts.largePercent ?? 30}`;
  let current = '';
  const choose = () => {
    const next = oldGenerationUsedBytes() * (1 + smallPercent / 100) >= largeBytes ? large : small;
    if (next !== current) setFlagsFromString((current = next));
  };
  choose();
  const observer = new PerformanceObserver((list) => {
    if (list.getEntries().some(isMajorGc)) choose();
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}
