import { StaticDoc } from '../docs.ts';
import type { Controller } from '../controller.ts';
import { formatIssue } from '../config/yaml-file.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'config' | 'pushText' | 'state'>;

/** `:config`: where the configuration is read from, what is wrong with it, and what is in force. */
export function showConfig(c: Host): void {
  const { dir } = c.config;
  const active = c.config.active;
  const { settings, keys, aliases } = active;
  const lines: string[] = [`Directory: ${dir}`, ''];
  lines.push(active.issues.length ? `Problems (${active.issues.length}):` : 'Problems: none');
  for (const i of active.issues) lines.push(`  ${formatIssue(i)}`);
  lines.push('', `Settings${c.state.header.context ? ` for context ${c.state.header.context}` : ''}:`);
  for (const [k, v] of Object.entries(settings)) if (v !== undefined) lines.push(`  ${k}: ${String(v)}`);
  const aliasNames = Object.keys(aliases);
  if (aliasNames.length) {
    lines.push('', 'Aliases:');
    for (const a of aliasNames) lines.push(`  ${a} -> ${aliases[a]}`);
  }
  if (keys.overrides.length) {
    lines.push('', 'Rebound keys:');
    for (const o of keys.overrides) lines.push(`  ${o.scopeName}: ${o.command} = ${o.keys.join(', ') || '(unbound)'}`);
  }
  if (keys.hotkeys.length) {
    lines.push('', 'Hotkeys:');
    for (const h of keys.hotkeys) lines.push(`  ${h.key}: :${h.command}  (${h.description})`);
  }
  if (keys.plugins.length) {
    lines.push('', 'Plugins:');
    for (const p of keys.plugins) {
      lines.push(
        `  ${p.key}: ${p.name} [${p.scopeNames.join(', ')}]${p.background ? ' background' : ''}${p.confirm ? ' confirm' : ''}`,
      );
    }
  }
  c.pushText({ mode: 'describe', title: 'skiff configuration' }, new StaticDoc(lines));
}
