/**
 * Characters one cell wide that string-width 8 still measures grapheme by grapheme (segmenter,
 * emoji regexes, East Asian Width lookup): the box-drawing borders and block elements every
 * framed line carries, `…` of a cut line, `·` and the arrows (East Asian "ambiguous", so one
 * cell under string-width's default, ambiguousIsNarrow), and, East Asian "neutral", the tree
 * marks `▸` `▾` of xray and explain (measured the slow way on every row of every xray frame) and
 * the Braille patterns of the spinner. The spinner is on the first frame: measured the slow way,
 * it paid the emoji regex's compilation and the segmenter's set-up before anything was on the
 * screen.
 */
export const NARROW_TEXT = /^[\u0020-\u007E\u00B7\u2026\u2190-\u2193\u2500-\u259F\u25B8\u25BE\u2800-\u28FF]*$/;

/**
 * Rewrites string-width's index.js so a string of only such characters (and printable ASCII) is
 * measured by its length, as its own ASCII fast path does. Returns the source unchanged when it
 * does not look as expected.
 */
export function narrowFastPath(source) {
  const anchor = '// Fast path: printable ASCII';
  if (!source.includes(anchor) || !source.includes('ambiguousIsNarrow = true')) return source;
  return source.replace(
    anchor,
    `if (ambiguousIsNarrow && ${NARROW_TEXT}.test(string)) {\n\t\treturn string.length;\n\t}\n\n\t${anchor}`,
  );
}
