// Per-frame work Ink 6.8 repeats for every cell of the screen, made cheap without changing what
// is printed (applied by the module hook, ink-cache-hook.mjs):
// - @alcalzone/ansi-tokenize's styledCharsToString diffs the styles of every pair of neighbouring
//   cells (three Sets and two arrays each) although neighbours almost always share their style;
//   identical styles (same codes in the same order) diff to nothing, so that case is skipped.
// - styledCharsFromTokens copies the current styles into a new array for every character; the
//   characters between two escape codes share one (styles are replaced, never changed, downstream).
// - Ink's Output fills each frame's grid with a fresh blank-cell object and styles array per cell;
//   one shared, frozen blank cell serves them all (cells are replaced, never changed).

const TO_STRING = `export function styledCharsToString(chars) {
    let ret = "";
    for (let i = 0; i < chars.length; i++) {
        const char = chars[i];
        if (i === 0) {
            ret += ansiCodesToString(char.styles);
        }
        else {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`;

const TO_STRING_FAST = `const sameStyles = (a, b) => {
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let k = 0; k < a.length; k++) if (a[k].code !== b[k].code || a[k].endCode !== b[k].endCode) return false;
    return true;
};
export function styledCharsToString(chars) {
    let ret = "";
    for (let i = 0; i < chars.length; i++) {
        const char = chars[i];
        if (i === 0) {
            if (char.styles.length) ret += ansiCodesToString(char.styles);
        }
        else if (!sameStyles(chars[i - 1].styles, char.styles)) {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`;

const COPY_STYLES = 'styles: [...codes],';

/** Rewrites ansi-tokenize's styledChars.js; the source unchanged when it does not look as expected. */
export function fastStyledChars(source) {
  if (!source.includes(TO_STRING) || !source.includes(COPY_STYLES)) return source;
  return source.replace(TO_STRING, TO_STRING_FAST).replace(COPY_STYLES, 'styles: codes,');
}

const BLANK_CELL = /row\.push\(\{\s*type: 'char',\s*value: ' ',\s*fullWidth: false,\s*styles: \[\],\s*\}\);/;

/** Rewrites ink's output.js to share one blank cell; the source unchanged when it does not look as expected. */
export function sharedBlankCell(source) {
  if (!BLANK_CELL.test(source) || !source.includes('export default class Output {')) return source;
  return source
    .replace(BLANK_CELL, 'row.push(BLANK_CELL);')
    .replace(
      'export default class Output {',
      "const BLANK_CELL = Object.freeze({ type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([]) });\nexport default class Output {",
    );
}

const ROW_STRINGS = `            .map(line => {
            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
            const lineWithoutEmptyItems = line.filter(item => item !== undefined);
            return styledCharsToString(lineWithoutEmptyItems).trimEnd();
        })`;

const ROW_STRINGS_CACHED = `            .map(rowString)`;

// Each row's text as last built, by row index. A row whose cells are the very objects they were
// then (cells and their styles are shared, never changed) has the same text: a key that moves
// the selection rebuilds two rows, not the screen.
const ROW_CACHE = `let lastRows = [];
const rowString = (line, y) => {
    const last = lastRows[y];
    if (last !== undefined && last.cells.length === line.length) {
        let same = true;
        for (let i = 0; i < line.length; i++) {
            if (line[i] !== last.cells[i]) {
                same = false;
                break;
            }
        }
        if (same) return last.text;
    }
    // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742
    const text = styledCharsToString(line.filter(item => item !== undefined)).trimEnd();
    lastRows[y] = { cells: line, text };
    return text;
};
export default class Output {`;

/**
 * Rewrites ink's output.js so Output.get turns into text only the rows whose cells changed since
 * the previous frame (styledCharsToString of a 200-column row diffs styles cell by cell); the
 * source unchanged when it does not look as expected.
 */
export function cachedRowStrings(source) {
  if (!source.includes(ROW_STRINGS) || !source.includes('export default class Output {')) return source;
  return source.replace(ROW_STRINGS, ROW_STRINGS_CACHED).replace('export default class Output {', ROW_CACHE);
}
