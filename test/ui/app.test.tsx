import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { KEYS, renderApp, type AppHarness } from './harness.tsx';

let t: TestEngine;
let app: AppHarness | undefined;

const pod = (name: string, ns: string, labels: Record<string, string>, node?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { ...(node ? { nodeName: node } : {}), containers: [{ name: 'c', image: 'nginx:1.7.9' }] },
});

beforeAll(async () => {
  // API only: these tests look at what the UI shows for objects, not at controllers.
  t = await startTestEngine({ apiOnly: true });
  const objects = [
    pod('web-1', 'default', { app: 'web' }, 'node1'),
    pod('web-2', 'default', { app: 'web' }, 'node2'),
    pod('db-0', 'default', { app: 'db' }, 'node1'),
    pod('coredns-abc', 'kube-system', { k8s: 'dns' }, 'master'),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.7.9' }] } },
      },
    },
  ];
  const file = join(t.kubeHome, 'objects.yaml');
  writeFileSync(file, objects.map((o) => stringify(o)).join('---\n'));
  await t.kubectl(['apply', '-f', file]);
});
afterAll(async () => t?.stop());
afterEach(() => {
  app?.unmount();
  app = undefined;
});

describe('the TUI on a real engine', () => {
  it('starts on pods in the context namespace with the header filled in', async () => {
    app = renderApp({ kubeconfigPath: t.engine.kubeconfigPath });
    const f = await app.waitFor('Pods(default)[3]');
    expect(f).toContain('Context: skiff');
    expect(f).toContain('K8s Rev: v1.32.4');
    // The engine serves metrics.k8s.io: the usage columns sit before AGE, as in k9s.
    expect(f).toMatch(/NAME\s+READY\s+STATUS\s+RESTARTS\s+CPU\s+MEM\s+AGE/);
    expect(f).toContain('web-1');
    expect(f).not.toContain('coredns');
    // Frame height is rows - 1, and no line is wider than the terminal.
    expect(f.split('\n')).toHaveLength(29);
    for (const line of f.split('\n')) expect(line.length).toBeLessThanOrEqual(120);
  });

  it('0 shows all namespaces, : opens resources with Tab completion, q quits', async () => {
    app = renderApp({ kubeconfigPath: t.engine.kubeconfigPath });
    await app.waitFor('Pods(default)[3]');
    await app.press('0');
    const all = await app.waitFor((f) => f.includes('Pods(all)[') && f.includes('coredns-abc'));
    expect(all).toMatch(/NAMESPACE\s+NAME/);
    expect(all).toContain('kube-system');
    await app.press(':');
    await app.type('dep');
    await app.waitFor(':deploy');
    await app.press(KEYS.tab, KEYS.enter);
    const deploy = await app.waitFor(/default\s+web\s+\d\/2/);
    expect(deploy).toContain('Deployments(all)[');
    expect(deploy).toContain('<deployments>');
    await app.press('q');
    expect(app.quit.called).toBe(true);
  });

  it('filters with /, inverts with !, esc clears; -l asks the server', async () => {
    app = renderApp({ kubeconfigPath: t.engine.kubeconfigPath });
    await app.waitFor('Pods(default)[3]');
    await app.press('/');
    await app.type('web');
    let f = await app.waitFor('Pods(default)[2/3]');
    expect(f).toContain('</web>');
    expect(f).not.toContain('db-0');
    await app.press(KEYS.enter);
    await app.press('/', KEYS.backspace, KEYS.backspace, KEYS.backspace);
    await app.type('!web');
    f = await app.waitFor('Pods(default)[1/3]');
    expect(f).toContain('db-0');
    await app.press(KEYS.enter, KEYS.esc);
    await app.waitFor('Pods(default)[3]');
    await app.press('/');
    await app.type('-l app=db');
    await app.press(KEYS.enter);
    f = await app.waitFor('Pods(default)[1]');
    expect(f).toContain('<app=db>');
    expect(f).toContain('db-0');
    await app.press(KEYS.esc);
    await app.waitFor('Pods(default)[3]');
  });

  it('enter drills down from a deployment and a node to their pods; esc goes back', async () => {
    app = renderApp({ kubeconfigPath: t.engine.kubeconfigPath, command: 'deploy' });
    await app.waitFor('Deployments(default)[1]');
    await app.press(KEYS.enter);
    let f = await app.waitFor('Pods(default)[2] deploy/web');
    expect(f).toContain('web-1');
    expect(f).not.toContain('db-0');
    expect(f).toContain('<deployments> <pods>');
    await app.press(KEYS.esc);
    await app.waitFor('Deployments(default)[1]');
    await app.press(':');
    await app.type('no');
    await app.press(KEYS.enter);
    await app.waitFor('Nodes(cluster)[3]');
    await app.press('j'); // master -> node1
    await app.press(KEYS.enter);
    f = await app.waitFor((x) => x.includes('node/node1') && x.includes('db-0') && x.includes('web-1'));
    expect(f).toContain('Pods(all)[');
    expect(f).not.toContain('web-2'); // on node2
  });

  it('sorts by name, status and a chosen column, either way; ctrl-w shows wide columns', async () => {
    app = renderApp({ kubeconfigPath: t.engine.kubeconfigPath });
    await app.waitFor('Pods(default)[3]');
    const order = () => [...app!.frame().matchAll(/^│ (\S+)/gm)].map((m) => m[1]).filter((n) => !n.startsWith('NAME'));
    expect(order()).toEqual(['db-0', 'web-1', 'web-2']);
    await app.press('N');
    await app.waitFor('NAME↑');
    await app.press('N');
    await app.waitFor('NAME↓');
    expect(order()).toEqual(['web-2', 'web-1', 'db-0']);
    await app.press('>');
    await app.waitFor('READY↑');
    await app.press('S');
    await app.waitFor('STATUS↑');
    expect(app.frame()).not.toContain('NODE');
    await app.press('\x17'); // ctrl-w
    const wide = await app.waitFor('NODE');
    expect(wide).toMatch(/web-1.*node1/);
  });

  it(':ctx lists the kubeconfig contexts and enter switches to one', async () => {
    const kc = join(t.kubeHome, 'two-contexts.yaml');
    const doc = parse(readFileSync(t.engine.kubeconfigPath, 'utf8'));
    doc.contexts.push({ name: 'system', context: { ...doc.contexts[0].context, namespace: 'kube-system' } });
    writeFileSync(kc, stringify(doc));
    app = renderApp({ kubeconfigPath: kc });
    await app.waitFor('Pods(default)[3]');
    await app.press(':');
    await app.type('ctx');
    await app.press(KEYS.enter);
    const f = await app.waitFor('Contexts(kubeconfig)[2]');
    expect(f).toContain('skiff(*)');
    await app.press('j', KEYS.enter);
    const sys = await app.waitFor((x) => x.includes('Pods(kube-system)') && x.includes('coredns-abc'));
    expect(sys).toContain('Context: system');
  });

  it('? lists the keys of the view; esc returns', async () => {
    app = renderApp({ kubeconfigPath: t.engine.kubeconfigPath });
    await app.waitFor('Pods(default)[3]');
    await app.press('?');
    const f = await app.waitFor('Help pods');
    for (const text of ['Filter', 'All namespaces', 'Sort name', 'Wide', 'Quit']) expect(f).toContain(text);
    await app.press(KEYS.esc);
    await app.waitFor('Pods(default)[3]');
  });

  it('keeps the selection on the same object while rows arrive, and shows outside changes live', async () => {
    app = renderApp({ kubeconfigPath: t.engine.kubeconfigPath });
    await app.waitFor('Pods(default)[3]');
    await app.press('j'); // db-0 -> web-1
    const selected = () => app!.controller.selectedRow(app!.controller.state.stack[0] as any)?.name;
    expect(selected()).toBe('web-1');
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod('a-first', 'default', { app: 'x' })) });
    await app.waitFor('Pods(default)[4]');
    expect(selected()).toBe('web-1');
    await t.kubectl(['delete', 'pod', 'a-first', '--wait=false']);
    await app.waitFor('Pods(default)[3]');
  });

  it('shows an error screen with retry for an unreachable cluster, never hangs', async () => {
    const kc = join(t.kubeHome, 'dead.yaml');
    writeFileSync(
      kc,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: dead\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: dead\n  context:\n    cluster: dead\n    user: u\nusers:\n- name: u\n  user:\n    token: x\ncurrent-context: dead\n`,
    );
    app = renderApp({ kubeconfigPath: kc });
    const f = await app.waitFor('Cannot reach cluster "dead"');
    expect(f).toMatch(/refused/);
    expect(f).toContain('<r> Retry');
    await app.press('r');
    await app.waitFor('Cannot reach cluster "dead"');
    await app.press('q');
    expect(app.quit.called).toBe(true);
  });
});
