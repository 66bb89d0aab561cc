import { describe, expect, it } from 'vitest';
import { readHotkeys } from '../../../source/ui/config/hotkeys.ts';
import { normalizeKey } from '../../../source/ui/config/key-spec.ts';
import { formatIssue, YamlFile } from '../../../source/ui/config/yaml-file.ts';

describe('key names', () => {
  it("accepts skiff's and k9s's spellings", () => {
    expect(normalizeKey('j')).toEqual({ key: 'j' });
    expect(normalizeKey('Ctrl-L')).toEqual({ key: 'ctrl-l' });
    expect(normalizeKey('ctrl-d')).toEqual({ key: 'ctrl-d' });
    expect(normalizeKey('Shift-D')).toEqual({ key: 'D' });
    expect(normalizeKey('Shift-0')).toEqual({ key: ')' });
    expect(normalizeKey('Shift-1')).toEqual({ key: '!' });
    expect(normalizeKey('PgDn')).toEqual({ key: 'pgdn' });
    expect(normalizeKey('Enter')).toEqual({ key: 'enter' });
    expect(normalizeKey('shift-tab')).toEqual({ key: 'shift-tab' });
    expect(normalizeKey('Alt-x')).toHaveProperty('error');
    expect(normalizeKey('Ctrl-1')).toHaveProperty('error');
    expect(normalizeKey('hyper-q')).toHaveProperty('error');
  });
});

function readIssues(text: string) {
  const f = new YamlFile('hotkeys.yaml', text);
  readHotkeys(f);
  return f.issues;
}

describe('hotkeys.yaml', () => {
  it("reads k9s's hotKeys as documented", () => {
    const f = new YamlFile(
      'hotkeys.yaml',
      `hotKeys:
  # Hitting Shift-0 navigates to your pod view
  shift-0:
    shortCut:    Shift-0
    description: Viewing pods
    command:     pods
  shift-1:
    shortCut:    Shift-1
    description: View deployments
    command:     dp
  shift-s:
    shortCut:    Shift-S
    override:    true
    description: Namespaced resources
    command:     "$RESOURCE_NAME $NAMESPACE"
    keepHistory: true
`,
    );
    const { hotkeys, overrides } = readHotkeys(f);
    expect(f.issues).toEqual([]);
    expect(overrides).toEqual([]);
    expect(hotkeys.map((h) => [h.key, h.command, h.override, h.line])).toEqual([
      [')', 'pods', false, 4],
      ['!', 'dp', false, 8],
      ['S', '$RESOURCE_NAME $NAMESPACE', true, 12],
    ]);
  });

  it('reads per-view rebindings of built-in commands', () => {
    const f = new YamlFile(
      'hotkeys.yaml',
      'keys:\n  table:\n    nav.down: [j, down, ctrl-n]\n  dp:\n    workload.scale: Shift-X\n  all:\n    app.quit: []\n',
    );
    const { overrides } = readHotkeys(f);
    expect(f.issues).toEqual([]);
    expect(overrides.map((o) => [o.scope, o.command, o.keys, o.line])).toEqual([
      [{ kind: 'view', view: 'table' }, 'nav.down', ['j', 'down', 'ctrl-n'], 3],
      [{ kind: 'resource', resource: 'deployments.apps' }, 'workload.scale', ['X'], 5],
      [{ kind: 'all' }, 'app.quit', [], 7],
    ]);
  });

  it('reports unknown commands, misplaced commands and bad keys with lines', () => {
    const f = new YamlFile(
      'hotkeys.yaml',
      'keys:\n  table:\n    nav.dwn: x\n    logs.wrap: w\n    obj.yaml: Alt-y\nhotKeys:\n  bad:\n    description: no key\n    command: pods\n',
    );
    readHotkeys(f);
    const msgs = f.issues.map(formatIssue);
    expect(msgs[0]).toMatch(/^hotkeys\.yaml:8: hotKeys\.bad: shortCut is required/);
    expect(msgs[1]).toMatch(/^hotkeys\.yaml:3: keys\.table: unknown command "nav\.dwn" \(did you mean nav\.down\?/);
    expect(msgs[2]).toBe('hotkeys.yaml:4: keys.table: logs.wrap does not work in table views (it works in logs)');
    expect(formatIssue(readIssues('keys:\n  table:\n    ns.recent: [a, b]\n')[0])).toBe(
      'hotkeys.yaml:3: keys.table: ns.recent takes its meaning from the digit pressed and cannot be rebound',
    );
    expect(msgs[3]).toMatch(/^hotkeys\.yaml:5: keys\.table\.obj\.yaml: "Alt-y": Alt keys are not supported/);
  });
});
