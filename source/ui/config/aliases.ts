import type { YamlFile } from './yaml-file.ts';

/**
 * aliases.yaml, k9s's format: `aliases: {dp: deployments, pp: v1/pods, crb:
 * rbac.authorization.k8s.io/v1/clusterrolebindings}`. A value may carry arguments too
 * (`kp: pods kube-system`). The result maps an alias to the command line it stands for.
 */
export function readAliases(f: YamlFile): Record<string, string> {
  const out: Record<string, string> = {};
  if (!f.root) return out;
  f.onlyKeys(f.root, ['aliases'], 'top level');
  for (const { key, keyNode, value } of f.entries(f.get(f.root, 'aliases'), 'aliases')) {
    const target = f.string(value, `aliases.${key}`);
    if (target === undefined) continue;
    if (!/^\S+$/.test(key)) {
      f.issue(keyNode, `alias "${key}" must be one word`);
      continue;
    }
    if (!target.trim()) {
      f.issue(value, `alias "${key}" is empty`);
      continue;
    }
    out[key] = target.trim();
  }
  return out;
}

/** `apps/v1/deployments` -> `deployments.apps`, `v1/pods` -> `pods`: the names the registry resolves. */
export function resourceWord(word: string): string {
  const parts = word.split('/');
  if (parts.length === 2) return parts[1];
  if (parts.length === 3) return `${parts[2]}.${parts[0]}`;
  return word;
}

/** The command line with its first word replaced by the alias's target (one expansion, no loops). */
export function expandAlias(text: string, aliases: Record<string, string>): string {
  const m = /^(\s*)(\S+)(.*)$/s.exec(text);
  if (!m) return text;
  const target = aliases[m[2]] ?? aliases[m[2].toLowerCase()];
  if (target === undefined) return text;
  const [head, ...rest] = target.split(/\s+/);
  return `${m[1]}${[resourceWord(head), ...rest].join(' ')}${m[3]}`;
}
