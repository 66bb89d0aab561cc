/** Parsing and completion for the `:` command line (pure). */

export type ParsedCommand =
  | { type: 'quit' }
  | { type: 'help' }
  | { type: 'contexts' }
  | { type: 'context'; name: string }
  | { type: 'namespace'; name: string }
  | {
      type: 'resource';
      name: string;
      /** undefined: keep the current scope; null: all namespaces. */
      namespace?: string | null;
      labelSelector?: string;
    }
  | { type: 'empty' };

export const BUILTIN_COMMANDS = ['q', 'quit', 'q!', 'help', 'ctx', 'context', 'contexts'];

export function tokenize(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}

export function parseCommand(text: string): ParsedCommand {
  const [head, ...args] = tokenize(text);
  if (!head) return { type: 'empty' };
  const cmd = head.toLowerCase();
  if (cmd === 'q' || cmd === 'quit' || cmd === 'q!' || cmd === 'exit') return { type: 'quit' };
  if (cmd === 'help' || cmd === '?') return { type: 'help' };
  if (cmd === 'ctx' || cmd === 'context' || cmd === 'contexts') {
    return args[0] ? { type: 'context', name: args[0] } : { type: 'contexts' };
  }
  if ((cmd === 'ns' || cmd === 'namespace' || cmd === 'namespaces') && args.length === 1 && !args[0].startsWith('-')) {
    return { type: 'namespace', name: args[0] };
  }
  const out: Extract<ParsedCommand, { type: 'resource' }> = { type: 'resource', name: cmd };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-A' || a === '--all-namespaces' || a === 'all' || a === '*') out.namespace = null;
    else if ((a === '-n' || a === '--namespace') && args[i + 1]) out.namespace = args[++i];
    else if (a.startsWith('--namespace=')) out.namespace = a.slice('--namespace='.length);
    else if ((a === '-l' || a === '--selector') && args[i + 1]) out.labelSelector = args[++i];
    else if (a.startsWith('-l=')) out.labelSelector = a.slice(3);
    else if (!a.startsWith('-')) out.namespace = a;
  }
  return out;
}

/**
 * The completion for the word being typed: the shortest candidate that extends it
 * (`de` -> `deploy`), or undefined. Returns the whole new text.
 */
export function completeText(text: string, candidatesFor: (wordIndex: number, words: string[]) => string[]): string | undefined {
  const endsWithSpace = /\s$/.test(text);
  const words = tokenize(text);
  const index = endsWithSpace ? words.length : Math.max(0, words.length - 1);
  const partial = endsWithSpace ? '' : (words[index] ?? '');
  if (!partial && index === 0) return undefined;
  const matches = candidatesFor(index, words)
    .filter((c) => c.toLowerCase().startsWith(partial.toLowerCase()) && c.length > partial.length)
    .sort((a, b) => a.length - b.length || a.localeCompare(b));
  if (!matches.length) return undefined;
  return text.slice(0, text.length - partial.length) + matches[0];
}
