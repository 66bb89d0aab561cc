import type { Controller } from '../controller.ts';
import { BUILTIN_COMMANDS, completeText } from '../commands.ts';
import { editLine } from '../line-edit.ts';
import type { PromptState } from '../state/types.ts';
import { runCommand } from './command-line.ts';
import { applyFilter, setSearch } from './navigation.ts';

/** The one-line prompt: `:` commands (with Tab completion and history), `/` filters and searches. */

export function openPrompt(c: Controller, kind: PromptState['kind'], text: string): void {
  c.store.update((s) => ({ ...s, prompt: { kind, text } }));
}

function closePrompt(c: Controller): void {
  c.store.update((s) => ({ ...s, prompt: null }));
}

export function promptKey(c: Controller, name: string): void {
  const p = c.state.prompt!;
  if (name === 'ctrl-c') return c.quit();
  if (name === 'esc') {
    if (p.kind === 'filter') applyFilter(c, '');
    if (p.kind === 'search') setSearch(c, '');
    return closePrompt(c);
  }
  if (name === 'enter') {
    closePrompt(c);
    if (p.kind === 'search') return setSearch(c, p.text);
    if (p.kind === 'filter') return applyFilter(c, p.text, true);
    const line = p.text.trim();
    if (line) c.store.update((s) => ({ ...s, commandHistory: [line, ...s.commandHistory.filter((h) => h !== line)].slice(0, 50) }));
    runCommand(c, p.text);
    return;
  }
  if (name === 'tab') {
    if (p.suggestion) setPromptText(c, p.suggestion);
    return;
  }
  if ((name === 'up' || name === 'down') && p.kind === 'command') {
    const hist = c.state.commandHistory;
    const next = Math.max(-1, Math.min(hist.length - 1, (p.historyIndex ?? -1) + (name === 'up' ? 1 : -1)));
    const text = next < 0 ? '' : hist[next];
    c.store.update((s) => ({ ...s, prompt: { ...p, text, historyIndex: next, suggestion: undefined } }));
    return;
  }
  if (name === 'backspace' && !p.text) return closePrompt(c);
  const text = editLine(p.text, name);
  if (text !== undefined) setPromptText(c, text);
}

function setPromptText(c: Controller, text: string): void {
  const p = c.state.prompt!;
  const suggestion = p.kind === 'command' ? completeText(text, (i, w) => candidates(c, i, w)) : undefined;
  c.store.update((s) => ({ ...s, prompt: { ...p, text, suggestion, historyIndex: undefined } }));
  if (p.kind === 'filter') applyFilter(c, text);
}

function candidates(c: Controller, index: number, words: string[]): string[] {
  const session = c.session;
  if (index === 0) return [...BUILTIN_COMMANDS, ...(session?.registry.completions() ?? [])];
  const head = words[0]?.toLowerCase();
  if (head === 'ctx' || head === 'context' || head === 'contexts') return session?.contexts().map((x) => x.name) ?? [];
  return knownNamespaces(c);
}

/** Namespace names from an open namespaces cache, plus the recent ones. */
function knownNamespaces(c: Controller): string[] {
  const names = new Set(c.state.recentNamespaces);
  const info = c.session?.registry.get('namespaces');
  const cache = info && c.session?.pool.peek({ resource: info });
  for (const r of cache?.getSnapshot().rows ?? []) names.add(r.name);
  return [...names];
}
