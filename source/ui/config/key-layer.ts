import { bindingsFor, KEYMAP, lookup, type Binding, type Denied, type ViewKind } from '../keys/keymap.ts';
import { scopeMatches, type HotKey, type KeyOverride } from './hotkeys.ts';
import type { Plugin } from './plugins.ts';
import type { Issue } from './yaml-file.ts';

/** The user's keys on top of the built-in keymap. */
export interface KeyLayer {
  overrides: KeyOverride[];
  hotkeys: HotKey[];
  plugins: Plugin[];
}

export const EMPTY_LAYER: KeyLayer = { overrides: [], hotkeys: [], plugins: [] };

export type KeyAction =
  { kind: 'builtin'; binding: Binding } | { kind: 'plugin'; plugin: Plugin } | { kind: 'hotkey'; hotkey: HotKey };

const SPECIFICITY = { all: 0, view: 1, resource: 2 };

/**
 * The bindings of a view after the user's rebinding: an override gives its command the keys it
 * lists (a narrower scope applies after a wider one), and those keys leave any other command of
 * the view, so the user's choice always wins over a built-in one.
 */
export function effectiveBindings(
  overrides: KeyOverride[],
  view: ViewKind,
  resource: string | undefined,
  readonly: boolean,
  denied?: Denied,
  base: Binding[] = KEYMAP,
): Binding[] {
  const bs = bindingsFor(view, resource, readonly, base, denied).map((b) => ({ ...b }));
  const applicable = overrides
    .filter((o) => scopeMatches(o.scope, view, resource))
    .sort((a, b) => SPECIFICITY[a.scope.kind] - SPECIFICITY[b.scope.kind]);
  for (const o of applicable) {
    if (!bs.some((b) => b.command === o.command)) continue;
    for (const b of bs) b.keys = b.command === o.command ? [...o.keys] : b.keys.filter((k) => !o.keys.includes(k));
  }
  return bs.filter((b) => b.keys.length);
}

export function pluginApplies(p: Plugin, view: ViewKind, resource: string | undefined, readonly: boolean): boolean {
  if (view !== 'table' || (readonly && p.dangerous)) return false;
  return p.scopes.some(
    (s) => s.kind === 'all' || (s.kind === 'view' && s.view === 'table') || scopeMatches(s, view, resource),
  );
}

/**
 * What a key does in a view. A plugin or hotkey marked `override` comes first; then the (rebound)
 * built-in keys; then plugins (they are per resource) and hotkeys.
 */
export function resolveKey(
  layer: KeyLayer,
  key: string,
  view: ViewKind,
  resource: string | undefined,
  readonly: boolean,
  denied?: Denied,
): KeyAction | undefined {
  const plugin = layer.plugins.find((p) => p.key === key && pluginApplies(p, view, resource, readonly));
  const hotkey = layer.hotkeys.find((h) => h.key === key);
  if (plugin?.override) return { kind: 'plugin', plugin };
  if (hotkey?.override) return { kind: 'hotkey', hotkey };
  const binding = lookup(
    key,
    view,
    resource,
    readonly,
    effectiveBindings(layer.overrides, view, resource, readonly, denied),
  );
  if (binding) return { kind: 'builtin', binding };
  if (plugin) return { kind: 'plugin', plugin };
  if (hotkey) return { kind: 'hotkey', hotkey };
  return undefined;
}

const VIEWS: ViewKind[] = ['table', 'text', 'logs'];

/** Every resource some binding or plugin is specific to, plus "no particular resource". */
function resourcesOfInterest(layer: KeyLayer): Array<string | undefined> {
  const ids = new Set<string>();
  for (const b of KEYMAP) for (const r of b.resources ?? []) ids.add(r);
  for (const p of layer.plugins) for (const s of p.scopes) if (s.kind === 'resource') ids.add(s.resource);
  for (const o of layer.overrides) if (o.scope.kind === 'resource') ids.add(o.scope.resource);
  return [undefined, ...ids];
}

