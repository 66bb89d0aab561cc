import { describe, expect, it } from 'vitest';
import { readHotkeys } from '../../../source/ui/config/hotkeys.ts';
import { effectiveBindings, keyConflicts, resolveKey, type KeyLayer } from '../../../source/ui/config/key-layer.ts';
import { readPlugins } from '../../../source/ui/config/plugins.ts';
import { formatIssue, YamlFile } from '../../../source/ui/config/yaml-file.ts';

function layer(hotkeys: string, plugins = ''): KeyLayer {
  const h = readHotkeys(new YamlFile('hotkeys.yaml', hotkeys));
  return { overrides: h.overrides, hotkeys: h.hotkeys, plugins: readPlugins(new YamlFile('plugins.yaml', plugins)) };
}

const command = (l: KeyLayer, key: string, view: 'table' | 'text' | 'logs', resource?: string) => {
  const a = resolveKey(l, key, view, resource, false);
  return a?.kind === 'builtin'
    ? a.binding.command
    : a?.kind === 'plugin'
      ? `plugin:${a.plugin.name}`
      : a?.kind === 'hotkey'
        ? `hotkey:${a.hotkey.name}`
        : undefined;
};

describe('the user key layer', () => {
  it('moves a command to new keys in its scope only; the old key stops working there', () => {
    const l = layer('keys:\n  table:\n    obj.describe: x\n');
    expect(command(l, 'x', 'table', 'pods')).toBe('obj.describe');
    expect(command(l, 'd', 'table', 'pods')).toBeUndefined();
    // The secrets table's own x (decode) yields to the user's choice.
    expect(command(l, 'x', 'table', 'secrets')).toBe('obj.describe');
    // Text views keep their keys.
    expect(command(l, 'n', 'text')).toBe('text.next');
  });

  it('a resource scope beats a view scope; the rest of the views keep the view scope', () => {
    const l = layer(
      'keys:\n  pods:\n    pod.shell: X\n  table:\n    nav.down: [j, J]\n  deployments:\n    nav.down: ctrl-n\n',
    );
    expect(command(l, 'X', 'table', 'pods')).toBe('pod.shell');
    expect(command(l, 's', 'table', 'pods')).toBeUndefined();
    expect(command(l, 'J', 'table', 'pods')).toBe('nav.down');
    expect(command(l, 'J', 'table', 'deployments.apps')).toBeUndefined();
    expect(command(l, 'ctrl-n', 'table', 'deployments.apps')).toBe('nav.down');
    expect(command(l, 'j', 'text')).toBe('nav.down');
  });

  it('unbinds with an empty list; help and hints read the rebound keys', () => {
    const l = layer('keys:\n  all:\n    app.quit: []\n');
    expect(command(l, 'q', 'table', 'pods')).toBeUndefined();
    expect(effectiveBindings(l.overrides, 'table', 'pods', false).some((b) => b.command === 'app.quit')).toBe(false);
    const moved = layer('keys:\n  table:\n    obj.yaml: Y\n');
    expect(
      effectiveBindings(moved.overrides, 'table', 'pods', false).find((b) => b.command === 'obj.yaml')?.keys,
    ).toEqual(['Y']);
  });

  it('plugins and hotkeys yield to built-in keys unless they override; a free key is theirs', () => {
    const plugins = `plugins:
  p1: { shortCut: Shift-L, description: free, scopes: [pods], command: echo }
  p2: { shortCut: s, description: clash, scopes: [pods], command: echo }
  p3: { shortCut: d, description: takes d, scopes: [deploy], command: echo, override: true }
`;
    const l = layer(
      'hotKeys:\n  h:\n    shortCut: Shift-0\n    command: pods\n  q:\n    shortCut: q\n    command: svc\n',
      plugins,
    );
    expect(command(l, 'L', 'table', 'pods')).toBe('plugin:p1');
    expect(command(l, 'L', 'table', 'services')).toBeUndefined();
    expect(command(l, 's', 'table', 'pods')).toBe('pod.shell');
    expect(command(l, 'd', 'table', 'deployments.apps')).toBe('plugin:p3');
    expect(command(l, 'd', 'table', 'pods')).toBe('obj.describe');
    expect(command(l, ')', 'logs')).toBe('hotkey:h');
    expect(command(l, 'q', 'table')).toBe('app.quit');
  });

  it('a dangerous plugin is off under --readonly', () => {
    const l = layer(
      '',
      'plugins:\n  rm: { shortCut: Shift-R, description: rm, scopes: [all], command: rm, dangerous: true }\n',
    );
    expect(resolveKey(l, 'R', 'table', 'pods', true)).toBeUndefined();
    expect(resolveKey(l, 'R', 'table', 'pods', false)?.kind).toBe('plugin');
  });

  it('reports conflicts with file and line', () => {
    const l = layer(
      'keys:\n  table:\n    obj.describe: y\nhotKeys:\n  q:\n    shortCut: q\n    command: svc\n',
      'plugins:\n  p2:\n    shortCut: s\n    description: clash\n    scopes: [pods]\n    command: echo\n',
    );
    expect(keyConflicts(l).every((i) => i.warning)).toBe(true);
    expect(keyConflicts(l).map(formatIssue)).toEqual([
      'hotkeys.yaml:3: key y now runs obj.describe in table views, no longer obj.yaml (YAML)',
      'plugins.yaml:3: plugin p2: key s is pod.shell (Shell) in pods table views, which wins there (override: true takes it)',
      'hotkeys.yaml:6: hotkey q: key q is app.quit (Quit) in table views, which wins there (override: true takes it)',
      'hotkeys.yaml:6: hotkey q: key q is app.quit (Quit) in text views, which wins there (override: true takes it)',
      'hotkeys.yaml:6: hotkey q: key q is app.quit (Quit) in logs views, which wins there (override: true takes it)',
    ]);
  });
});

describe('plugin scopes as k9s users write them', () => {
  it('singulars and short names match the resource', () => {
    const l = layer(
      '',
      'plugins:\n  a: { shortCut: Shift-Q, description: a, scopes: [service, ingress, po, deploy], command: echo }\n',
    );
    for (const r of ['services', 'ingresses.networking.k8s.io', 'pods', 'deployments.apps'])
      expect(command(l, 'Q', 'table', r)).toBe('plugin:a');
    expect(command(l, 'Q', 'table', 'nodes')).toBeUndefined();
  });
});
