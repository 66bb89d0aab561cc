import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Theme } from '../theme.ts';
import { readAliases } from './aliases.ts';
import { readHotkeys, type HotKey, type KeyOverride } from './hotkeys.ts';
import { keyConflicts, type KeyLayer } from './key-layer.ts';
import { readPlugins, type Plugin } from './plugins.ts';
import { DEFAULT_SETTINGS, readContextFile, readSettingsFile, type Settings, type SettingsFile } from './settings.ts';
import { BUILTIN_SKINS, readSkin, resolveTheme } from './skins.ts';
import { YamlFile, type Issue } from './yaml-file.ts';

/** `$XDG_CONFIG_HOME/skiff`, else `~/.config/skiff` (SKIFF_CONFIG_DIR overrides both). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SKIFF_CONFIG_DIR) return env.SKIFF_CONFIG_DIR;
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(env.HOME || homedir(), '.config'), 'skiff');
}

/** Everything read from the configuration directory, before a context is chosen. */
export interface UserConfig {
  dir: string;
  settings: SettingsFile;
  /** contexts/<name>.yaml, by the file's name. */
  contextFiles: Record<string, Settings>;
  /** contexts/<name>/{aliases,hotkeys,plugins}.yaml: keys and aliases for one context (k9s has them per context too). */
  contextKeys: Record<string, { aliases: Record<string, string>; layer: KeyLayer }>;
  aliases: Record<string, string>;
  hotkeys: HotKey[];
  overrides: KeyOverride[];
  plugins: Plugin[];
  skins: Record<string, Partial<Theme>>;
  issues: Issue[];
}

/** A context name as a file name: `/` and `:` (EKS ARNs, `user@cluster/ns`) become `_`. */
export function contextFileName(context: string): string {
  return context.replace(/[/\\:]/g, '_');
}

function read<T>(dir: string, rel: string, issues: Issue[], reader: (f: YamlFile) => T): T | undefined {
  const path = join(dir, rel);
  let text: string;
  try {
    if (!existsSync(path) || !statSync(path).isFile()) return undefined;
    text = readFileSync(path, 'utf8');
  } catch (err) {
    issues.push({ file: rel, message: `cannot read: ${(err as Error).message}` });
    return undefined;
  }
  const f = new YamlFile(rel, text);
  const out = reader(f);
  issues.push(...f.issues);
  return out;
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function yamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch {
    return [];
  }
}

export function loadUserConfig(dir: string): UserConfig {
  const issues: Issue[] = [];
  const settings = read(dir, 'config.yaml', issues, readSettingsFile) ?? { base: {}, contexts: {} };
  const aliases = read(dir, 'aliases.yaml', issues, readAliases) ?? {};
  const keys = read(dir, 'hotkeys.yaml', issues, readHotkeys) ?? { hotkeys: [], overrides: [] };
  const plugins = read(dir, 'plugins.yaml', issues, readPlugins) ?? [];
  const skins: Record<string, Partial<Theme>> = {};
  for (const name of yamlFiles(join(dir, 'skins'))) {
    const skin = read(dir, join('skins', name), issues, readSkin);
    if (skin) skins[name.replace(/\.ya?ml$/, '')] = skin;
  }
  const contextFiles: Record<string, Settings> = {};
  for (const name of yamlFiles(join(dir, 'contexts'))) {
    const s = read(dir, join('contexts', name), issues, readContextFile);
    if (s) contextFiles[name.replace(/\.ya?ml$/, '')] = s;
  }
  issues.push(...keyConflicts({ overrides: keys.overrides, hotkeys: keys.hotkeys, plugins }));
  const contextKeys: UserConfig['contextKeys'] = {};
  for (const name of subdirs(join(dir, 'contexts'))) {
    const rel = (f: string) => join('contexts', name, f);
    const ctxAliases = read(dir, rel('aliases.yaml'), issues, readAliases) ?? {};
    const ctxKeys = read(dir, rel('hotkeys.yaml'), issues, readHotkeys) ?? { hotkeys: [], overrides: [] };
    const ctxPlugins = read(dir, rel('plugins.yaml'), issues, readPlugins) ?? [];
    const layer = { overrides: ctxKeys.overrides, hotkeys: ctxKeys.hotkeys, plugins: ctxPlugins };
    contextKeys[name] = { aliases: ctxAliases, layer };
    issues.push(...keyConflicts(layer));
  }
  const named: Array<[string, Settings]> = [
    ['config.yaml', settings.base],
    ...Object.values(settings.contexts).map((v): [string, Settings] => ['config.yaml', v]),
    ...Object.entries(contextFiles).map(([k, v]): [string, Settings] => [`contexts/${k}.yaml`, v]),
  ];
  for (const [file, s] of named) {
    if (s.skin && !skins[s.skin] && !BUILTIN_SKINS[s.skin]) {
      issues.push({
        file,
        message: `skin "${s.skin}" not found (skins/${s.skin}.yaml; built in: ${Object.keys(BUILTIN_SKINS).join(', ')})`,
      });
    }
  }
  return {
    dir,
    settings,
    contextFiles,
    contextKeys,
    aliases,
    hotkeys: keys.hotkeys,
    overrides: keys.overrides,
    plugins,
    skins,
    issues,
  };
}

export type EffectiveSettings = typeof DEFAULT_SETTINGS;

/** The configuration in force for one kubeconfig context. */
export interface ActiveConfig {
  settings: EffectiveSettings;
  /** undefined: the skin the TUI was started with (dark, or no colour under NO_COLOR). */
  theme?: Theme;
  aliases: Record<string, string>;
  keys: KeyLayer;
  issues: Issue[];
}

/** Defaults, then config.yaml, then its `contexts.<name>`, then contexts/<name>.yaml. */
export function activeFor(
  cfg: UserConfig,
  context: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ActiveConfig {
  const layers = [cfg.settings.base];
  if (context) layers.push(cfg.settings.contexts[context] ?? {}, cfg.contextFiles[contextFileName(context)] ?? {});
  const settings: EffectiveSettings = Object.assign({}, DEFAULT_SETTINGS, ...layers);
  // A context's own keys come first (its plugins and hotkeys win a key) and its rebindings apply last.
  const own = context ? cfg.contextKeys[contextFileName(context)] : undefined;
  return {
    settings,
    theme: resolveTheme(settings.skin, cfg.skins, env),
    aliases: { ...cfg.aliases, ...own?.aliases },
    keys: {
      overrides: [...cfg.overrides, ...(own?.layer.overrides ?? [])],
      hotkeys: [...(own?.layer.hotkeys ?? []), ...cfg.hotkeys],
      plugins: [...(own?.layer.plugins ?? []), ...cfg.plugins],
    },
    issues: cfg.issues,
  };
}
