import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { ApiClient, statusProblem } from '../reliability/support/client.ts';

// Every API surface the engine serves; each must refuse a request without the right token.
const NS = '/api/v1/namespaces/default';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const PATHS: Array<[method: string, path: string, contentType?: string, body?: string]> = [
  ['GET', '/api'],
  ['GET', '/apis'],
  ['GET', '/api/v1'],
  ['GET', '/apis/apps'],
  ['GET', '/apis/apps/v1'],
  ['GET', '/openapi/v3'],
  ['GET', '/openapi/v3/api/v1'],
  ['GET', '/openapi/v2'],
  ['GET', '/version'],
  ['GET', '/api/v1/nodes'],
  ['GET', '/api/v1/pods'],
  ['GET', `${NS}/pods`],
  ['GET', `${NS}/pods/p`],
  ['GET', `${NS}/pods?watch=true`],
  ['GET', `${NS}/pods?watch=true&resourceVersion=1`],
  ['GET', `${NS}/secrets`],
  ['GET', `${NS}/secrets/s`],
  ['POST', `${NS}/configmaps`, 'application/json', JSON.stringify({ metadata: { name: 'intruder' } })],
  ['POST', `${NS}/configmaps`, 'application/vnd.kubernetes.protobuf', 'k8s\0'],
  [
    'PUT',
    `${NS}/configmaps/c`,
    'application/json',
    JSON.stringify({ metadata: { name: 'c' }, data: { owned: 'yes' } }),
  ],
  ['PATCH', `${NS}/configmaps/c`, 'application/merge-patch+json', JSON.stringify({ data: { owned: 'yes' } })],
  ['PATCH', `${NS}/configmaps/c`, 'application/json-patch+json', '[]'],
  ['PATCH', `${NS}/configmaps/c`, 'application/strategic-merge-patch+json', '{}'],
  ['DELETE', `${NS}/configmaps/c`],
  ['DELETE', `${NS}/configmaps`],
  ['GET', `${NS}/pods/p/status`],
  ['PUT', `${NS}/pods/p/status`, 'application/json', '{}'],
  ['PATCH', `${NS}/pods/p/status`, 'application/merge-patch+json', '{"status":{"phase":"Failed"}}'],
  ['GET', `${DEPLOY}/d/scale`],
  ['PUT', `${DEPLOY}/d/scale`, 'application/json', '{"spec":{"replicas":9}}'],
  ['PATCH', `${DEPLOY}/d/scale`, 'application/merge-patch+json', '{"spec":{"replicas":9}}'],
  ['POST', `${NS}/pods/p/binding`, 'application/json', '{"target":{"name":"node1"}}'],
  ['POST', `${NS}/pods/p/eviction`, 'application/json', '{}'],
  ['GET', `${NS}/pods/p/log`],
  ['GET', `${NS}/pods/p/log?follow=true`],
  ['POST', `${NS}/pods/p/exec?command=sh`],
  ['GET', `${NS}/pods/p/attach`],
  ['POST', `${NS}/pods/p/portforward`],
  ['PUT', '/api/v1/namespaces/default/finalize', 'application/json', '{}'],
  ['GET', '/skiff/v1/nodes'],
  ['GET', '/skiff/v1/clock'],
  ['POST', '/skiff/v1/nodes/node1/stop'],
  ['POST', '/skiff/v1/nodes/node1/start'],
  ['GET', '/apis/discovery.k8s.io/v1/endpointslices'],
  ['GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases'],
  ['GET', '/'],
  ['GET', '/metrics'],
  ['GET', '/no/such/path'],
];

