import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { ApiClient, statusProblem } from '../reliability/support/client.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BAD_NAMES = [
  '../x',
  '..',
  '.',
  'a/b',
  '/etc/passwd',
  'x/../../etc',
  '..%2fetc',
  '%2e%2e',
  'a\\b',
  'a..b',
  '.hidden',
  '$(touch /tmp/skiff-pwned)',
  '`id`',
  'a;rm -rf /',
  'a|b',
  'a&&b',
  'a b',
  'a\nb',
  'a\u0000b',
  '-rf',
  'a-',
  'UPPER',
  'ünïcödé',
  'x'.repeat(300),
  '',
];
const podSpec = { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '1'] }] };
const KINDS: Array<[path: string, body: (name: string) => object]> = [
  ['/api/v1/namespaces/default/pods', (name) => ({ metadata: { name }, spec: podSpec })],
  ['/api/v1/namespaces/default/configmaps', (name) => ({ metadata: { name } })],
  ['/api/v1/namespaces/default/secrets', (name) => ({ metadata: { name } })],
  ['/api/v1/namespaces/default/services', (name) => ({ metadata: { name }, spec: { ports: [{ port: 80 }] } })],
  [
    '/apis/apps/v1/namespaces/default/deployments',
    (name) => ({
      metadata: { name },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: podSpec } },
    }),
  ],
  ['/api/v1/namespaces', (name) => ({ metadata: { name } })],
  ['/api/v1/nodes', (name) => ({ metadata: { name } })],
];

let t: TestEngine;
let api: ApiClient;
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  api = new ApiClient(t.engine.url, t.engine.token, t.engine.caCert);
});
afterAll(async () => {
  api?.close();
  await t?.stop();
});

async function refused(path: string, body: object): Promise<string | undefined> {
  const r = await api.request({
    method: 'POST',
    path,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (r.status !== 422) return `HTTP ${r.status}: ${r.text.slice(0, 200)}`;
  return statusProblem(r);
}

describe('names are validated before they reach a path or a process', () => {
  it('refuses path tricks and shell metacharacters in object names with 422, storing nothing', async () => {
    const rv = t.engine.ctx.store.currentRV();
    const failures: string[] = [];
    for (const [path, body] of KINDS) {
      for (const name of BAD_NAMES) {
        const p = await refused(path, body(name));
        if (p) failures.push(`${path} name ${JSON.stringify(name)}: ${p}`);
        // `a-` and a 300-character prefix make valid generated names (the prefix is cut to 58).
        if (name === 'a-' || name.length > 58) continue;
        const g = await refused(path, { ...body(''), metadata: { generateName: name || '../' } });
        if (g) failures.push(`${path} generateName ${JSON.stringify(name)}: ${g}`);
      }
    }
    expect(failures).toEqual([]);
    expect(t.engine.ctx.store.currentRV()).toBe(rv);
  });

  it('refuses bad namespaces in the body and bad container names in pods', async () => {
    const failures: string[] = [];
    for (const bad of ['../kube-system', 'a/b', 'UPPER', '$(id)', '.']) {
      const ns = await refused('/api/v1/namespaces/default/configmaps', { metadata: { name: 'ok', namespace: bad } });
      // A namespace that disagrees with the URL is a 400; either way nothing is stored.
      if (ns && !ns.startsWith('HTTP 400')) failures.push(`namespace ${bad}: ${ns}`);
      const c = await refused('/api/v1/namespaces/default/pods', {
        metadata: { name: 'ok' },
        spec: { containers: [{ name: bad, image: 'busybox' }] },
      });
      if (c) failures.push(`container name ${bad}: ${c}`);
    }
    expect(failures).toEqual([]);
    expect(t.engine.ctx.store.get('pods', 'default', 'ok')).toBeUndefined();
  });

  it('accepts only names that are DNS subdomains or labels (nothing that could escape a directory)', async () => {
    const dns = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
    for (const { object } of t.engine.ctx.store.dump()) {
      const name = object.metadata.name!;
      // RBAC names are path segments upstream (`system:aggregate-to-admin`): no `/`, `%`, `.` or `..`.
      if (String(object.apiVersion).startsWith('rbac.authorization.k8s.io/')) {
        expect(name).toMatch(/^[^/%]+$/);
        expect(['.', '..']).not.toContain(name);
      } else expect(name).toMatch(dns);
    }
  });

  it('never runs a command through a shell (static check of the engine and cluster sources)', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name)) {
          const src = readFileSync(p, 'utf8');
          for (const re of [
            /shell\s*:\s*true/,
            /\bexecSync\s*\(/,
            /\bexecaCommand(Sync)?\b/,
            /from 'node:child_process'[^\n]*\bexec\b/,
          ]) {
            if (re.test(src)) offenders.push(`${p}: ${re}`);
          }
        }
      }
    };
    walk(join(ROOT, 'source', 'engine'));
    walk(join(ROOT, 'source', 'cluster'));
    expect(offenders).toEqual([]);
  });
});