const where = (view: ViewKind, resource: string | undefined) =>
  resource ? `${resource.split('.')[0]} ${view} views` : `${view} views`;

/**
 * What the user's keys take from each other and from the built-in ones, as warnings naming the
 * file and line of the user's entry. Nothing here stops skiff: the rules above decide who wins.
 */
export function keyConflicts(layer: KeyLayer): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const warn = (o: { file: string; line?: number }, message: string) => {
    const k = `${o.file}:${o.line}:${message}`;
    if (!seen.has(k)) issues.push({ file: o.file, line: o.line, message, warning: true });
    seen.add(k);
  };
  const resources = resourcesOfInterest(layer);

  // Rebindings: a key moved onto a command takes it from the command that had it.
  for (const o of layer.overrides) {
    for (const view of VIEWS) {
      for (const resource of resources) {
        if (!scopeMatches(o.scope, view, resource)) continue;
        const before = bindingsFor(view, resource, false);
        if (!before.some((b) => b.command === o.command)) continue;
        for (const key of o.keys) {
          const loser = lookup(key, view, resource, false, before);
          // A generic binding is reported once, not once per resource.
          if (resource && loser && !loser.resources && o.scope.kind !== 'resource') continue;
          if (loser && loser.command !== o.command)
            warn(
              o,
              `key ${key} now runs ${o.command} in ${where(view, resource)}, no longer ${loser.command} (${loser.label})`,
            );
        }
      }
    }
    const twice = layer.overrides.find(
      (p) =>
        p !== o &&
        p.scopeName === o.scopeName &&
        p.keys.some((k) => o.keys.includes(k)) &&
        layer.overrides.indexOf(p) > layer.overrides.indexOf(o),
    );
    if (twice)
      warn(
        o,
        `key ${o.keys.find((k) => twice.keys.includes(k))} is also given to ${twice.command} (line ${twice.line}), which wins`,
      );
  }

  // Plugins and hotkeys yield to the keys of the view unless they say `override: true`.
  for (const p of layer.plugins) {
    for (const resource of resources) {
      if (!pluginApplies(p, 'table', resource, false)) continue;
      const taken = lookup(
        p.key,
        'table',
        resource,
        false,
        effectiveBindings(layer.overrides, 'table', resource, false),
      );
      if (!taken || (resource && !taken.resources && p.scopes.some((s) => s.kind !== 'resource'))) continue;
      if (p.override)
        warn(
          p,
          `plugin ${p.name} takes key ${p.key} from ${taken.command} (${taken.label}) in ${where('table', resource)}`,
        );
      else
        warn(
          p,
          `plugin ${p.name}: key ${p.key} is ${taken.command} (${taken.label}) in ${where('table', resource)}, which wins there (override: true takes it)`,
        );
    }
    const other = layer.plugins.find(
      (q) =>
        q !== p &&
        q.key === p.key &&
        layer.plugins.indexOf(q) < layer.plugins.indexOf(p) &&
        q.scopes.some((s) =>
          p.scopes.some((t) => JSON.stringify(s) === JSON.stringify(t) || s.kind === 'all' || t.kind === 'all'),
        ),
    );
    if (other)
      warn(
        p,
        `plugin ${p.name}: key ${p.key} is also plugin ${other.name}'s (${other.file}:${other.line}), which comes first`,
      );
  }
  for (const h of layer.hotkeys) {
    for (const view of VIEWS) {
      for (const resource of resources) {
        const taken = lookup(h.key, view, resource, false, effectiveBindings(layer.overrides, view, resource, false));
        if (!taken || (resource && !taken.resources)) continue;
        if (h.override)
          warn(
            h,
            `hotkey ${h.name} takes key ${h.key} from ${taken.command} (${taken.label}) in ${where(view, resource)}`,
          );
        else
          warn(
            h,
            `hotkey ${h.name}: key ${h.key} is ${taken.command} (${taken.label}) in ${where(view, resource)}, which wins there (override: true takes it)`,
          );
      }
    }
  }
  return issues;
}
