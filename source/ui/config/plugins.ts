import { normalizeKey } from './key-spec.ts';
import type { YamlFile } from './yaml-file.ts';
import { scopeOf, type KeyScope } from './hotkeys.ts';

/** An external command bound to a key in the tables of some resources (k9s's plugins.yaml). */
export interface Plugin {
  name: string;
  key: string;
  /** As written, for help and messages (`Shift-D`). */
  shortCut: string;
  description: string;
  /** `all`, or resource names (`pods`, `po`, `deployments`). */
  scopes: KeyScope[];
  scopeNames: string[];
  command: string;
  args: string[];
  /** Runs without the terminal; its result is shown as a message. */
  background: boolean;
  confirm: boolean;
  /** Hidden under --readonly, like skiff's own mutating keys. */
  dangerous: boolean;
  /** Takes the key even where a built-in binding uses it. */
  override: boolean;
  file: string;
  line?: number;
}

const FIELDS = [
  'shortCut',
  'description',
  'scopes',
  'command',
  'args',
  'background',
  'confirm',
  'dangerous',
  'override',
  'overwriteOutput',
  'inputs',
  'pipes',
];

/**
 * plugins.yaml in k9s's format: `plugins: {name: {shortCut, description, scopes, command, args,
 * background, confirm, dangerous, override}}` (k9s's older `plugin:` root too). `inputs` and
 * `pipes` are k9s features skiff does not run: such a plugin is reported and skipped.
 */
export function readPlugins(f: YamlFile): Plugin[] {
  const out: Plugin[] = [];
  if (!f.root) return out;
  f.onlyKeys(f.root, ['plugins', 'plugin'], 'top level');
  for (const root of ['plugins', 'plugin']) {
    for (const { key: name, keyNode, value } of f.entries(f.get(f.root, root), root)) {
      const what = `${root}.${name}`;
      f.onlyKeys(value, FIELDS, what);
      for (const unsupported of ['inputs', 'pipes']) {
        if (f.get(value, unsupported))
          f.issue(f.get(value, unsupported), `${what}.${unsupported}: not supported by skiff; plugin skipped`);
      }
      if (f.get(value, 'inputs') || f.get(value, 'pipes')) continue;
      const shortCutNode = f.get(value, 'shortCut');
      const shortCut = f.string(shortCutNode, `${what}.shortCut`);
      const command = f.string(f.get(value, 'command'), `${what}.command`);
      const scopeNames = f.strings(f.get(value, 'scopes'), `${what}.scopes`);
      const missing = [
        shortCut === undefined && 'shortCut',
        command === undefined && 'command',
        !scopeNames && 'scopes',
      ].filter(Boolean);
      if (missing.length) {
        f.issue(value ?? keyNode, `${what}: ${missing.join(', ')} required`);
        continue;
      }
      const k = normalizeKey(shortCut!);
      if ('error' in k) {
        f.issue(shortCutNode, `${what}.shortCut: ${k.error}`);
        continue;
      }
      const argsNode = f.get(value, 'args');
      for (const scope of scopeNames!) {
        if (/^(containers?|co)$/i.test(scope))
          f.issue(
            f.get(value, 'scopes'),
            `${what}.scopes: skiff has no containers view; "${scope}" never applies (pods does)`,
          );
      }
      out.push({
        name,
        key: k.key,
        shortCut: shortCut!,
        description: f.string(f.get(value, 'description'), `${what}.description`) ?? name,
        scopes: scopeNames!.map((s) => scopeOf(s.toLowerCase())),
        scopeNames: scopeNames!,
        command: command!,
        args: f.strings(argsNode, `${what}.args`) ?? [],
        background: f.bool(f.get(value, 'background'), `${what}.background`) ?? false,
        confirm: f.bool(f.get(value, 'confirm'), `${what}.confirm`) ?? false,
        dangerous: f.bool(f.get(value, 'dangerous'), `${what}.dangerous`) ?? false,
        override: f.bool(f.get(value, 'override'), `${what}.override`) ?? false,
        file: f.name,
        line: f.lineOf(shortCutNode),
      });
    }
  }
  return out;
}
