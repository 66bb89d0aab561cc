// Module hook (runs in Node's loader thread), registered before the TUI loads Ink and the client:
// - bounds the text caches of ink 6.8, which keep every distinct string ever rendered (ink#986,
//   fixed upstream in 7.x, which needs Node 22); a live table or a followed log renders new
//   strings all the time, so unbounded they leak. When a cache reaches its limit it is cleared:
//   measuring again is cheap. Ink's per-frame output caches become one shared, bounded cache.
// - skips the per-cell work Ink repeats every frame that changes nothing (ink-frame-fast.mjs).
// - keeps the layout when a truncated text changes to as many other ASCII characters, as a
//   ticking AGE does (ink-text-dirty.mjs): an idle table's frame then runs no Yoga layout.
// - measures framed lines (box-drawing borders, `…`) by their length in string-width, as it
//   measures ASCII, instead of grapheme by grapheme: a followed log re-measures every line per frame.
// - keeps @kubernetes/client-node's kubeconfig code from loading its whole generated API.
import { boundInkCaches } from './ink-cache-bound.mjs';
import { slimClientNodeConfig } from './client-node-slim.mjs';
import { narrowFastPath } from './string-width-narrow.mjs';
import { fastStyledChars, sharedBlankCell } from './ink-frame-fast.mjs';
import { keepLayoutOnSameShapeText } from './ink-text-dirty.mjs';

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (result.source == null) return result;
  const m = /\/ink\/build\/(measure-text|wrap-text|output)\.js$/.exec(url);
  if (m) {
    const bounded = boundInkCaches(String(result.source), m[1]);
    return { ...result, source: m[1] === 'output' ? sharedBlankCell(bounded) : bounded };
  }
  if (url.endsWith('/ink/build/dom.js')) return { ...result, source: keepLayoutOnSameShapeText(String(result.source)) };
  if (url.endsWith('/@alcalzone/ansi-tokenize/build/styledChars.js'))
    return { ...result, source: fastStyledChars(String(result.source)) };
  if (url.endsWith('/node_modules/string-width/index.js'))
    return { ...result, source: narrowFastPath(String(result.source)) };
  if (url.endsWith('/@kubernetes/client-node/dist/config.js'))
    return { ...result, source: slimClientNodeConfig(String(result.source)) };
  return result;
}