let t: TestEngine;
let api: ApiClient;
const sameLengthWrong = () => api.token.replace(/./g, (c) => (c === 'a' ? 'b' : 'a'));
const BAD_AUTH: Array<[string, Record<string, string>]> = [];

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  api = new ApiClient(t.engine.url, t.engine.token, t.engine.caCert);
  BAD_AUTH.push(
    ['no Authorization header', {}],
    ['a wrong token of the same length', { Authorization: `Bearer ${sameLengthWrong()}` }],
    ['a wrong short token', { Authorization: 'Bearer x' }],
    ['an empty bearer token', { Authorization: 'Bearer ' }],
    ['the token with a suffix', { Authorization: `Bearer ${api.token}0` }],
    [
      'the token as Basic credentials',
      { Authorization: `Basic ${Buffer.from(`admin:${api.token}`).toString('base64')}` },
    ],
    ['the token without a scheme', { Authorization: api.token }],
  );
  const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
  expect((await api.json('POST', `${NS}/pods`, pod)).status).toBe(201);
  expect((await api.json('POST', `${NS}/configmaps`, { metadata: { name: 'c' }, data: { a: '1' } })).status).toBe(201);
  expect((await api.json('POST', `${NS}/secrets`, { metadata: { name: 's' }, stringData: { a: '1' } })).status).toBe(
    201,
  );
  const deploy = {
    metadata: { name: 'd' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: pod.spec },
    },
  };
  expect((await api.json('POST', DEPLOY, deploy)).status).toBe(201);
});
afterAll(async () => {
  api?.close();
  await t?.stop();
});

describe('authentication on every API path', () => {
  it('refuses a missing or wrong token with a 401 Status, and changes nothing', async () => {
    const rvBefore = t.engine.ctx.store.currentRV();
    const failures: string[] = [];
    for (const [label, auth] of BAD_AUTH) {
      for (const [method, path, ct, body] of PATHS) {
        const headers: Record<string, string> = { ...auth };
        if (ct) headers['Content-Type'] = ct;
        const r = await api.request({ method, path, headers, body, token: null, timeoutMs: 5_000 });
        const problem = r.status !== 401 ? `HTTP ${r.status}` : statusProblem(r);
        if (problem) failures.push(`${method} ${path} with ${label}: ${problem}`);
      }
    }
    expect(failures).toEqual([]);
    expect(t.engine.ctx.store.currentRV()).toBe(rvBefore);
    expect(t.engine.ctx.store.get('configmaps', 'default', 'c')?.data).toEqual({ a: '1' });
  });

  it('refuses WebSocket upgrades of exec, attach and portforward with HTTP 401', async () => {
    const failures: string[] = [];
    for (const sub of ['exec?command=sh&stdin=true&stdout=true', 'attach?stdout=true', 'portforward?ports=80']) {
      for (const [label, auth] of BAD_AUTH) {
        const status = await upgradeStatus(`${NS}/pods/p/${sub}`, auth);
        if (status !== 401) failures.push(`${sub} with ${label}: ${status}`);
      }
      // With the right token the upgrade gets past authentication (no kubelet in apiOnly: 503).
      const ok = await upgradeStatus(`${NS}/pods/p/${sub}`, { Authorization: `Bearer ${api.token}` });
      if (ok === 401) failures.push(`${sub} refused the right token`);
    }
    expect(failures).toEqual([]);
  });

  it('answers only /livez, /readyz and /healthz without a token', async () => {
    for (const p of ['/livez', '/readyz', '/healthz', '/readyz?verbose']) {
      const r = await api.request({ path: p, token: null });
      expect(r.status, p).toBe(200);
    }
    // Health paths do not open anything beneath them.
    for (const p of ['/livez/../api/v1/secrets', '/healthz/x', '/readyz/', '/livez%2f..%2fapi']) {
      const r = await api.request({ path: p, token: null });
      expect(r.status, p).toBeGreaterThanOrEqual(400);
      expect(r.text, p).not.toContain('"kind":"SecretList"');
    }
  });

  it('accepts the right token (the control)', async () => {
    for (const p of ['/api', '/version', `${NS}/pods/p`, `${NS}/secrets/s`, '/openapi/v3']) {
      expect((await api.request({ path: p })).status, p).toBe(200);
    }
  });
});

function upgradeStatus(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://${api.host}:${api.port}${path}`, ['v4.channel.k8s.io'], {
      ca: api.ca,
      headers,
      handshakeTimeout: 5_000,
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.on('error', (e) => reject(e));
  });
}
