import { stringify } from 'yaml';

/** kubectl-like YAML: no line folding, so every line of the view is one line of the object. */
export function toYaml(obj: unknown): string {
  return stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false }).replace(/\n$/, '');
}
