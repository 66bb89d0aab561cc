import type { Node } from 'yaml';
import type { YamlFile } from './yaml-file.ts';

/** `always`: every destructive action asks first (the default); `never`: none asks. */
export type ConfirmPolicy = 'always' | 'never';

/** What config.yaml sets; every field optional so per-context files can override a few. */
export interface Settings {
  /** Seconds between screen updates from watch events (the table caches' coalescing). */
  refreshRate?: number;
  /** The command line run at start (`pods`, `deploy`, `svc kube-system`). */
  defaultView?: string;
  /** Namespace scope at start. */
  namespace?: string;
  /** Log lines kept per log view (default 100,000, or SKIFF_LOG_LINES). */
  logBuffer?: number;
  readOnly?: boolean;
  confirm?: ConfirmPolicy;
  mouse?: boolean;
  /** A file name under skins/ (without .yaml) or a built-in skin: `dark`, `light`. */
  skin?: string;
}

type Optional = 'namespace' | 'skin' | 'logBuffer';
export const DEFAULT_SETTINGS: Required<Omit<Settings, Optional>> & Pick<Settings, Optional> = {
  refreshRate: 0.15,
  defaultView: 'pods',
  readOnly: false,
  confirm: 'always',
  mouse: true,
};

export interface SettingsFile {
  base: Settings;
  /** `contexts:` in config.yaml, by kubeconfig context name. */
  contexts: Record<string, Settings>;
}

const SKIFF_KEYS = [
  'refreshRate',
  'defaultView',
  'namespace',
  'readOnly',
  'confirm',
  'ui',
  'logger',
  'skin',
  'contexts',
  'view',
];
const UI_KEYS = [
  'enableMouse',
  'skin',
  'headless',
  'logoless',
  'crumbsless',
  'noIcons',
  'reactive',
  'splashless',
  'defaultsToFullScreen',
];

/**
 * config.yaml: a `skiff:` mapping (checked strictly), or a k9s config.yaml's `k9s:` mapping, whose
 * fields skiff shares are read (`refreshRate`, `readOnly`, `ui.enableMouse`, `ui.skin`,
 * `logger.buffer`) and the rest ignored.
 */
export function readSettingsFile(f: YamlFile): SettingsFile {
  const { body, strict } = rootOf(f);
  const base = readSettings(f, body, strict, 'skiff');
  const contexts: Record<string, Settings> = {};
  for (const { key, value } of f.entries(f.get(body, 'contexts'), 'contexts')) {
    contexts[key] = readSettings(f, value, true, `contexts.${key}`);
  }
  return { base, contexts };
}

/** contexts/<name>.yaml: the same fields as config.yaml, for one context (k9s's `view.active` too). */
export function readContextFile(f: YamlFile): Settings {
  const { body, strict } = rootOf(f);
  return readSettings(f, body, strict, 'skiff');
}

function rootOf(f: YamlFile): { body: Node | undefined; strict: boolean } {
  if (!f.root) return { body: undefined, strict: true };
  const skiff = f.get(f.root, 'skiff');
  const k9s = f.get(f.root, 'k9s');
  if (skiff || k9s) {
    f.onlyKeys(f.root, ['skiff', 'k9s'], 'top level');
    return { body: skiff ?? k9s, strict: !!skiff };
  }
  if (f.entries(f.root, 'top level').length)
    f.issue(f.root, 'expected a top-level "skiff:" (or k9s\'s "k9s:") mapping');
  return { body: undefined, strict: true };
}

function readSettings(f: YamlFile, body: Node | undefined, strict: boolean, what: string): Settings {
  const s: Settings = {};
  if (!body) return s;
  if (strict) f.onlyKeys(body, SKIFF_KEYS, what);
  else f.entries(body, what);
  const rate = f.number(f.get(body, 'refreshRate'), `${what}.refreshRate`, 0.01);
  if (rate !== undefined) s.refreshRate = rate;
  s.defaultView =
    f.string(f.get(body, 'defaultView'), `${what}.defaultView`) ??
    f.string(f.get(f.get(body, 'view'), 'active'), `${what}.view.active`);
  s.namespace = f.string(f.get(body, 'namespace'), `${what}.namespace`);
  s.readOnly = f.bool(f.get(body, 'readOnly'), `${what}.readOnly`);
  const confirm = f.get(body, 'confirm');
  const policy = f.string(confirm, `${what}.confirm`);
  if (policy === 'always' || policy === 'never') s.confirm = policy;
  else if (policy !== undefined) f.issue(confirm, `${what}.confirm must be "always" or "never", not "${policy}"`);
  const ui = f.get(body, 'ui');
  if (strict) f.onlyKeys(ui, UI_KEYS, `${what}.ui`);
  s.mouse = f.bool(f.get(ui, 'enableMouse'), `${what}.ui.enableMouse`);
  s.skin = f.string(f.get(ui, 'skin'), `${what}.ui.skin`) ?? f.string(f.get(body, 'skin'), `${what}.skin`);
  const logger = f.get(body, 'logger');
  s.logBuffer = f.number(f.get(logger, 'buffer'), `${what}.logger.buffer`, 1);
  for (const k of Object.keys(s) as Array<keyof Settings>) if (s[k] === undefined) delete s[k];
  return s;
}
