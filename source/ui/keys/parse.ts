import type { Key } from 'ink';

/**
 * Turns Ink's (input, key) into key names used by the keymap: printable characters as themselves
 * (`j`, `N`, `?`), others by name (`enter`, `esc`, `up`, `pgdn`, `ctrl-d`, `backspace`, `tab`).
 * Several printable characters in one read (fast typing, paste) become several keys.
 */
export function keyNames(input: string, key: Key): string[] {
  if (key.upArrow) return ['up'];
  if (key.downArrow) return ['down'];
  if (key.leftArrow) return ['left'];
  if (key.rightArrow) return ['right'];
  if (key.pageUp) return ['pgup'];
  if (key.pageDown) return ['pgdn'];
  if (key.home) return ['home'];
  if (key.end) return ['end'];
  if (key.return) return ['enter'];
  if (key.escape) return ['esc'];
  if (key.tab) return [key.shift ? 'shift-tab' : 'tab'];
  // Ink 6 reports the Backspace key (0x7f) as `delete`; both erase to the left here.
  if (key.backspace || key.delete) return ['backspace'];
  if (key.ctrl && input) return [`ctrl-${input.toLowerCase()}`];
  // No binding uses Alt: ESC quickly followed by a key reads as Alt+key, so split it again.
  if (key.meta && input) return ['esc', ...keyNames(input, { ...key, meta: false })];
  if (!input) return [];
  if (input === ' ') return ['space'];
  // Several keys read at once arrive as one string: name each character on its own.
  return [...input].map(charName).filter((n): n is string => !!n);
}

function charName(c: string): string | undefined {
  const code = c.charCodeAt(0);
  if (c === '\r' || c === '\n') return 'enter';
  if (c === '\t') return 'tab';
  if (c === '\x7f' || c === '\b') return 'backspace';
  if (c === '\x1b') return 'esc';
  if (c === ' ') return 'space';
  if (code < 0x20) return `ctrl-${String.fromCharCode(code + 96)}`;
  if (code >= 0x7f && code < 0xa0) return undefined;
  return c;
}

/** How a key name is shown in hints and help: `<ctrl-d>`, `<enter>`, `<j>`. */
export function keyLabel(name: string): string {
  return `<${name}>`;
}
