/** Max entries per ink text cache before it is cleared. */
export const INK_CACHE_LIMIT = 4000;

/**
 * Rewrites ink's measure-text.js / wrap-text.js source so their module caches are bounded.
 * Returns the source unchanged (and says so) when it does not look as expected.
 */
export function boundInkCaches(source, file) {
  if (file === 'measure-text') {
    const from = 'cache.set(text, dimensions);';
    if (!source.includes(from)) return source;
    return source.replace(from, `if (cache.size >= ${INK_CACHE_LIMIT}) cache.clear();\n    ${from}`);
  }
  if (file === 'wrap-text') {
    const decl = 'const cache = {};';
    const set = 'cache[cacheKey] = wrappedText;';
    if (!source.includes(decl) || !source.includes(set)) return source;
    return source
      .replace(decl, 'let cache = {};\nlet cacheSize = 0;')
      .replace(set, `if (++cacheSize > ${INK_CACHE_LIMIT}) {\n        cache = {};\n        cacheSize = 1;\n    }\n    ${set}`);
  }
  return source;
}
