import { bindingsFor, KEYMAP, type Binding, type ViewKind } from './keys/keymap.ts';
import { keyLabel } from './keys/parse.ts';

export interface HelpSection {
  title: string;
  entries: Array<[keys: string, label: string]>;
}

const PROMPT_KEYS: Array<[string, string]> = [
  ['<enter>', 'Run / apply'],
  ['<esc>', 'Cancel / clear'],
  ['<tab>', 'Complete'],
  ['<up>,<down>', 'Command history (or step a number)'],
  ['<left>,<right>', 'Move the cursor'],
  ['<ctrl-a>,<ctrl-e>', 'Start / end of line'],
  ['<ctrl-u>,<ctrl-k>', 'Erase to start / to end'],
  ['<ctrl-w>', 'Erase the word before'],
];

const FILTER_SYNTAX: Array<[string, string]> = [
  ['/text', 'Regex over cells'],
  ['/!text', 'Rows not matching'],
  ['/-l k=v', 'Label selector'],
  [':po ns', 'Pods in namespace ns'],
  [':deploy -A', 'All namespaces'],
];

function entries(bs: Binding[]): Array<[string, string]> {
  return bs.map((b) => {
    const keys = b.command === 'ns.recent' ? '<1>..<9>' : b.keys.map(keyLabel).join(',');
    return [keys, b.label + (b.dangerous ? ' (!)' : '')];
  });
}

/** Every key that works in the view the help was opened from, grouped. */
export function helpSections(
  about: { kind: ViewKind; resource?: string },
  readonly: boolean,
  denied: ReadonlySet<string> = new Set(),
  /** The view's bindings after the user's rebinding (hotkeys.yaml); the built-in ones otherwise. */
  bindings?: Binding[],
): HelpSection[] {
  const all = bindings ?? bindingsFor(about.kind, about.resource, readonly, KEYMAP, denied);
  const general = all.filter((b) => b.command.startsWith('app.'));
  const nav = all.filter((b) => b.command.startsWith('nav.'));
  const view = all.filter((b) => !b.command.startsWith('app.') && !b.command.startsWith('nav.') && !b.resources);
  const resource = all.filter((b) => b.resources);
  const out: HelpSection[] = [];
  if (resource.length)
    out.push({ title: (about.resource ?? 'resource').split('.')[0].toUpperCase(), entries: entries(resource) });
  if (view.length) out.push({ title: about.kind === 'table' ? 'TABLE' : 'VIEW', entries: entries(view) });
  out.push({ title: 'GENERAL', entries: entries(general) });
  out.push({ title: 'NAVIGATION', entries: entries(nav) });
  out.push({ title: 'PROMPT', entries: PROMPT_KEYS });
  if (about.kind === 'table') out.push({ title: 'FILTERS & COMMANDS', entries: FILTER_SYNTAX });
  return out;
}

/** Sections laid out in as many columns as fit `width`, as plain lines. */
export function helpLines(sections: HelpSection[], width: number): string[] {
  const keyWidth = (s: HelpSection) => Math.max(0, ...s.entries.map(([k]) => k.length));
  const colWidth = (s: HelpSection) =>
    Math.max(s.title.length, keyWidth(s) + 1 + Math.max(0, ...s.entries.map(([, l]) => l.length))) + 3;
  const lines: string[] = [];
  let i = 0;
  while (i < sections.length) {
    const group: HelpSection[] = [];
    let used = 0;
    while (i < sections.length && (group.length === 0 || used + colWidth(sections[i]) <= width)) {
      used += colWidth(sections[i]);
      group.push(sections[i++]);
    }
    const height = Math.max(...group.map((s) => s.entries.length)) + 1;
    for (let row = 0; row < height; row++) {
      let line = '';
      for (const s of group) {
        const keyW = keyWidth(s);
        const cell =
          row === 0
            ? s.title
            : s.entries[row - 1]
              ? `${s.entries[row - 1][0].padEnd(keyW)} ${s.entries[row - 1][1]}`
              : '';
        line += cell.padEnd(colWidth(s));
      }
      lines.push(line.trimEnd());
    }
    lines.push('');
  }
  return lines;
}
