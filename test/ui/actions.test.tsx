import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { KEYS, renderApp, type AppHarness } from './harness.tsx';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
let t: TestEngine;
let app: AppHarness | undefined;

beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());
afterEach(() => {
  app?.unmount();
  app = undefined;
});

const get = async (args: string[]) => JSON.parse((await t.kubectl(['get', ...args, '-o', 'json'])).stdout);
const open = (opts: Parameters<typeof renderApp>[0] = {}) =>
  renderApp({ kubeconfigPath: t.engine.kubeconfigPath, ...opts });
/** Narrows the table to one object through the filter prompt. */
async function focus(a: AppHarness, name: string) {
  await a.press('/');
  await a.type(`^${name}$`);
  await a.press(KEYS.enter);
  await a.waitFor((f) => f.includes(`</^${name}$>`) && new RegExp(`\\[1(/\\d+)?\\]`).test(f) && f.includes(name));
}

async function command(a: AppHarness, text: string) {
  await a.press(':');
  await a.type(text);
  await a.press(KEYS.enter);
}

describe('actions from the command line', () => {
  it(':apply -f creates, re-applies unchanged, reports bad YAML with its line', async () => {
    app = open();
    await app.waitFor('Pods(default)');
    await command(app, `apply -f ${join(FIXTURES, 'deployment.yaml')}`);
    await app.waitFor('deployment.apps/nginx-deployment created');
    await command(app, `apply -f ${join(FIXTURES, 'deployment.yaml')}`);
    await app.waitFor('deployment.apps/nginx-deployment unchanged');
    const bad = join(t.kubeHome, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: indent\n');
    await command(app, `apply -f ${bad}`);
    await app.waitFor(/bad\.yaml:\d+:\d+/);
    const multi = join(t.kubeHome, 'multi.yaml');
    writeFileSync(
      multi,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m1\ndata:\n  a: "1"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m2\n',
    );
    await command(app, `apply -f ${multi}`);
    const f = await app.waitFor('configmap/m2 created');
    expect(f).toContain('configmap/m1 created');
    writeFileSync(
      multi,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m1\ndata:\n  a: "2"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: m2\n',
    );
    await command(app, `apply -f ${multi}`);
    await app.waitFor((s) => s.includes('configmap/m1 configured') && s.includes('configmap/m2 unchanged'));
    expect((await get(['cm', 'm1'])).data.a).toBe('2');
    await command(app, `delete -f ${multi}`);
    await app.waitFor('configmaps "m2" deleted');
  });

  it(':create deployment, :expose (NodePort), :run', async () => {
    app = open();
    await app.waitFor('Pods(default)');
    await command(app, 'create deployment web --image=nginx:1.9.1 --replicas=2');
    await app.waitFor('deployment.apps/web created');
    const d = await get(['deploy', 'web']);
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'nginx', image: 'nginx:1.9.1' });
    await command(app, 'expose deployment web --port=80 --type=NodePort');
    await app.waitFor('service/web exposed');
    const svc = await get(['svc', 'web']);
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.selector).toEqual({ app: 'web' });
    await command(app, 'run solo --image=busybox');
    await app.waitFor('pod/solo created');
    await command(app, 'create deployment');
    await app.waitFor('usage: create deployment NAME');
  });

  it('is refused in read-only mode, and dangerous keys are gone', async () => {
    app = open({ readonly: true, command: 'deploy' });
    await app.waitFor('Deployments(default)');
    expect(app.frame()).not.toContain('<ctrl-d> Delete');
    await command(app, 'create deployment nope --image=nginx');
    await app.waitFor('disabled in read-only mode');
    await app.press('?');
    const help = await app.waitFor('Help deployments');
    expect(help).not.toContain('Scale');
    expect(help).not.toContain('Delete');
    expect(help).toContain('History');
  });
});

