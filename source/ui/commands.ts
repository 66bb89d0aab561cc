/** Parsing and completion for the `:` command line (pure). */

export type ParsedCommand =
  | { type: 'quit' }
  | { type: 'help' }
  | { type: 'contexts' }
  | { type: 'pulses' }
  | { type: 'context'; name: string }
  | { type: 'namespace'; name: string }
  | {
      type: 'resource';
      name: string;
      /** undefined: keep the current scope; null: all namespaces. */
      namespace?: string | null;
      labelSelector?: string;
    }
  | { type: 'apply' | 'deleteFile'; file: string }
  | { type: 'createDeployment'; name: string; image: string; replicas?: number; port?: number }
  | { type: 'run'; name: string; image: string; port?: number }
  | {
      type: 'expose';
      kind: string;
      name: string;
      port: number;
      targetPort?: number | string;
      serviceType?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
      serviceName?: string;
    }
  | { type: 'error'; message: string }
  | { type: 'empty' };

export const BUILTIN_COMMANDS = [
  'q',
  'quit',
  'q!',
  'help',
  'config',
  'ctx',
  'context',
  'contexts',
  'pulses',
  'apply',
  'delete',
  'create',
  'expose',
  'run',
  'xray',
  'problems',
  'pop',
  'explain',
];

/** `--image=x`, `--image x`, `-f x`: flags and positional words of a command line. */
export function parseFlags(args: string[]): { flags: Record<string, string>; positional: string[] } {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^--?([\w-]+)(?:=(.*))?$/.exec(a);
    if (!m) positional.push(a);
    else if (m[2] !== undefined) flags[m[1]] = m[2];
    else if (args[i + 1] !== undefined && !args[i + 1].startsWith('-')) flags[m[1]] = args[++i];
    else flags[m[1]] = 'true';
  }
  return { flags, positional };
}

function intFlag(v: string | undefined, name: string): number | undefined | string {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) return `--${name} must be a number`;
  return Number(v);
}

function parseAction(cmd: string, args: string[]): ParsedCommand | undefined {
  const { flags, positional } = parseFlags(args);
  const err = (message: string): ParsedCommand => ({ type: 'error', message });
  if (cmd === 'apply' || (cmd === 'delete' && (flags.f || flags.filename))) {
    const file = flags.f ?? flags.filename;
    if (!file || file === 'true') return err(`usage: ${cmd} -f FILE|DIR`);
    return { type: cmd === 'apply' ? 'apply' : 'deleteFile', file };
  }
  if (cmd === 'create') {
    if (positional[0] !== 'deployment' && positional[0] !== 'deploy')
      return err('usage: create deployment NAME --image=IMAGE [--replicas=N] [--port=P]');
    const name = positional[1];
    if (!name || !flags.image || flags.image === 'true')
      return err('usage: create deployment NAME --image=IMAGE [--replicas=N] [--port=P]');
    const replicas = intFlag(flags.replicas, 'replicas');
    const port = intFlag(flags.port, 'port');
    if (typeof replicas === 'string') return err(replicas);
    if (typeof port === 'string') return err(port);
    return { type: 'createDeployment', name, image: flags.image, replicas, port };
  }
  if (cmd === 'run') {
    const name = positional[0];
    if (!name || !flags.image || flags.image === 'true') return err('usage: run NAME --image=IMAGE [--port=P]');
    const port = intFlag(flags.port, 'port');
    if (typeof port === 'string') return err(port);
    return { type: 'run', name, image: flags.image, port };
  }
  if (cmd === 'expose') {
    let [kind, name] = positional;
    if (kind?.includes('/')) [kind, name] = kind.split('/');
    const usage = 'usage: expose deployment NAME --port=P [--target-port=T] [--type=ClusterIP|NodePort] [--name=N]';
    if (!kind || !name) return err(usage);
    const port = intFlag(flags.port, 'port');
    if (port === undefined) return err(usage);
    if (typeof port === 'string') return err(port);
    const type = flags.type;
    if (type && !['ClusterIP', 'NodePort', 'LoadBalancer'].includes(type))
      return err(`--type must be ClusterIP, NodePort or LoadBalancer`);
    const tp = flags['target-port'];
    return {
      type: 'expose',
      kind,
      name,
      port,
      targetPort: tp === undefined ? undefined : /^\d+$/.test(tp) ? Number(tp) : tp,
      serviceType: type as 'ClusterIP' | 'NodePort' | 'LoadBalancer' | undefined,
      serviceName: flags.name,
    };
  }
  return undefined;
}

export function tokenize(text: string): string[] {
  return text.trim().split(/\s+/).filter(Boolean);
}

export function parseCommand(text: string): ParsedCommand {
  const [head, ...args] = tokenize(text);
  if (!head) return { type: 'empty' };
  const cmd = head.toLowerCase();
  if (cmd === 'q' || cmd === 'quit' || cmd === 'q!' || cmd === 'exit') return { type: 'quit' };
  if (cmd === 'help' || cmd === '?') return { type: 'help' };
  if (cmd === 'pulses' || cmd === 'pulse' || cmd === 'pu') return { type: 'pulses' };
  if (cmd === 'ctx' || cmd === 'context' || cmd === 'contexts') {
    return args[0] ? { type: 'context', name: args[0] } : { type: 'contexts' };
  }
  const action = parseAction(cmd, args);
  if (action) return action;
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
    // k9s: `pod fred app=blee` (a namespace name never holds `=`).
    else if (/^[^=\s]+!?=/.test(a)) out.labelSelector = out.labelSelector ? `${out.labelSelector},${a}` : a;
    else if (!a.startsWith('-')) out.namespace = a;
  }
  return out;
}

/**
 * The completion for the word being typed: the shortest candidate that extends it
 * (`de` -> `deploy`), or undefined. Returns the whole new text.
 */
export function completeText(
  text: string,
  candidatesFor: (wordIndex: number, words: string[]) => string[],
): string | undefined {
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
