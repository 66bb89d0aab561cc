import { describe, expect, it } from 'vitest';
import { readContextFile, readSettingsFile } from '../../../source/ui/config/settings.ts';
import { formatIssue, YamlFile } from '../../../source/ui/config/yaml-file.ts';

const file = (text: string) => new YamlFile('config.yaml', text);

describe('config.yaml', () => {
  it('reads skiff settings and per-context overrides', () => {
    const f = file(`skiff:
  refreshRate: 0.5
  defaultView: deploy
  namespace: kube-system
  readOnly: false
  confirm: never
  ui:
    enableMouse: false
    skin: light
  logger:
    buffer: 5000
  contexts:
    prod:
      readOnly: true
      ui: { skin: red }
`);
    const s = readSettingsFile(f);
    expect(f.issues).toEqual([]);
    expect(s.base).toEqual({
      refreshRate: 0.5,
      defaultView: 'deploy',
      namespace: 'kube-system',
      readOnly: false,
      confirm: 'never',
      mouse: false,
      skin: 'light',
      logBuffer: 5000,
    });
    expect(s.contexts.prod).toEqual({ readOnly: true, skin: 'red' });
  });

  it("reads a k9s config.yaml's shared fields and ignores the rest", () => {
    // From k9s's documented config.yaml.
    const f = file(`k9s:
  liveViewAutoRefresh: false
  refreshRate: 2
  maxConnRetry: 5
  readOnly: true
  noExitOnCtrlC: false
  ui:
    enableMouse: false
    headless: false
    logoless: false
    crumbsless: false
    noIcons: false
    skin: dracula
  skipLatestRevCheck: false
  logger:
    tail: 100
    buffer: 5000
    sinceSeconds: -1
`);
    const s = readSettingsFile(f);
    expect(f.issues).toEqual([]);
    expect(s.base).toEqual({ refreshRate: 2, readOnly: true, mouse: false, skin: 'dracula', logBuffer: 5000 });
  });

  it('names the file and line of every mistake', () => {
    const f = file(`skiff:
  refreshRate: fast
  readOnly: yes please
  confirm: sometimes
  colour: blue
  logger:
    buffer: -3
`);
    readSettingsFile(f);
    expect(f.issues.map(formatIssue)).toEqual([
      'config.yaml:5: skiff: unknown field "colour" (known: refreshRate, defaultView, namespace, readOnly, confirm, ui, logger, skin, contexts, view)',
      'config.yaml:2: skiff.refreshRate must be a number of at least 0.01, not "fast"',
      'config.yaml:3: skiff.readOnly must be true or false, not "yes please"',
      'config.yaml:4: skiff.confirm must be "always" or "never", not "sometimes"',
      'config.yaml:7: skiff.logger.buffer must be a number of at least 1, not -3',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const f = file('skiff:\n  refreshRate: 1\n  defaultView: [pods\n');
    expect(readSettingsFile(f).base).toEqual({});
    expect(f.issues).toHaveLength(1);
    expect(f.issues[0].line).toBeGreaterThanOrEqual(3);
  });

  it('a file without the skiff: root says so', () => {
    const f = file('refreshRate: 1\n');
    readSettingsFile(f);
    expect(formatIssue(f.issues[0])).toBe('config.yaml:1: expected a top-level "skiff:" (or k9s\'s "k9s:") mapping');
  });

  it("reads a context file, k9s's view.active included", () => {
    const f = new YamlFile(
      'contexts/prod.yaml',
      'k9s:\n  cluster: prod\n  readOnly: true\n  skin: in_the_navy\n  view:\n    active: dp\n',
    );
    expect(readContextFile(f)).toEqual({ readOnly: true, skin: 'in_the_navy', defaultView: 'dp' });
    expect(f.issues).toEqual([]);
  });
});