describe('actions on the selected object', () => {
  it('scales with a validated prompt and deletes after a confirmation that defaults to Cancel', async () => {
    await t.kubectl(['create', 'deployment', 'scaler', '--image=nginx:1.7.9']);
    app = open({ command: 'deploy' });
    await app.waitFor('scaler');
    await focus(app, 'scaler');
    await app.press('s');
    await app.waitFor('Scale deployment/scaler');
    await app.press(KEYS.backspace, 'x', KEYS.enter);
    await app.waitFor('Enter a whole number');
    await app.press(KEYS.backspace, '4', KEYS.enter);
    await app.waitFor('deployment/scaler scaled to 4');
    await waitFor(async () => (await get(['deploy', 'scaler'])).spec.replicas === 4);
    await app.waitFor(/scaler\s+\d\/4/);

    await app.press(KEYS.ctrlD);
    await app.waitFor('Delete deployment/scaler in default?');
    await app.press(KEYS.enter); // Cancel is focused
    await app.waitFor((f) => !f.includes('Delete deployment/scaler'));
    expect((await t.kubectl(['get', 'deploy', 'scaler'], { reject: false })).exitCode).toBe(0);
    await app.press(KEYS.ctrlD, '\x1b[C', KEYS.enter);
    await app.waitFor('deployment/scaler deleted');
    await waitFor(async () => (await t.kubectl(['get', 'deploy', 'scaler'], { reject: false })).exitCode !== 0);
  });

  it('describes and shows YAML live, with search', async () => {
    await t.kubectl(['create', 'configmap', 'desc', '--from-literal=k=v1']);
    app = open({ command: 'cm' });
    await app.waitFor('desc');
    await focus(app, 'desc');
    await app.press('d');
    // Table rows hold metadata only: the describe text follows a GET of the object.
    let f = await app.waitFor((s) => s.includes('Describe configmap/desc') && /Name:\s+desc/.test(s));
    expect(f).toMatch(/Data\s/);
    await app.press(KEYS.esc, 'y');
    f = await app.waitFor('YAML configmap/desc');
    expect(f).toContain('k: v1');
    await t.kubectl(['patch', 'cm', 'desc', '--type=merge', '-p', '{"data":{"k":"v2"}}']);
    await app.waitFor('k: v2');
    await app.press('/');
    await app.type('uid');
    await app.press(KEYS.enter);
    await app.waitFor('</uid>');
    await app.press(KEYS.esc);
    await app.waitFor((s) => !s.includes('</uid>'));
    await app.press(KEYS.esc);
    await app.waitFor('ConfigMaps(default)');
  });

  it('sets an image, shows the history and undoes to the previous revision', async () => {
    await t.kubectl(['create', 'deployment', 'roll', '--image=nginx:1.7.9']);
    app = open({ command: 'deploy' });
    await app.waitFor('roll');
    await focus(app, 'roll');
    await waitFor(async () => (await get(['rs', '-l', 'app=roll'])).items.length === 1);
    await app.press('i');
    await app.waitFor('Set image of nginx in deployment/roll');
    for (let i = 0; i < 'nginx:1.7.9'.length; i++) await app.press(KEYS.backspace);
    await app.type('nginx:1.9.1');
    await app.press(KEYS.enter);
    await app.waitFor('nginx image set to nginx:1.9.1');
    await waitFor(async () => (await get(['rs', '-l', 'app=roll'])).items.length === 2);
    await app.press('h');
    let f = await app.waitFor('History of deployment/roll');
    expect(f).toMatch(/1\s+nginx:1\.7\.9/);
    expect(f).toMatch(/2\*\s+nginx:1\.9\.1/);
    await app.press(KEYS.esc, 'u');
    await app.waitFor('Roll deployment/roll back to its previous revision?');
    await app.press('\x1b[C', KEYS.enter);
    f = await app.waitFor('rolled back to revision 1');
    await waitFor(async () => (await get(['deploy', 'roll'])).spec.template.spec.containers[0].image === 'nginx:1.7.9');
  });
});
