import type { Controller } from '../controller.ts';
import type { CommandHandlers } from '../keys/keymap.ts';
import { topView } from '../state/types.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'selectedRow' | 'state' | 'textLines' | 'toast' | 'writeTerminal'>;

/**
 * OSC 52: the terminal puts the text on the system clipboard. It travels with the output, so it
 * works over SSH, and tmux passes it on with `set -g set-clipboard on`.
 */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

/** `c`: the selected row's name in a table, the whole text (YAML, describe) in a text view. */
export function clipboardCommands(c: Host) {
  return {
    'clip.copy': () => {
      const view = topView(c.state);
      let text: string | undefined;
      let what = '';
      if (view?.kind === 'table') {
        const row = c.selectedRow(view);
        if (!row) return;
        text = row.name;
        what = `"${row.name}"`;
      } else if (view?.kind === 'text') {
        const lines = c.textLines(view);
        const all = lines.slice(0, lines.length);
        if (!all.some((l) => l.trim())) return c.toast('Nothing to copy yet: the view is still loading', 'error');
        text = all.join('\n') + '\n';
        what = `${all.length} lines of ${view.mode === 'yaml' ? 'YAML' : view.mode}`;
      }
      if (text === undefined) return;
      if (!c.writeTerminal(osc52(text))) return c.toast('Copying needs a terminal', 'error');
      c.toast(`Copied ${what} to the clipboard`, 'success');
    },
  } satisfies CommandHandlers;
}
