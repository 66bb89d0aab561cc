import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openExec, STDOUT } from '../../source/client/exec.ts';
import { loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { loadProxyAgent, proxyAgent, proxyFor } from '../../source/client/proxy.ts';
import { connect, type ClusterSession } from '../../source/client/session.ts';
import { startConnectProxy, type ConnectProxy } from '../helpers/connect-proxy.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
let proxy: ConnectProxy;

beforeAll(async () => {
  t = await startTestEngine();
  proxy = await startConnectProxy();
  await t.kubectl(['create', 'namespace', 'px']);
  await t.kubectl(['run', 'sleeper', '-n', 'px', '--image=busybox', '--', 'sleep', '3600']);
  await waitFor(
    async () =>
      (await t.kubectl(['get', 'pod', 'sleeper', '-n', 'px', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running',
    60_000,
    'sleeper running',
  );
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  await t?.stop();
});

/** A kubeconfig for the engine under `server` (same port), optionally with a proxy-url. */
function kubeconfig(name: string, server: string, proxyUrl?: string): string {
  const path = join(t.kubeHome, `${name}.kubeconfig`);
  const cluster: Record<string, unknown> = {
    server,
    'certificate-authority-data': Buffer.from(t.engine.caCert).toString('base64'),
  };
  if (proxyUrl) cluster['proxy-url'] = proxyUrl;
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name, cluster }],
      users: [{ name: 'admin', user: { token: t.engine.token } }],
      contexts: [{ name, context: { cluster: name, user: 'admin', namespace: 'px' } }],
      'current-context': name,
    }),
  );
  return path;
}

const port = () => new URL(t.engine.url).port;

async function withEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

/** List, watch and exec through one session; returns what exec printed. */
async function listWatchExec(s: ClusterSession): Promise<string> {
  const pods = await s.transport.json<{ items: Array<{ metadata: { name: string } }> }>({
    path: '/api/v1/namespaces/px/pods',
  });
  expect(pods.items.map((p) => p.metadata.name)).toContain('sleeper');
  const { cache, release } = s.pool.acquire({ resource: s.registry.resolve('cm')!, namespace: 'px' });
  try {
    await vi.waitFor(() => expect(cache.getSnapshot().state).toBe('ready'), { timeout: 20_000 });
    await t.kubectl(['create', 'configmap', `seen-${Date.now()}`, '-n', 'px']);
    await vi.waitFor(() => expect(cache.getSnapshot().rows.some((r) => r.name.startsWith('seen-'))).toBe(true), {
      timeout: 20_000,
    });
  } finally {
    release();
  }
  const session = await openExec(s.transport, {
    namespace: 'px',
    pod: 'sleeper',
    command: ['echo', 'via-proxy'],
    tty: false,
    stdin: false,
  });
  let out = '';
  session.onOutput((ch, d) => ch === STDOUT && (out += d.toString()));
  await session.done;
  return out;
}

