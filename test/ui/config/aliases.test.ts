import { describe, expect, it } from 'vitest';
import { expandAlias, readAliases } from '../../../source/ui/config/aliases.ts';
import { parseCommand } from '../../../source/ui/commands.ts';
import { formatIssue, YamlFile } from '../../../source/ui/config/yaml-file.ts';

describe('aliases.yaml', () => {
  it("reads k9s's documented example and expands it to command lines", () => {
    const f = new YamlFile(
      'aliases.yaml',
      `aliases:
  pp: v1/pods
  crb: rbac.authorization.k8s.io/v1/clusterrolebindings
  # As of v0.30.0 you can also refer to another command alias...
  fred: pod fred app=blee # => view pods in namespace fred with labels matching app=blee
`,
    );
    const a = readAliases(f);
    expect(f.issues).toEqual([]);
    expect(expandAlias('pp', a)).toBe('pods');
    expect(expandAlias('pp kube-system', a)).toBe('pods kube-system');
    expect(expandAlias('crb', a)).toBe('clusterrolebindings.rbac.authorization.k8s.io');
    expect(parseCommand(expandAlias('fred', a))).toEqual({
      type: 'resource',
      name: 'pod',
      namespace: 'fred',
      labelSelector: 'app=blee',
    });
    expect(expandAlias('deploy', a)).toBe('deploy');
  });

  it('reports what is wrong with line numbers', () => {
    const f = new YamlFile('aliases.yaml', 'aliases:\n  ok: pods\n  bad: [pods]\nother: 1\n');
    expect(readAliases(f)).toEqual({ ok: 'pods' });
    expect(f.issues.map(formatIssue)).toEqual([
      'aliases.yaml:4: top level: unknown field "other" (known: aliases)',
      'aliases.yaml:3: aliases.bad must be a string',
    ]);
  });
});
