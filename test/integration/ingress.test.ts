import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;

/** A pod answering `<name> <host> <path>` on its pod IP, port 8080. */
const echo = (name: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: echo
          image: python:3.12
          command: [/usr/bin/python3, -c]
          args:
            - |
              import http.server, os
              class H(http.server.BaseHTTPRequestHandler):
                  def do_GET(self):
                      body = f"${name} {self.headers.get('Host')} {self.path}\\n".encode()
                      self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
                  def log_message(self, *a): pass
              http.server.ThreadingHTTPServer((os.environ['POD_IP'], 8080), H).serve_forever()
          env: [{ name: POD_IP, valueFrom: { fieldRef: { fieldPath: status.podIP } } }]
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 }
---
apiVersion: v1
kind: Service
metadata: { name: ${name} }
spec:
  selector: { app: ${name} }
  ports: [{ name: web, port: 80, targetPort: http }]
`;

const INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: web }
spec:
  tls: [{ hosts: [a.example.com], secretName: a-tls }]
  rules:
    - host: a.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: a, port: { number: 80 } } } }
    - host: b.example.com
      http:
        paths:
          - { path: /api, pathType: Prefix, backend: { service: { name: b, port: { name: web } } } }
          - { path: /exact, pathType: Exact, backend: { service: { name: a, port: { number: 80 } } } }
    - host: "*.wild.test"
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: b, port: { number: 80 } } } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: fallback }
spec:
  defaultBackend: { service: { name: b, port: { number: 80 } } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: broken }
spec:
  rules:
    - host: broken.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: nope, port: { number: 80 } } } }
`;

let ip = '';
let base = '';

const get = async (path: string, host: string) => {
  const r = await execa('curl', ['-s', '-m', '10', '-w', '\\n%{http_code}', '-H', `Host: ${host}`, `${base}${path}`]);
  const lines = String(r.stdout).split('\n');
  return { status: Number(lines.pop()), body: lines.join('\n').trim() };
};

beforeAll(async () => {
  t = await startTestEngine(process.env.DEBUG_INGRESS ? { log: (m) => console.log(m) } : {});
  const dir = mkdtempSync(join(tmpdir(), 'skiff-tls-'));
  await execa('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=a.example.com',
    '-keyout',
    join(dir, 'k'),
    '-out',
    join(dir, 'c'),
    '-days',
    '2',
  ]);
  await t.kubectl(['create', 'secret', 'tls', 'a-tls', `--cert=${join(dir, 'c')}`, `--key=${join(dir, 'k')}`]);
  expect(readFileSync(join(dir, 'c'), 'utf8')).toContain('BEGIN CERTIFICATE');
  await t.kubectl(['apply', '-f', '-'], { input: echo('a') + '---' + echo('b') });
  await t.kubectl(['rollout', 'status', 'deployment/a', 'deployment/b', '--timeout=60s']);
  await t.kubectl(['apply', '-f', '-'], { input: INGRESS });
  const status = await waitFor(
    async () => {
      const ing = JSON.parse((await t.kubectl(['get', 'ingress', 'web', '-o', 'json'])).stdout);
      return ing.status?.loadBalancer?.ingress?.[0];
    },
    20_000,
    'ingress address',
  );
  ip = status.ip;
  const port = status.ports?.[0]?.port ?? 80;
  base = `http://${ip}:${port}`;
});
afterAll(async () => {
  await t?.stop();
});

