import type { Key } from 'ink';

/**
 * Several characters read at once while a text field has focus — a paste, or very fast typing —
 * as runs: printable text to insert in one go, and `enter`/`tab`/`backspace`/`esc` as keys.
 * Undefined when the input is a single key (then it goes through the keymap as usual).
 */
export function pasteRuns(input: string, key: Key): Array<{ text: string } | { key: string }> | undefined {
  if (key.ctrl || key.meta || [...input].length < 2) return undefined;
  const runs: Array<{ text: string } | { key: string }> = [];
  let text = '';
  const flush = () => {
    if (text) runs.push({ text });
    text = '';
  };
  for (const ch of input) {
    const named =
      ch === '\r' || ch === '\n'
        ? 'enter'
        : ch === '\t'
          ? 'tab'
          : ch === '\x7f' || ch === '\b'
            ? 'backspace'
            : ch === '\x1b'
              ? 'esc'
              : undefined;
    if (named) {
      flush();
      runs.push({ key: named });
    } else if (ch >= ' ' && !(ch >= '\x7f' && ch < '\xa0')) text += ch;
  }
  flush();
  return runs;
}
