// The source rewrites the TUI applies to its dependencies, by the file they apply to. Two users:
// the module hook (ink-cache-hook.mjs) when the TUI runs from source, and the build
// (scripts/build.mjs), which bakes them into the bundled TUI of dist/ so it needs no hook.
// - bounds the text caches of ink 6.8, which keep every distinct string ever rendered (ink#986,
//   fixed upstream in 7.x, which needs Node 22); a live table or a followed log renders new
//   strings all the time, so unbounded they leak. When a cache reaches its limit it is cleared:
//   measuring again is cheap. Ink's per-frame output caches become one shared, bounded cache.
// - skips the per-cell work Ink repeats every frame that changes nothing (ink-frame-fast.mjs).
// - keeps the layout when a truncated text changes to as many other ASCII characters, as a
//   ticking AGE does (ink-text-dirty.mjs): an idle table's frame then runs no Yoga layout.
// - measures framed lines (box-drawing borders, `…`) by their length in string-width, as it
//   measures ASCII, instead of grapheme by grapheme: a followed log re-measures every line per frame.
// - keeps @kubernetes/client-node's kubeconfig code from loading its whole generated API, and
//   node-fetch and the SOCKS proxy agent until a call needs them (client-node-slim.mjs).
// - keeps yoga-layout from loading Node's fetch (undici) to read its inlined wasm, and has it
//   decode and instantiate that wasm synchronously (yoga-sync-wasm.mjs).
import { boundInkCaches } from './ink-cache-bound.mjs';
import { lazyClientNodeFetch, slimClientNodeConfig } from './client-node-slim.mjs';
import { narrowFastPath } from './string-width-narrow.mjs';
import { cachedRowStrings, fastStyledChars, sharedBlankCell } from './ink-frame-fast.mjs';
import { yogaSyncWasm } from './yoga-sync-wasm.mjs';
import { keepLayoutOnSameShapeText } from './ink-text-dirty.mjs';

/** The files rewritten, by their path under node_modules (the build checks that each one was). */
export const REWRITTEN_MODULES = [
  'ink/build/measure-text.js',
  'ink/build/wrap-text.js',
  'ink/build/output.js',
  'ink/build/dom.js',
  '@alcalzone/ansi-tokenize/build/styledChars.js',
  'string-width/index.js',
  '@kubernetes/client-node/dist/config.js',
  '@kubernetes/client-node/dist/gen/http/isomorphic-fetch.js',
  'yoga-layout/dist/binaries/yoga-wasm-base64-esm.js',
];

/**
 * The rewritten source of the module at `location` (a file: URL or a path with `/` separators),
 * or undefined when the TUI leaves that module as it is.
 */
export function rewriteModuleSource(location, source) {
  const m = /\/ink\/build\/(measure-text|wrap-text|output)\.js$/.exec(location);
  if (m) {
    const bounded = boundInkCaches(source, m[1]);
    return m[1] === 'output' ? cachedRowStrings(sharedBlankCell(bounded)) : bounded;
  }
  if (location.endsWith('/ink/build/dom.js')) return keepLayoutOnSameShapeText(source);
  if (location.endsWith('/@alcalzone/ansi-tokenize/build/styledChars.js')) return fastStyledChars(source);
  if (location.endsWith('/node_modules/string-width/index.js')) return narrowFastPath(source);
  if (location.endsWith('/@kubernetes/client-node/dist/config.js')) return slimClientNodeConfig(source);
  if (location.endsWith('/@kubernetes/client-node/dist/gen/http/isomorphic-fetch.js'))
    return lazyClientNodeFetch(source);
  if (location.endsWith('/yoga-layout/dist/binaries/yoga-wasm-base64-esm.js')) return yogaSyncWasm(source);
  return undefined;
}
