import type { HelpSection } from '../help.ts';
import type { ViewKind } from '../keys/keymap.ts';
import { keyLabel } from '../keys/parse.ts';
import { pluginApplies, type KeyLayer } from './key-layer.ts';

/** The user's plugins and hotkeys that work in a view, as help sections. */
export function userHelpSections(
  layer: KeyLayer,
  view: ViewKind,
  resource: string | undefined,
  readonly: boolean,
): HelpSection[] {
  const out: HelpSection[] = [];
  const plugins = layer.plugins.filter((p) => pluginApplies(p, view, resource, readonly));
  if (plugins.length) {
    out.push({
      title: 'PLUGINS',
      entries: plugins.map((p) => [keyLabel(p.key), p.description + (p.dangerous ? ' (!)' : '')]),
    });
  }
  if (layer.hotkeys.length)
    out.push({ title: 'HOTKEYS', entries: layer.hotkeys.map((h) => [keyLabel(h.key), h.description]) });
  return out;
}
