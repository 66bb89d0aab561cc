import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

// The README's "Use it from Python / JavaScript" snippets are examples/*: they run as written.
const ROOT = join(import.meta.dirname, '..', '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
});
afterAll(async () => t?.stop());

const env = () => ({ HOME: t.kubeHome, KUBECONFIG: t.engine.kubeconfigPath, PATH: process.env.PATH });

it('the README shows the examples verbatim', () => {
  for (const f of ['examples/python-client.py', 'examples/client-node.mjs'])
    expect(README).toContain(readFileSync(join(ROOT, f), 'utf8'));
});

it('the Python snippet runs with Debian’s python3-kubernetes', async () => {
  const r = await execa('/usr/bin/python3', ['examples/python-client.py'], { cwd: ROOT, env: env(), extendEnv: false });
  expect(r.stdout).toContain("'default'");
  expect(r.stdout).toContain("ADDED hello-py {'from': 'python'}");
  expect(t.engine.ctx.store.get('configmaps', 'default', 'hello-py')).toBeUndefined();
});

it('the JavaScript snippet runs with @kubernetes/client-node', async () => {
  const r = await execa('node', ['examples/client-node.mjs'], { cwd: ROOT, env: env(), extendEnv: false });
  expect(r.stdout).toContain("'default'");
  expect(r.stdout).toContain("hello-js { from: 'javascript' }");
});
