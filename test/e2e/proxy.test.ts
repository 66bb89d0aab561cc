import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

let t: TestEngine;
let proxy: ConnectProxy;
let tui: Tui | undefined;
let kubeconfig: string;

beforeAll(async () => {
  t = await startTestEngine();
  proxy = await startConnectProxy();
  await t.kubectl(['run', 'behind', '--image=busybox', '--', 'sleep', '3600']);
  await waitFor(
    async () => (await t.kubectl(['get', 'pod', 'behind', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running',
    60_000,
    'behind running',
  );
  // A server name only the proxy can reach (it is in the engine certificate; no resolver knows it).
  kubeconfig = join(t.kubeHome, 'proxied.kubeconfig');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'corp',
          cluster: {
            server: `https://kubernetes.default.svc:${new URL(t.engine.url).port}`,
            'certificate-authority-data': Buffer.from(t.engine.caCert).toString('base64'),
          },
        },
      ],
      users: [{ name: 'admin', user: { token: t.engine.token } }],
      contexts: [{ name: 'corp', context: { cluster: 'corp', user: 'admin', namespace: 'default' } }],
      'current-context': 'corp',
    }),
  );
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await t?.stop();
});
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

describe('the TUI behind an HTTPS_PROXY', () => {
  it('lists, watches and opens a shell through the proxy', async () => {
    tui = spawnTui(['--kubeconfig', kubeconfig], {
      env: { HOME: t.kubeHome, HTTPS_PROXY: proxy.url, NO_PROXY: '', no_proxy: '', https_proxy: '' },
    });
    await tui.waitFor('behind', 60_000);
    await t.kubectl(['create', 'configmap', 'watched-through-proxy']);
    await tui.press(':');
    await tui.type('cm');
    await tui.press(KEY.enter);
    await tui.waitFor('watched-through-proxy', 30_000);
    await t.kubectl(['create', 'configmap', 'arrived-by-watch']);
    await tui.waitFor('arrived-by-watch', 30_000);
    await tui.press(':');
    await tui.type('po');
    await tui.press(KEY.enter);
    await tui.waitFor('Pods(default)');
    await tui.press('/');
    await tui.type('^behind$');
    await tui.press(KEY.enter);
    await tui.press('s');
    await tui.waitFor('shell in behind', 30_000);
    await tui.waitFor(/[#$] $/m, 30_000);
    await tui.type('echo "proxied-$((6*7))"\r');
    await tui.waitFor('proxied-42', 30_000);
    await tui.type('exit\r');
    await tui.waitFor('Shell exited', 30_000);
    expect(proxy.tunnels).toBeGreaterThan(0);
    expect(new Set(proxy.targets)).toEqual(new Set([`kubernetes.default.svc:${new URL(t.engine.url).port}`]));
  }, 150_000);
});
