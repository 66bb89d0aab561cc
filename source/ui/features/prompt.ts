import type { Controller } from '../controller.ts';
import type { PromptState } from '../state/types.ts';
import { BUILTIN_COMMANDS, completeText } from '../commands.ts';
import { editField, field, insertText, type LineField } from '../line-edit.ts';
import { runCommand } from './command-line.ts';
import { applyFilter, setSearch } from './navigation.ts';
import { applyLogFilter } from './log-view.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<
  Controller,
  | 'config'
  | 'docFor'
  | 'fullObject'
  | 'newId'
  | 'newTable'
  | 'push'
  | 'pushText'
  | 'quit'
  | 'replaceTop'
  | 'resetTo'
  | 'selectedRow'
  | 'selection'
  | 'session'
  | 'sourceFor'
  | 'state'
  | 'store'
  | 'switchContext'
  | 'tableModel'
  | 'textLines'
  | 'toast'
>;

/** The one-line prompt: `:` commands (with Tab completion and history), `/` filters and searches. */

function closePrompt(c: Host): void {
  c.store.update((s) => ({ ...s, prompt: null }));
}

export function promptKey(c: Controller, name: string): void {
  const p = c.state.prompt!;
  if (name === 'ctrl-c') return c.quit();
  if (name === 'esc') {
    if (p.kind === 'filter') applyFilter(c, '');
    if (p.kind === 'search') setSearch(c, '');
    if (p.kind === 'logfilter') applyLogFilter(c, '', true);
    return closePrompt(c);
  }
  if (name === 'enter') {
    closePrompt(c);
    if (p.kind === 'search') return setSearch(c, p.text);
    if (p.kind === 'filter') return applyFilter(c, p.text, true);
    if (p.kind === 'logfilter') return applyLogFilter(c, p.text, true);
    const line = p.text.trim();
    if (line)
      c.store.update((s) => ({
        ...s,
        commandHistory: [line, ...s.commandHistory.filter((h) => h !== line)].slice(0, 50),
      }));
    runCommand(c, p.text);
    return;
  }
  if (name === 'tab') {
    if (p.suggestion) setPromptText(c, p.suggestion);
    return;
  }
  if (['up', 'down', 'ctrl-p', 'ctrl-n'].includes(name) && p.kind === 'command') {
    const hist = c.state.commandHistory;
    const older = name === 'up' || name === 'ctrl-p';
    const next = Math.max(-1, Math.min(hist.length - 1, (p.historyIndex ?? -1) + (older ? 1 : -1)));
    const text = next < 0 ? '' : hist[next];
    c.store.update((s) => ({
      ...s,
      prompt: { ...p, text, cursor: undefined, historyIndex: next, suggestion: undefined },
    }));
    return;
  }
  if (name === 'backspace' && !p.text) return closePrompt(c);
  const f = editField(promptField(p), name);
  if (f) setPromptField(c, f);
}

function promptField(p: PromptState): LineField {
  return field(p.text, p.cursor);
}

/** Pasted text goes in at the cursor in one step (one filter pass, one completion lookup). */
export function promptPaste(c: Host, text: string): void {
  const p = c.state.prompt;
  if (p) setPromptField(c, insertText(promptField(p), text));
}

function setPromptText(c: Host, text: string): void {
  setPromptField(c, field(text));
}

function setPromptField(c: Host, f: LineField): void {
  const p = c.state.prompt!;
  const text = f.text;
  const atEnd = f.cursor >= [...text].length;
  const suggestion = p.kind === 'command' && atEnd ? completeText(text, (i, w) => candidates(c, i, w)) : undefined;
  c.store.update((s) => ({
    ...s,
    prompt: { ...p, text, cursor: atEnd ? undefined : f.cursor, suggestion, historyIndex: undefined },
  }));
  if (p.kind === 'filter' && text !== p.text) applyFilter(c, text);
  if (p.kind === 'logfilter' && text !== p.text) applyLogFilter(c, text);
}

function candidates(c: Host, index: number, words: string[]): string[] {
  const session = c.session;
  if (index === 0) return [...BUILTIN_COMMANDS, ...(session?.registry.completions() ?? [])];
  const head = words[0]?.toLowerCase();
  if (head === 'ctx' || head === 'context' || head === 'contexts') return session?.contexts().map((x) => x.name) ?? [];
  return knownNamespaces(c);
}

/** Namespace names from an open namespaces cache, plus the recent ones. */
function knownNamespaces(c: Host): string[] {
  const names = new Set(c.state.recentNamespaces);
  const info = c.session?.registry.get('namespaces');
  const cache = info && c.session?.pool.peek({ resource: info });
  for (const r of cache?.getSnapshot().rows ?? []) names.add(r.name);
  return [...names];
}
