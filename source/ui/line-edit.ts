/**
 * A one-line text field (the `:`/`/` prompt, a dialog's input) as data: the text, the cursor
 * (in characters, not UTF-16 units) and whether the whole text is selected — a prefilled value
 * is, so typing replaces it, as in any form field. Keys follow readline/bash: ctrl-a/ctrl-e
 * (home/end), ctrl-b/ctrl-f (left/right), ctrl-u (to the start), ctrl-k (to the end), ctrl-w
 * (the word before the cursor).
 */
export interface LineField {
  text: string;
  cursor: number;
  /** The whole text is selected: typing replaces it, erasing clears it, moving deselects. */
  selected?: boolean;
}

const chars = (s: string) => [...s];

export function field(text: string, cursor?: number, selected = false): LineField {
  const n = chars(text).length;
  return { text, cursor: Math.max(0, Math.min(n, cursor ?? n)), selected };
}

/** Inserts typed or pasted text at the cursor (replacing the selection). Newlines and control characters are dropped. */
export function insertText(f: LineField, text: string): LineField {
  const clean = text.replace(/[\r\n\t]+/g, ' ').replace(/[\x00-\x1f\x7f-\x9f]/g, '');
  if (f.selected) return field(clean);
  const cs = chars(f.text);
  const ins = chars(clean);
  const at = Math.min(f.cursor, cs.length);
  return { text: [...cs.slice(0, at), ...ins, ...cs.slice(at)].join(''), cursor: at + ins.length, selected: false };
}

function cut(cs: string[], from: number, to: number): LineField {
  return { text: [...cs.slice(0, from), ...cs.slice(to)].join(''), cursor: from, selected: false };
}

/** Start of the word before `at` (bash's ctrl-w: whitespace-delimited). */
function wordStart(cs: string[], at: number): number {
  let i = at;
  while (i > 0 && /\s/.test(cs[i - 1])) i--;
  while (i > 0 && !/\s/.test(cs[i - 1])) i--;
  return i;
}

/** One key applied to the field; undefined when the key is not an editing key. */
export function editField(f: LineField, name: string): LineField | undefined {
  const cs = chars(f.text);
  const at = Math.min(f.cursor, cs.length);
  if (f.selected) {
    if (['backspace', 'delete', 'ctrl-u', 'ctrl-w', 'ctrl-k'].includes(name)) return field('');
    if (['left', 'ctrl-b', 'home', 'ctrl-a'].includes(name)) return field(f.text, 0);
    if (['right', 'ctrl-f', 'end', 'ctrl-e'].includes(name)) return field(f.text);
  }
  switch (name) {
    case 'backspace':
      return at > 0 ? cut(cs, at - 1, at) : { ...f, cursor: at };
    case 'delete':
      return cut(cs, at, Math.min(cs.length, at + 1));
    case 'ctrl-u':
      return cut(cs, 0, at);
    case 'ctrl-k':
      return cut(cs, at, cs.length);
    case 'ctrl-w':
      return cut(cs, wordStart(cs, at), at);
    case 'left':
    case 'ctrl-b':
      return { ...f, cursor: Math.max(0, at - 1) };
    case 'right':
    case 'ctrl-f':
      return { ...f, cursor: Math.min(cs.length, at + 1) };
    case 'home':
    case 'ctrl-a':
      return { ...f, cursor: 0 };
    case 'end':
    case 'ctrl-e':
      return { ...f, cursor: cs.length };
    case 'space':
      return insertText(f, ' ');
  }
  if (chars(name).length === 1) return insertText(f, name);
  return undefined;
}

/** The text before the cursor, the character under it (a space at the end) and the rest: for drawing. */
export function splitAtCursor(f: LineField): [before: string, at: string, after: string] {
  const cs = chars(f.text);
  const at = Math.min(f.cursor, cs.length);
  return [cs.slice(0, at).join(''), cs[at] ?? ' ', cs.slice(at + 1).join('')];
}

/** One key applied to a text with the cursor at its end; undefined when the key does not edit. */
export function editLine(text: string, name: string): string | undefined {
  return editField(field(text), name)?.text;
}
