import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { spawnTui, type Tui } from './pty.ts';

// The TUI asks the API what the user may do (SelfSubjectAccessReview) and hides the rest.
let t: TestEngine;
let tui: Tui | undefined;
let viewerConfig: string;

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  await t.kubectl(['create', 'serviceaccount', 'viewer']);
  await t.kubectl(['create', 'rolebinding', 'viewer', '--clusterrole=view', '--serviceaccount=default:viewer']);
  await t.kubectl(['run', 'web', '--image=nginx']);
  const token = (await t.kubectl(['create', 'token', 'viewer'])).stdout.trim();
  viewerConfig = join(t.kubeHome, 'viewer.kubeconfig');
  const ca = Buffer.from(t.engine.caCert).toString('base64');
  writeFileSync(
    viewerConfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'skiff', cluster: { server: t.engine.url, 'certificate-authority-data': ca } }],
      users: [{ name: 'viewer', user: { token } }],
      contexts: [{ name: 'read-only', context: { cluster: 'skiff', user: 'viewer', namespace: 'default' } }],
      'current-context': 'read-only',
    }),
    { mode: 0o600 },
  );
}, 60_000);
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

describe('actions follow the user’s permissions', () => {
  it('a read-only context shows no Delete, Shell or Edit and refuses their keys; the admin sees them', async () => {
    tui = spawnTui(['--kubeconfig', viewerConfig], { env: { HOME: t.kubeHome } });
    await tui.waitFor('web', 60_000);
    await tui.waitFor((s) => s.includes('Logs') && !s.includes('Delete'), 30_000);
    const screen = tui.screen();
    for (const hidden of ['Delete', 'Shell', 'Edit']) expect(screen, hidden).not.toContain(hidden);
    expect(screen).toContain('Describe');
    await tui.press('\x04'); // ctrl-d: no confirmation dialog, a message instead
    await tui.waitFor('Delete: not permitted');
    expect(t.engine.ctx.store.get('pods', 'default', 'web')).toBeDefined();
    tui.kill();

    tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath], { env: { HOME: t.kubeHome } });
    await tui.waitFor('web', 60_000);
    await tui.waitFor((s) => s.includes('Delete') && s.includes('Shell'), 30_000);
  }, 180_000);
});