describe('proxies', () => {
  it('HTTPS_PROXY carries list, watch and the exec WebSocket to a server only the proxy can reach', async () => {
    // No resolver knows kubernetes.default.svc here (it is in the engine certificate's names):
    // every request that succeeds went through the proxy, which dials loopback.
    const path = kubeconfig('envproxy', `https://kubernetes.default.svc:${port()}`);
    const before = proxy.tunnels;
    const s = await withEnv(
      { HTTPS_PROXY: proxy.url, https_proxy: undefined, NO_PROXY: 'example.com', no_proxy: undefined },
      () => connect(loadKubeConfig({ path }), { timeoutMs: 20_000 }),
    );
    try {
      expect(await listWatchExec(s)).toBe('via-proxy\n');
    } finally {
      s.close();
    }
    expect(proxy.tunnels).toBeGreaterThan(before);
    expect(new Set(proxy.targets.slice(-3))).toEqual(new Set([`kubernetes.default.svc:${port()}`]));
  }, 120_000);

  it('proxy-url in the kubeconfig is used even for a loopback server, with one tunnel reused by keep-alive', async () => {
    const path = kubeconfig('proxyurl', t.engine.url, proxy.url);
    const before = proxy.tunnels;
    const s = await connect(loadKubeConfig({ path }), { timeoutMs: 20_000 });
    try {
      const afterConnect = proxy.tunnels;
      expect(afterConnect).toBeGreaterThan(before);
      for (let i = 0; i < 5; i++) await s.transport.json({ path: '/api/v1/namespaces/px/configmaps' });
      // Sequential requests reuse the pooled connection: not one tunnel each.
      expect(proxy.tunnels - afterConnect).toBeLessThan(5);
      expect(await listWatchExec(s)).toBe('via-proxy\n');
    } finally {
      s.close();
    }
  }, 120_000);

  it('NO_PROXY and loopback servers bypass the environment proxy, as in kubectl', async () => {
    const path = kubeconfig('noproxy', `https://kubernetes.default.svc:${port()}`);
    await withEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: '.svc,10.0.0.0/8' }, async () => {
      await expect(connect(loadKubeConfig({ path }), { timeoutMs: 10_000 })).rejects.toThrow(/cannot reach/);
    });
    const before = proxy.tunnels;
    await withEnv({ HTTPS_PROXY: proxy.url, NO_PROXY: undefined, no_proxy: undefined }, async () => {
      const s = await connect(loadKubeConfig({ path: t.engine.kubeconfigPath }), { timeoutMs: 20_000 });
      s.close();
    });
    expect(proxy.tunnels).toBe(before);
  }, 60_000);

  it('chooses proxies with Go’s rules', () => {
    const u = (s: string) => new URL(s);
    const env = {
      HTTPS_PROXY: 'proxy.corp:3128',
      HTTP_PROXY: 'http://plain:80',
      NO_PROXY: 'internal.corp,.svc.local,10.0.0.0/8,api.x:8443,*',
    };
    expect(proxyFor(u('https://a.example'), undefined, { HTTPS_PROXY: 'proxy.corp:3128' })?.href).toBe(
      'http://proxy.corp:3128/',
    );
    expect(
      proxyFor(u('http://a.example'), undefined, { HTTPS_PROXY: 'p:1', HTTP_PROXY: 'http://plain:80' })?.host,
    ).toBe('plain');
    expect(proxyFor(u('https://localhost:6443'), undefined, { HTTPS_PROXY: 'p:1' })).toBeUndefined();
    expect(proxyFor(u('https://127.0.0.5:6443'), undefined, { HTTPS_PROXY: 'p:1' })).toBeUndefined();
    expect(proxyFor(u('https://127.0.0.5:6443'), 'socks5://s:1080')?.protocol).toBe('socks5:');
    const no = { ...env, NO_PROXY: 'internal.corp,.svc.local,10.0.0.0/8,api.x:8443' };
    expect(proxyFor(u('https://internal.corp'), undefined, no)).toBeUndefined();
    expect(proxyFor(u('https://k8s.internal.corp'), undefined, no)).toBeUndefined();
    expect(proxyFor(u('https://svc.local'), undefined, no)).toBeDefined();
    expect(proxyFor(u('https://a.svc.local'), undefined, no)).toBeUndefined();
    expect(proxyFor(u('https://10.1.2.3:6443'), undefined, no)).toBeUndefined();
    expect(proxyFor(u('https://11.1.2.3:6443'), undefined, no)).toBeDefined();
    expect(proxyFor(u('https://api.x:8443'), undefined, no)).toBeUndefined();
    expect(proxyFor(u('https://api.x:443'), undefined, no)).toBeDefined();
    expect(proxyFor(u('https://anything'), undefined, env)).toBeUndefined();
  });

  it('tunnels through a SOCKS proxy with the agent module loaded on first use', async () => {
    const socks = new URL('socks5://127.0.0.1:1080');
    await loadProxyAgent(socks);
    expect(proxyAgent(new URL('https://10.0.0.1:6443'), socks, {}).constructor.name).toBe('SocksProxyAgent');
    const http = new URL('http://127.0.0.1:3128');
    await loadProxyAgent(http);
    expect(proxyAgent(new URL('https://10.0.0.1:6443'), http, {}).constructor.name).toBe('HttpsProxyAgent');
  });
});
