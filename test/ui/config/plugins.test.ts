import { describe, expect, it } from 'vitest';
import { readPlugins } from '../../../source/ui/config/plugins.ts';
import { formatIssue, YamlFile } from '../../../source/ui/config/yaml-file.ts';
import { substitute } from '../../../source/ui/features/plugins.ts';

describe('plugins.yaml', () => {
  it("reads k9s's documented plugin example", () => {
    const f = new YamlFile(
      'plugins.yaml',
      `plugins:
  # Defines a plugin to provide a \`ctrl-l\` shortcut to tail the logs while in pod view.
  fred:
    shortCut: Ctrl-L
    override: false
    overwriteOutput: false
    confirm: false
    dangerous: false
    description: Pod logs
    scopes:
    - pods
    command: kubectl
    background: false
    args:
    - logs
    - -f
    - $NAME
    - -n
    - $NAMESPACE
    - --context
    - $CONTEXT
`,
    );
    const [p, ...rest] = readPlugins(f);
    expect(f.issues).toEqual([]);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      name: 'fred',
      key: 'ctrl-l',
      description: 'Pod logs',
      scopes: [{ kind: 'resource', resource: 'pods' }],
      command: 'kubectl',
      args: ['logs', '-f', '$NAME', '-n', '$NAMESPACE', '--context', '$CONTEXT'],
      background: false,
      confirm: false,
      dangerous: false,
      override: false,
      line: 4,
    });
  });

  it('maps short names and all in scopes; reports missing fields and unsupported features', () => {
    const f = new YamlFile(
      'plugins.yaml',
      `plugins:
  a:
    shortCut: Shift-D
    description: A
    scopes: [dp, all]
    command: echo
  b:
    description: no key
    command: echo
  c:
    shortCut: x
    scopes: [pods]
    command: echo
    inputs:
      - name: n
        type: string
`,
    );
    const ps = readPlugins(f);
    expect(ps.map((p) => [p.name, p.key, p.scopes])).toEqual([
      ['a', 'D', [{ kind: 'resource', resource: 'deployments.apps' }, { kind: 'all' }]],
    ]);
    expect(f.issues.map(formatIssue)).toEqual([
      'plugins.yaml:8: plugins.b: shortCut, scopes required',
      'plugins.yaml:15: plugins.c.inputs: not supported by skiff; plugin skipped',
    ]);
  });
});

describe('plugin variables', () => {
  const vars = { NAME: 'web-1', NAMESPACE: 'default', 'COL-READY': '1/1', 'COL-%CPU/L': '12' };
  it('replaces $NAME, ${NAME} and $COL-… and leaves the rest for the shell', () => {
    expect(substitute('logs $NAME -n $NAMESPACE', vars)).toBe('logs web-1 -n default');
    expect(substitute('${NAME}-example', vars)).toBe('web-1-example');
    expect(substitute('$COL-READY', vars)).toBe('1/1');
    expect(substitute('${COL-%CPU/L}', vars)).toBe('12');
    expect(substitute('$NAME-x', vars)).toBe('web-1-x');
    expect(substitute('echo $HOME ${UNKNOWN}', vars)).toBe('echo $HOME ${UNKNOWN}');
  });
});
