import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

let t: TestEngine;
let tui: Tui | undefined;

const pod = (name: string, claim?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    containers: [
      {
        name: 'c',
        image: 'busybox',
        command: ['sh', '-c', 'sleep 3600'],
        volumeMounts: claim ? [{ name: 'data', mountPath: '/data' }] : [],
      },
    ],
    volumes: claim ? [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] : [],
  },
});
const claim = (name: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});

beforeAll(async () => {
  t = await startTestEngine();
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [claim('data'), claim('spare'), pod('writer', 'data'), pod('reader', 'data'), pod('loner')],
  };
  await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(list) });
  const ready = async () =>
    (
      await t.kubectl(['get', 'pods', '-o', 'jsonpath={.items[*].status.containerStatuses[0].ready}'], {
        reject: false,
      })
    ).stdout;
  await waitFor(async () => (await ready()) === 'true true true', 90_000, 'three pods Ready');
}, 180_000);
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

function open(): Tui {
  return spawnTui(['--kubeconfig', t.engine.kubeconfigPath], { env: { HOME: t.kubeHome } });
}

async function command(ui: Tui, cmd: string, title: RegExp): Promise<void> {
  await ui.press(':');
  await ui.type(cmd);
  await ui.press(KEY.enter);
  await ui.waitFor(title);
}

async function focus(ui: Tui, name: string) {
  await ui.press('/');
  await ui.type(`^${name}$`);
  await ui.press(KEY.enter);
  await ui.waitFor(`</^${name}$>`);
}

describe('claims and volumes in a terminal', { timeout: 120_000 }, () => {
  it('enter on a PVC lists the pods that mount it; v goes to its volume; enter on the PV comes back to the claim', async () => {
    const volume = (await t.kubectl(['get', 'pvc', 'data', '-o', 'jsonpath={.spec.volumeName}'])).stdout;
    expect(volume).toMatch(/^pvc-/);
    tui = open();
    await tui.waitFor('Pods(default)', 45_000);
    await command(tui, 'pvc', /PersistentVolumeClaims\(default\)/);
    await tui.waitFor(/data\s+Bound/);
    await focus(tui, 'data');
    const hints = await tui.waitFor('Volume');
    expect(hints).toContain('<v>');
    await tui.press(KEY.enter);
    const pods = await tui.waitFor(
      /reader\s+1\/1\s+Running[\s\S]*writer\s+1\/1\s+Running|writer\s+1\/1\s+Running[\s\S]*reader\s+1\/1\s+Running/,
    );
    expect(pods).toContain('pvc/data');
    expect(pods).not.toMatch(/loner/);
    await tui.press(KEY.esc);
    await tui.waitFor(/PersistentVolumeClaims\(default\)/);
    await tui.press('v');
    const pv = await tui.waitFor(new RegExp(`${volume.slice(0, 12)}\\S*\\s+1Gi\\s+RWO\\s+Delete\\s+Bound`));
    expect(pv).toContain('pvc/data');
    await tui.press(KEY.enter);
    await tui.waitFor(`pv/${volume}`);
    const back = await tui.waitFor(/data\s+Bound/);
    expect(back).not.toContain('spare');
  });

  it('enter on a claim no pod mounts shows an empty list; v on an unbound claim says why', async () => {
    await t.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        ...claim('nowhere'),
        spec: { ...claim('nowhere').spec, storageClassName: 'missing-class' },
      }),
    });
    tui = open();
    await tui.waitFor('Pods(default)', 45_000);
    await command(tui, 'pvc', /PersistentVolumeClaims\(default\)/);
    await tui.waitFor(/nowhere\s+Pending/);
    await focus(tui, 'nowhere');
    await tui.press('v');
    await tui.waitFor('pvc/nowhere is not bound to a volume (Pending)');
    await tui.press(KEY.enter);
    const empty = await tui.waitFor(/Pods\(default\)\[0\] pvc\/nowhere/);
    expect(empty).not.toMatch(/writer|reader|loner/);
  });
});
