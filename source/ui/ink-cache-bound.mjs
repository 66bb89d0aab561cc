/** Max entries per ink text cache before it is cleared. */
export const INK_CACHE_LIMIT = 4000;
/**
 * Output's shared caches hold a styled-character array per line: a few screens' worth is all a
 * frame reuses, and more (4,000 lines of a busy log) held hundreds of MB.
 */
export const OUTPUT_CACHE_LIMIT = 512;

/**
 * Rewrites ink's measure-text.js / wrap-text.js source so their module caches are bounded, and
 * output.js so that its per-frame caches are one bounded cache shared by all frames.
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
      .replace(
        set,
        `if (++cacheSize > ${INK_CACHE_LIMIT}) {\n        cache = {};\n        cacheSize = 1;\n    }\n    ${set}`,
      );
  }
  if (file === 'output') {
    // Ink builds a new Output, with empty caches, for every frame: each line of the screen is
    // tokenized again although only a few changed. One shared set of caches, bounded, keeps the
    // unchanged lines' work (cached values are only read, never changed, by Output).
    const cls = 'class OutputCaches {';
    const field = 'caches = new OutputCaches();';
    if (!source.includes(cls) || !source.includes(field)) return source;
    return source
      .replace(
        cls,
        `const boundedSet = (map, key, value) => {\n    if (map.size >= ${OUTPUT_CACHE_LIMIT}) map.clear();\n    return Map.prototype.set.call(map, key, value);\n};\n${cls}`,
      )
      .replace(/this\.(widths|blockWidths|styledChars)\.set\(/g, (_, name) => `boundedSet(this.${name}, `)
      .replace(field, 'caches = sharedCaches;')
      .replace(
        'export default class Output {',
        'const sharedCaches = new OutputCaches();\nexport default class Output {',
      );
  }
  return source;
}
