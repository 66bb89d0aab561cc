import { EXTRA_ALIASES } from '../../client/aliases.ts';
import { KEYMAP, type CommandId, type ViewKind } from '../keys/keymap.ts';
import { normalizeKey } from './key-spec.ts';
import type { YamlFile } from './yaml-file.ts';

/** A k9s hotkey: a key that runs a `:` command line anywhere. */
export interface HotKey {
  name: string;
  key: string;
  description: string;
  command: string;
  /** Takes the key even where a built-in binding uses it. */
  override: boolean;
  file: string;
  line?: number;
}

/** Where a rebinding applies: every view, a kind of view, or the views of one resource. */
export type KeyScope = { kind: 'all' } | { kind: 'view'; view: ViewKind } | { kind: 'resource'; resource: string };

/** skiff's rebinding: in `scope`, `command` runs on `keys` (and no longer on its built-in keys). */
export interface KeyOverride {
  scope: KeyScope;
  scopeName: string;
  command: CommandId;
  keys: string[];
  file: string;
  line?: number;
}

const VIEWS: ViewKind[] = ['table', 'text', 'logs', 'rollout'];
/** Commands whose handler reads the key itself (`3` = the third recent namespace). */
const DIGIT_COMMANDS: string[] = ['ns.recent', 'logs.range'];
const COMMANDS = new Set<string>(KEYMAP.map((b) => b.command));

function isCommand(s: string): s is CommandId {
  return COMMANDS.has(s);
}

/** `dp`, `deploy`, `deployments` all name the deployments views; kept as the user wrote it otherwise. */
export function scopeOf(name: string): KeyScope {
  if (name === 'all' || name === '*') return { kind: 'all' };
  const view = VIEWS.find((v) => v === name);
  if (view) return { kind: 'view', view };
  return { kind: 'resource', resource: EXTRA_ALIASES[name] ?? name };
}

/** Whether a rebinding scope covers the view (`resource` is a resource id like `deployments.apps`). */
export function scopeMatches(scope: KeyScope, view: ViewKind, resource: string | undefined): boolean {
  if (scope.kind === 'all') return true;
  if (scope.kind === 'view') return scope.view === view;
  if (!resource) return false;
  const plural = resource.split('.')[0];
  // k9s users write plurals, singulars and short names alike: `pods`, `pod`, `service`, `ingress`.
  return (
    resource === scope.resource ||
    [plural, `${scope.resource}s`, `${scope.resource}es`].includes(scope.resource) ||
    [`${scope.resource}s`, `${scope.resource}es`].includes(plural)
  );
}

/**
 * hotkeys.yaml. k9s's `hotKeys:` (or `hotKey:`) entries — `{shortCut, description, command,
 * override, keepHistory}` — and skiff's `keys:`, which rebinds built-in commands per scope:
 *
 *     keys:
 *       table: { nav.down: [j, down, ctrl-n] }
 *       pods:  { pod.shell: S }
 *       all:   { app.quit: [] }      # unbound
 */
export function readHotkeys(f: YamlFile): { hotkeys: HotKey[]; overrides: KeyOverride[] } {
  const hotkeys: HotKey[] = [];
  const overrides: KeyOverride[] = [];
  if (!f.root) return { hotkeys, overrides };
  f.onlyKeys(f.root, ['hotKeys', 'hotKey', 'keys'], 'top level');
  for (const root of ['hotKeys', 'hotKey']) {
    for (const { key: name, value } of f.entries(f.get(f.root, root), root)) {
      const what = `${root}.${name}`;
      f.onlyKeys(value, ['shortCut', 'description', 'command', 'keepHistory', 'override'], what);
      const shortCut = f.get(value, 'shortCut');
      const spec = f.string(shortCut, `${what}.shortCut`);
      const command = f.string(f.get(value, 'command'), `${what}.command`);
      if (spec === undefined) f.issue(value, `${what}: shortCut is required`);
      if (command === undefined) f.issue(value, `${what}: command is required`);
      if (spec === undefined || command === undefined) continue;
      const k = normalizeKey(spec);
      if ('error' in k) {
        f.issue(shortCut, `${what}.shortCut: ${k.error}`);
        continue;
      }
      f.bool(f.get(value, 'keepHistory'), `${what}.keepHistory`);
      hotkeys.push({
        name,
        key: k.key,
        description: f.string(f.get(value, 'description'), `${what}.description`) ?? command,
        command,
        override: f.bool(f.get(value, 'override'), `${what}.override`) ?? false,
        file: f.name,
        line: f.lineOf(shortCut),
      });
    }
  }
  for (const { key: scopeName, keyNode, value } of f.entries(f.get(f.root, 'keys'), 'keys')) {
    const scope = scopeOf(scopeName);
    for (const { key: command, keyNode: cmdNode, value: keysNode } of f.entries(value, `keys.${scopeName}`)) {
      if (!isCommand(command)) {
        f.issue(cmdNode, `keys.${scopeName}: unknown command "${command}"${suggest(command)}`);
        continue;
      }
      if (DIGIT_COMMANDS.includes(command)) {
        f.issue(
          cmdNode,
          `keys.${scopeName}: ${command} takes its meaning from the digit pressed and cannot be rebound`,
        );
        continue;
      }
      if (!KEYMAP.some((b) => b.command === command && appliesIn(b.views, scope))) {
        f.issue(
          cmdNode,
          `keys.${scopeName}: ${command} does not work in ${scopeName} views (it works in ${KEYMAP.find((b) => b.command === command)!.views.join(', ')})`,
        );
        continue;
      }
      const specs = f.strings(keysNode, `keys.${scopeName}.${command}`);
      if (!specs) continue;
      const keys: string[] = [];
      for (const spec of specs) {
        if (spec === 'none') continue;
        const k = normalizeKey(spec);
        if ('error' in k) f.issue(keysNode, `keys.${scopeName}.${command}: ${k.error}`);
        else keys.push(k.key);
      }
      overrides.push({ scope, scopeName, command, keys, file: f.name, line: f.lineOf(cmdNode) ?? f.lineOf(keyNode) });
    }
  }
  return { hotkeys, overrides };
}

function appliesIn(views: ViewKind[], scope: KeyScope): boolean {
  return scope.kind === 'view' ? views.includes(scope.view) : true;
}

/** `did you mean nav.down?` for a command within two edits of a real one. */
function suggest(command: string): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of COMMANDS) {
    const d = distance(command.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best ? ` (did you mean ${best}?)` : ' (the command names are in the README, "Keys and commands")';
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
