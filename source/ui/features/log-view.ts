import type { Controller } from '../controller.ts';
import type { CommandHandlers } from '../keys/keymap.ts';
import { parseLogFilter } from '../logs/filter.ts';
import { topView } from '../state/types.ts';
import { openPrompt } from './open-prompt.ts';
import { LogDoc } from './log-doc.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'docFor' | 'state' | 'store' | 'toast'>;

function currentLogDoc(c: Host): LogDoc | undefined {
  const view = topView(c.state);
  if (view?.kind !== 'text' || view.mode !== 'logs') return undefined;
  const doc = c.docFor(view);
  return doc instanceof LogDoc ? doc : undefined;
}

/**
 * The logs filter: `-C N` lines of context, `-L level` (structured lines at or above it), and a
 * regex. Applied as typed; a line that does not parse yet keeps the last filter until enter.
 */
export function applyLogFilter(c: Host, text: string, commit = false): void {
  const doc = currentLogDoc(c);
  if (!doc) return;
  if (!text.trim()) return doc.setDisplay({ filter: undefined });
  const spec = parseLogFilter(text);
  if (typeof spec === 'string') {
    if (commit) c.toast(spec, 'error');
    return;
  }
  if (spec.text === doc.display.filter?.text) return;
  doc.setDisplay({ filter: spec });
}

/** esc in a filtered logs view drops the filter first; false when there was none. */
export function clearLogFilter(c: Host): boolean {
  const doc = currentLogDoc(c);
  if (!doc?.display.filter) return false;
  doc.setDisplay({ filter: undefined });
  return true;
}

/** `J` structured rendering and `/` filter of the logs view. */
export function logViewCommands(c: Host) {
  return {
    'logs.structured': () => {
      const doc = currentLogDoc(c);
      if (!doc) return;
      doc.setDisplay({ structured: !doc.display.structured });
      c.toast(doc.display.structured ? 'Structured logs: JSON and logfmt lines aligned (J: raw)' : 'Raw log lines');
    },
    'logs.filter': () => {
      const doc = currentLogDoc(c);
      if (doc) openPrompt(c, 'logfilter', doc.display.filter?.text ?? '');
    },
  } satisfies CommandHandlers;
}
