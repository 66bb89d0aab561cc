import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { Transport } from '../../source/client/transport.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { pluginLogin, type PluginLogin } from '../helpers/exec-plugin.ts';

let t: TestEngine;
const open: Transport[] = [];
const logins: PluginLogin[] = [];

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
}, 60_000);
afterAll(async () => {
  for (const l of logins) rmSync(l.dir, { recursive: true, force: true });
  await t?.stop();
});
afterEach(() => {
  for (const tr of open.splice(0)) tr.close();
});

async function login(opts: Parameters<typeof pluginLogin>[1] = {}): Promise<PluginLogin> {
  const l = await pluginLogin(t, opts);
  logins.push(l);
  return l;
}

function transport(l: PluginLogin): Transport {
  const tr = new Transport(loadKubeConfig({ path: l.kubeconfig }));
  open.push(tr);
  return tr;
}

const whoami = (tr: Transport) =>
  tr.json<{ status: { userInfo: { username: string } } }>({
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });

describe('exec credential plugins', () => {
  it('caches the credential until its expirationTimestamp, then runs the plugin again by itself', async () => {
    const l = await login({ ttlSeconds: 2 });
    const tr = transport(l);
    expect((await whoami(tr)).status.userInfo.username).toBe('system:serviceaccount:default:plugin-user');
    await tr.json({ path: '/api/v1/namespaces' });
    expect(l.runs()).toBe(1);
    // Wait out the claimed lifetime; the next request needs no 401 to get a new credential.
    const expires = Date.now() + 2_100;
    while (Date.now() < expires) await new Promise((r) => setTimeout(r, 200));
    await tr.json({ path: '/api/v1/namespaces' });
    expect(l.runs()).toBe(2);
  }, 60_000);

  it('a 401 (token revoked on the server) runs the plugin again and the request succeeds', async () => {
    const l = await login();
    const tr = transport(l);
    await tr.json({ path: '/api/v1/namespaces' });
    expect(l.runs()).toBe(1);
    const old = (await tr.authOptions()).headers as Record<string, string>;
    await l.revokeLatest();
    // The old token is refused now (so a 401 is what the transport meets), and it recovers.
    const refused = await new Promise<number>((resolve, reject) =>
      https
        .get(
          `${t.engine.url}/api/v1/namespaces`,
          { ca: t.engine.caCert, headers: { authorization: old.authorization! } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
        .on('error', reject),
    );
    expect(refused).toBe(401);
    const list = await tr.json<{ items: unknown[] }>({ path: '/api/v1/namespaces' });
    expect(list.items.length).toBeGreaterThan(0);
    expect(l.runs()).toBe(2);
    expect(l.issued()).toHaveLength(2);
  }, 60_000);

  it('passes the plugin’s stderr on while it waits (a device-code prompt), and the login completes', async () => {
    const l = await login({ prompt: true });
    const tr = transport(l);
    const said: string[] = [];
    tr.credentials.plugin!.onStderr((line) => said.push(line));
    const req = tr.json<{ items: unknown[] }>({ path: '/api/v1/namespaces' });
    while (!said.length) await new Promise((r) => setTimeout(r, 50));
    expect(said[0]).toBe('To sign in, open https://login.example.test/device and enter the code SKIF-F00D');
    l.approve();
    expect((await req).items.length).toBeGreaterThan(0);
    expect(said).toContain('Signed in.');
  }, 60_000);

  it('a plugin that never answers is killed after the timeout, and the error carries what it printed', async () => {
    const l = await login({ prompt: true });
    const tr = new Transport(loadKubeConfig({ path: l.kubeconfig }));
    open.push(tr);
    // The same kubeconfig with a short plugin timeout (the default is two minutes).
    const { Credentials } = await import('../../source/client/credentials.ts');
    const creds = new Credentials(loadKubeConfig({ path: l.kubeconfig }), { pluginTimeoutMs: 1500 });
    try {
      await expect(creds.requestOptions()).rejects.toThrow(
        /did not answer within 2s:\nTo sign in, open https:\/\/login\.example\.test\/device/,
      );
    } finally {
      creds.close();
    }
  }, 60_000);

  it('interactiveMode: Always with no terminal to lend is refused with what to do, not a hang', async () => {
    const l = await login({ interactiveMode: 'Always' });
    const tr = transport(l);
    await expect(tr.json({ path: '/api/v1/namespaces' })).rejects.toThrow(
      /needs a terminal \(interactiveMode: Always\).*kubectl get namespaces/,
    );
    expect(l.runs()).toBe(0);
  });

  it('client certificates from the plugin: one agent per certificate, a new one when it changes', async () => {
    const certDir = mkdtempSync(join(tmpdir(), 'skiff-plugin-certs-'));
    try {
      for (const n of [1, 2]) {
        await execa('openssl', [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '1',
          '-subj',
          `/CN=user-${n}`,
          '-keyout',
          join(certDir, `key-${n}.pem`),
          '-out',
          join(certDir, `cert-${n}.pem`),
        ]);
      }
      const l = await login({ ttlSeconds: 3600, certDir });
      const tr = transport(l);
      const first = await tr.authOptions();
      expect(String(first.cert)).toContain('BEGIN CERTIFICATE');
      expect((await tr.authOptions()).agent).toBe(first.agent);
      await tr.json({ path: '/api/v1/namespaces' });
      await l.revokeLatest();
      await tr.json({ path: '/api/v1/namespaces' }); // 401, plugin run 2: a new certificate
      const second = await tr.authOptions();
      expect(l.runs()).toBe(2);
      expect(second.cert).not.toEqual(first.cert);
      expect(second.agent).not.toBe(first.agent);
    } finally {
      rmSync(certDir, { recursive: true, force: true });
    }
  }, 60_000);
});
