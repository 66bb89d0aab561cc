// Module hook (runs in Node's loader thread): bounds the two text caches of ink 6.8, which keep
// every distinct string ever rendered (ink#986, fixed upstream in 7.x, which needs Node 22).
// A live table or a followed log renders new strings all the time, so unbounded they leak.
// When a cache reaches its limit it is cleared: measuring again is cheap.
import { boundInkCaches } from './ink-cache-bound.mjs';

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  const m = /\/ink\/build\/(measure-text|wrap-text)\.js$/.exec(url);
  if (!m || result.source == null) return result;
  return { ...result, source: boundInkCaches(String(result.source), m[1]) };
}
