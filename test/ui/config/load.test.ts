import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activeFor, configDir, loadUserConfig } from '../../../source/ui/config/load.ts';
import { ConfigRuntime } from '../../../source/ui/config/runtime.ts';
import { formatIssue } from '../../../source/ui/config/yaml-file.ts';
import { lightTheme } from '../../../source/ui/theme.ts';

const dirs: string[] = [];
function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'skiff-config-'));
  dirs.push(d);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the configuration directory', () => {
  it('is $XDG_CONFIG_HOME/skiff, else ~/.config/skiff', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/skiff');
    expect(configDir({ HOME: '/h' })).toBe('/h/.config/skiff');
    expect(configDir({ XDG_CONFIG_HOME: 'relative', HOME: '/h' })).toBe('/h/.config/skiff');
    expect(configDir({ SKIFF_CONFIG_DIR: '/s', XDG_CONFIG_HOME: '/x' })).toBe('/s');
  });

  it('layers defaults, config.yaml, its contexts map and contexts/<name>.yaml', () => {
    const d = dir({
      'config.yaml':
        'skiff:\n  defaultView: deploy\n  refreshRate: 1\n  contexts:\n    prod:\n      readOnly: true\n      refreshRate: 2\n',
      'contexts/prod.yaml': 'skiff:\n  ui:\n    skin: light\n',
      'contexts/arn_aws_eks_x_cluster_a.yaml': 'skiff:\n  defaultView: svc\n',
    });
    const cfg = loadUserConfig(d);
    expect(cfg.issues).toEqual([]);
    const none = activeFor(cfg, undefined, {});
    expect(none.settings).toMatchObject({
      defaultView: 'deploy',
      refreshRate: 1,
      readOnly: false,
      confirm: 'always',
      mouse: true,
    });
    expect(none.theme).toBeUndefined();
    const prod = activeFor(cfg, 'prod', {});
    expect(prod.settings).toMatchObject({ defaultView: 'deploy', refreshRate: 2, readOnly: true, skin: 'light' });
    expect(prod.theme).toEqual(lightTheme);
    expect(activeFor(cfg, 'arn:aws:eks:x:cluster/a', {}).settings.defaultView).toBe('svc');
  });

  it('collects every problem of every file, and names a missing skin', () => {
    const d = dir({
      'config.yaml': 'skiff:\n  ui:\n    skin: nope\n',
      'plugins.yaml': 'plugins:\n  x:\n    shortCut: Alt-x\n    scopes: [all]\n    command: echo\n',
      'skins/bad.yaml': 'skiff:\n  accent: 12\n',
    });
    const msgs = loadUserConfig(d).issues.map(formatIssue);
    expect(msgs).toContain(
      'plugins.yaml:3: plugins.x.shortCut: "Alt-x": Alt keys are not supported (terminals send Alt as esc + key)',
    );
    expect(msgs).toContain(
      'skins/bad.yaml:2: skiff.accent: unknown colour "12" (a name like blue or dodgerblue, #rrggbb, or default)',
    );
    expect(msgs).toContain('config.yaml: skin "nope" not found (skins/nope.yaml; built in: dark, light)');
  });

  it('reloads when a file changes, including a directory created after start', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'skiff-config-'));
    dirs.push(parent);
    const d = join(parent, 'skiff');
    const rt = new ConfigRuntime(d, {});
    try {
      rt.watch();
      expect(rt.active.settings.defaultView).toBe('pods');
      mkdirSync(d);
      writeFileSync(join(d, 'config.yaml'), 'skiff:\n  defaultView: deploy\n');
      await vi.waitFor(() => expect(rt.active.settings.defaultView).toBe('deploy'), { timeout: 20_000, interval: 50 });
      writeFileSync(join(d, 'config.yaml'), 'skiff:\n  defaultView: [\n');
      await vi.waitFor(() => expect(rt.active.issues).toHaveLength(1), { timeout: 20_000, interval: 50 });
      expect(rt.active.settings.defaultView).toBe('pods');
      mkdirSync(join(d, 'skins'));
      writeFileSync(join(d, 'skins', 'x.yaml'), 'skiff:\n  accent: red\n');
      writeFileSync(join(d, 'config.yaml'), 'skiff:\n  ui:\n    skin: x\n');
      await vi.waitFor(() => expect(rt.active.theme?.accent).toBe('red'), { timeout: 20_000, interval: 50 });
      writeFileSync(join(d, 'skins', 'x.yaml'), 'skiff:\n  accent: green\n');
      await vi.waitFor(() => expect(rt.active.theme?.accent).toBe('green'), { timeout: 20_000, interval: 50 });
    } finally {
      rt.close();
    }
  });
});

describe('examples/config', () => {
  it('loads without a single complaint; its light skin is the built-in one', () => {
    const cfg = loadUserConfig(join(import.meta.dirname, '..', '..', '..', 'examples', 'config'));
    expect(cfg.issues.map(formatIssue)).toEqual([]);
    expect(activeFor(cfg, undefined, {}).theme).toEqual(lightTheme);
    expect(activeFor(cfg, 'production', {}).settings.readOnly).toBe(true);
    expect(cfg.plugins.map((p) => p.name)).toEqual(['fred', 'image-of', 'restart-all']);
  });
});

describe('per-context keys', () => {
  it('contexts/<name>/ adds aliases, hotkeys, plugins and rebindings for that context only', () => {
    const d = dir({
      'aliases.yaml': 'aliases:\n  pp: v1/pods\n',
      'plugins.yaml': 'plugins:\n  g: { shortCut: Shift-G, description: global, scopes: [pods], command: echo }\n',
      'contexts/prod/aliases.yaml': 'aliases:\n  pp: v1/services\n',
      'contexts/prod/plugins.yaml':
        'plugins:\n  p: { shortCut: Shift-G, description: prod, scopes: [pods], command: echo }\n',
      'contexts/prod/hotkeys.yaml': 'keys:\n  table:\n    obj.describe: x\n',
    });
    const cfg = loadUserConfig(d);
    const plain = activeFor(cfg, 'dev', {});
    const prod = activeFor(cfg, 'prod', {});
    expect(plain.aliases.pp).toBe('v1/pods');
    expect(prod.aliases.pp).toBe('v1/services');
    expect(plain.keys.plugins.map((p) => p.name)).toEqual(['g']);
    expect(prod.keys.plugins.map((p) => p.name)).toEqual(['p', 'g']);
    expect(plain.keys.overrides).toEqual([]);
    expect(prod.keys.overrides.map((o) => o.command)).toEqual(['obj.describe']);
    expect(cfg.issues.map(formatIssue)).toContain(
      'contexts/prod/hotkeys.yaml:3: key x now runs obj.describe in secrets table views, no longer secret.decode (Decode)',
    );
  });
});
