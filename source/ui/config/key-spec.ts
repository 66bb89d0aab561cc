/**
 * Key names as users write them in hotkeys.yaml and plugins.yaml, turned into the names the keymap
 * uses (source/ui/keys/parse.ts). skiff's own spelling (`j`, `ctrl-d`, `pgdn`, `shift-tab`) and
 * k9s's (`Ctrl-D`, `Shift-A`, `Shift-0`, `PgDn`) are both accepted.
 */

const NAMED: Record<string, string> = {
  enter: 'enter',
  return: 'enter',
  esc: 'esc',
  escape: 'esc',
  tab: 'tab',
  backtab: 'shift-tab',
  'shift-tab': 'shift-tab',
  backspace: 'backspace',
  backspace2: 'backspace',
  space: 'space',
  up: 'up',
  down: 'down',
  left: 'left',
  right: 'right',
  pgup: 'pgup',
  pageup: 'pgup',
  pgdn: 'pgdn',
  pagedown: 'pgdn',
  home: 'home',
  end: 'end',
};

/** k9s's Shift-<digit> keys are the US layout's shifted digits. */
const SHIFTED_DIGITS = ')!@#$%^&*(';

/** The keymap's name for a user's key spec, or an error message. */
export function normalizeKey(spec: string): { key: string } | { error: string } {
  const s = spec.trim();
  if (s.length === 1) {
    if (s === ' ') return { key: 'space' };
    return s.charCodeAt(0) < 0x20 ? { error: `"${spec}" is not a key name` } : { key: s };
  }
  const lower = s.toLowerCase();
  if (NAMED[lower]) return { key: NAMED[lower] };
  const m = /^(ctrl|shift|alt)[-+](.+)$/.exec(lower);
  if (!m)
    return {
      error: `unknown key "${spec}" (use a character, ctrl-x, shift-x, enter, esc, tab, up, down, pgup, pgdn, home, end, space)`,
    };
  const [, mod, rest] = m;
  if (mod === 'alt') return { error: `"${spec}": Alt keys are not supported (terminals send Alt as esc + key)` };
  if (mod === 'ctrl') {
    if (/^[a-z]$/.test(rest)) return { key: `ctrl-${rest}` };
    return { error: `"${spec}": only ctrl-a … ctrl-z can be bound` };
  }
  if (/^[a-z]$/.test(rest)) return { key: rest.toUpperCase() };
  if (/^[0-9]$/.test(rest)) return { key: SHIFTED_DIGITS[Number(rest)] };
  if (rest === 'tab') return { key: 'shift-tab' };
  return { error: `"${spec}": shift works with letters, digits and tab` };
}
