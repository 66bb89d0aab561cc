import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

let t: TestEngine;
let tui: Tui | undefined;

beforeAll(async () => {
  t = await startTestEngine();
  for (const ns of ['alpha', 'beta', 'gamma']) {
    await t.kubectl(['create', 'namespace', ns]);
    await t.kubectl(['run', `pod-${ns}`, '-n', ns, '--image=nginx:1.25']);
  }
  for (const ns of ['alpha', 'beta', 'gamma'])
    await t.kubectl(['wait', '-n', ns, '--for=condition=Ready', `pod/pod-${ns}`, '--timeout=90s']);
}, 180_000);
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

async function command(ui: Tui, cmd: string, title: RegExp | string): Promise<void> {
  await ui.press(':');
  await ui.type(cmd);
  await ui.press(KEY.enter);
  await ui.waitFor(title);
}

async function filter(ui: Tui, text: string): Promise<void> {
  await ui.press('/');
  await ui.press('\x15'); // ctrl-u: the prompt starts with the current filter
  await ui.type(text);
  await ui.press(KEY.enter);
  await ui.waitFor(`</${text}>`);
}

describe('several namespaces at once', { timeout: 150_000 }, () => {
  it('-n alpha,beta shows the pods of both, with a namespace column; gamma stays out', async () => {
    tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath, '-n', 'alpha,beta'], { env: { HOME: t.kubeHome } });
    const screen = await tui.waitFor(
      (s) => /alpha\s+pod-alpha\s+1\/1\s+Running/.test(s) && /beta\s+pod-beta\s+1\/1\s+Running/.test(s),
      45_000,
    );
    expect(screen).toContain('Pods(alpha,beta)[2]');
    expect(screen).toMatch(/Scope:\s+alpha,beta/);
    expect(screen).toContain('<pods(alpha,beta)>');
    expect(screen).not.toContain('pod-gamma');
    // A live watch per namespace: a new pod in beta shows up.
    await t.kubectl(['run', 'late', '-n', 'beta', '--image=nginx:1.25']);
    await tui.waitFor(/beta\s+late\s+\d\/1/);
  });

  it(':logs -l over -n alpha,beta follows the matching pods of both namespaces (each named with its namespace); gamma stays out', async () => {
    for (const ns of ['alpha', 'beta', 'gamma'])
      await t.kubectl([
        'run',
        'talk',
        '-n',
        ns,
        '--image=busybox',
        '-l',
        'app=talk',
        '--',
        'sh',
        '-c',
        `echo hello from ${ns}; sleep 3600`,
      ]);
    for (const ns of ['alpha', 'beta', 'gamma'])
      await t.kubectl(['wait', '-n', ns, '--for=condition=Ready', 'pod/talk', '--timeout=90s']);
    tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath, '-n', 'alpha,beta'], { env: { HOME: t.kubeHome } });
    await tui.waitFor(/Pods\(alpha,beta\)/, 45_000);
    await command(tui, 'logs -l app=talk', 'alpha,beta/-l app=talk');
    const screen = await tui.waitFor(
      (s) => s.includes('alpha/talk/talk hello from alpha') && s.includes('beta/talk/talk hello from beta'),
      30_000,
    );
    expect(screen).toMatch(/2 streams/);
    expect(screen).not.toContain('gamma');
  });

  it('in :ns, space marks namespaces and enter scopes to the set; the set becomes a favourite key', async () => {
    tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath], { env: { HOME: t.kubeHome } });
    await tui.waitFor('Pods(default)', 45_000);
    await command(tui, 'ns', /Namespaces\(cluster\)|Namespaces\(/);
    const help = await tui.waitFor('Mark namespace');
    expect(help).toContain('<space>');
    await filter(tui, '^beta$');
    await tui.waitFor(/beta\s+Active/);
    await tui.press(' ');
    await tui.waitFor('Marked beta');
    await filter(tui, '^gamma$');
    await tui.waitFor(/gamma\s+Active/);
    await tui.press(' ');
    await tui.waitFor('Marked beta,gamma');
    await tui.waitFor(/\*gamma\s+Active/);
    await tui.press(KEY.enter);
    const scoped = await tui.waitFor((s) => s.includes('Pods(beta,gamma)') && /gamma\s+pod-gamma\s+1\/1/.test(s));
    expect(scoped).toMatch(/Scope:\s+beta,gamma/);
    expect(scoped).toMatch(/<1> beta,gamma/);
    expect(scoped).not.toContain('pod-alpha');

    // Back to one namespace, then the favourite key brings the set back.
    await command(tui, 'pods alpha', 'Pods(alpha)');
    const fav = await tui.waitFor(/<2> beta,gamma/);
    expect(fav).toMatch(/<1> alpha/);
    await tui.press('2');
    await tui.waitFor((s) => s.includes('Pods(beta,gamma)') && s.includes('pod-beta') && s.includes('pod-gamma'));
  });
});
