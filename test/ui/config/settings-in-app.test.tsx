import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../../helpers/engine.ts';
import { KEYS, renderApp, type AppHarness } from '../harness.tsx';

// config.yaml's settings as the TUI applies them, on a real engine.
let t: TestEngine;
let app: AppHarness | undefined;
const dirs: string[] = [];

beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => {
  await t?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  app?.unmount();
  app = undefined;
});

function configDir(config: string): string {
  const d = mkdtempSync(join(tmpdir(), 'skiff-cfg-'));
  dirs.push(d);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'config.yaml'), config);
  return d;
}

async function focus(a: AppHarness, name: string) {
  await a.press('/');
  await a.type(`^${name}$`);
  await a.press(KEYS.enter);
  await a.waitFor((f) => f.includes(`</^${name}$>`) && f.includes(name));
}

describe('config.yaml in the TUI', () => {
  it('confirm: never deletes without asking; defaultView picks the first view', async () => {
    await t.kubectl(['create', 'configmap', 'gone', '--from-literal=k=v']);
    app = renderApp({
      kubeconfigPath: t.engine.kubeconfigPath,
      configDir: configDir('skiff:\n  confirm: never\n  defaultView: cm\n'),
    });
    await app.waitFor((f) => f.includes('ConfigMaps(default)') && f.includes('gone'));
    await focus(app, 'gone');
    await app.press(KEYS.ctrlD);
    await app.waitFor('configmap/gone deleted');
    expect(app.frame()).not.toContain('Delete configmap/gone');
    await waitFor(async () => (await t.kubectl(['get', 'cm', 'gone'], { reject: false })).exitCode !== 0);
  });

  it('readOnly in a context override hides the keys that change the cluster, live', async () => {
    const dir = configDir('skiff:\n  defaultView: cm\n');
    app = renderApp({ kubeconfigPath: t.engine.kubeconfigPath, configDir: dir });
    await app.waitFor((f) => f.includes('ConfigMaps(default)') && f.includes('<ctrl-d> Delete'));
    const context = app.controller.state.header.context!;
    writeFileSync(
      join(dir, 'config.yaml'),
      `skiff:\n  defaultView: cm\n  contexts:\n    ${context}:\n      readOnly: true\n`,
    );
    await app.waitFor((f) => f.includes('Configuration reloaded') && !f.includes('<ctrl-d> Delete'), 30_000);
    expect(app.controller.state.readonly).toBe(true);
  });
});