describe('Ingress with the built-in controller (class skiff)', () => {
  it('has the default IngressClass skiff, and kubectl shows the class and ADDRESS', async () => {
    expect((await t.kubectl(['get', 'ingressclass'])).stdout).toMatch(
      /^skiff\s+skiff\.dev\/ingress-controller\s+<none>/m,
    );
    const out = (await t.kubectl(['get', 'ingress'])).stdout;
    expect(out).toMatch(/^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE/);
    expect(out).toMatch(
      new RegExp(
        `^web\\s+skiff\\s+a\\.example\\.com,b\\.example\\.com,\\*\\.wild\\.test\\s+${ip.replaceAll('.', '\\.')}\\s+80, 443`,
        'm',
      ),
    );
    expect(ip).toMatch(/^127\.200\.\d+\.1$/);
  });

  it('routes by Host header and path: Prefix by path element, Exact, wildcard hosts, default backend', async () => {
    expect(await get('/anything', 'a.example.com')).toEqual({ status: 200, body: 'a a.example.com /anything' });
    expect((await get('/api/v1?x=1', 'b.example.com')).body).toBe('b b.example.com /api/v1?x=1');
    expect((await get('/api', 'b.example.com')).body).toMatch(/^b /);
    expect((await get('/exact', 'b.example.com')).body).toMatch(/^a /);
    expect((await get('/exact/more', 'b.example.com')).body).toMatch(/^b /); // not Exact: falls to the default backend
    expect((await get('/x', 'x.wild.test')).body).toMatch(/^b x\.wild\.test/);
    // /apis is not under /api: the default backend (b, from the ingress "fallback") answers.
    expect((await get('/apis', 'b.example.com')).body).toBe('b b.example.com /apis');
    expect((await get('/', 'unknown.example.com')).body).toMatch(/^b /);
  });

  it('answers 503 with a clear body for a missing service', async () => {
    const r = await get('/', 'broken.example.com');
    expect(r.status).toBe(503);
    expect(r.body).toContain('service "default/nope" not found (ingress default/broken)');
  });

  it('serves TLS with the certificate of the Secret picked by SNI', async () => {
    const ing = JSON.parse((await t.kubectl(['get', 'ingress', 'web', '-o', 'json'])).stdout);
    const port = ing.status.loadBalancer.ingress[0].ports?.[1]?.port ?? 443;
    const cn = await new Promise<string>((resolve, reject) => {
      const s = connect({ host: ip, port, servername: 'a.example.com', rejectUnauthorized: false }, () => {
        resolve(String(s.getPeerCertificate().subject.CN));
        s.end();
      });
      s.on('error', reject);
    });
    expect(cn).toBe('a.example.com');
    const r = await execa('curl', [
      '-sk',
      '-m',
      '10',
      '--resolve',
      `a.example.com:${port}:${ip}`,
      `https://a.example.com:${port}/secure`,
    ]);
    expect(r.stdout).toBe(`a a.example.com${port === 443 ? '' : `:${port}`} /secure`);
  });

  it('oldest wins a conflicting rule; the newer ingress gets an event', async () => {
    await t.kubectl(['create', 'ingress', 'dup', '--rule=a.example.com/*=b:80']);
    const ev = await waitFor(
      async () =>
        (
          await t.kubectl([
            'get',
            'events',
            '--field-selector',
            'reason=RuleConflict,involvedObject.name=dup',
            '-o',
            'jsonpath={.items[*].message}',
          ])
        ).stdout,
      20_000,
      'conflict event',
    );
    expect(ev).toContain('already served by the older ingress default/web');
    expect((await get('/', 'a.example.com')).body).toMatch(/^a /);
    await t.kubectl(['delete', 'ingress', 'web']);
    await waitFor(async () => (await get('/', 'a.example.com')).body.startsWith('b '), 20_000, 'dup takes over');
  });

  it('gives a LoadBalancer Service a loopback address instead of <pending>, and it answers', async () => {
    await t.kubectl([
      'expose',
      'deployment',
      'a',
      '--name=a-lb',
      '--type=LoadBalancer',
      '--port=8081',
      '--target-port=8080',
    ]);
    const lbIP = await waitFor(
      async () =>
        (await t.kubectl(['get', 'svc', 'a-lb', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'])).stdout,
      20_000,
      'LB address',
    );
    expect(lbIP).toMatch(/^127\.200\.\d+\.([2-9]|\d\d+)$/);
    expect((await t.kubectl(['get', 'svc', 'a-lb'])).stdout).toMatch(
      new RegExp(`a-lb\\s+LoadBalancer\\s+\\S+\\s+${lbIP.replaceAll('.', '\\.')}\\s+8081:`),
    );
    const body = await waitFor(
      async () => (await execa('curl', ['-s', '-m', '5', `http://${lbIP}:8081/lb`], { reject: false })).stdout,
      20_000,
      'LB answers',
    );
    expect(body).toBe(`a ${lbIP}:8081 /lb`);
  });
});
