import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL } from '../helpers/engine.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'skiff-daemon-'));
const home = join(dir, 'skiff');
const kubeHome = join(dir, 'home');
const userKubeconfig = join(dir, 'user-kubeconfig');

/** `skiff ...` as a user runs it, with SKIFF_HOME and KUBECONFIG of this test. */
function skiff(...args: string[]) {
  return execa(process.execPath, [join(ROOT, 'bin', 'skiff.js'), ...args], {
    env: {
      SKIFF_HOME: home,
      KUBECONFIG: userKubeconfig,
      HOME: kubeHome,
      PATH: process.env.PATH,
      SKIFF_TIME_SCALE: '0.1',
    },
    extendEnv: false,
    reject: false,
    timeout: 90_000,
  });
}

/** Plain kubectl with the user's kubeconfig, as after `skiff cluster up`. */
function kubectl(...args: string[]) {
  return execa(KUBECTL, args, {
    env: { KUBECONFIG: userKubeconfig, HOME: kubeHome, PATH: process.env.PATH },
    extendEnv: false,
    reject: false,
  });
}

beforeAll(() => {
  // A user kubeconfig with another context already in it: `up` must merge, not overwrite.
  writeFileSync(
    userKubeconfig,
    'apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: other\n  user: {token: x}\ncontexts:\n- name: other\n  context: {cluster: other, user: other}\ncurrent-context: other\n',
  );
});
afterAll(async () => {
  await skiff('cluster', 'down');
  rmSync(dir, { recursive: true, force: true });
});

describe('skiff cluster up / down / status / reset', () => {
  it('comes up with Ready nodes, merges a current skiff context, and keeps state across down/up', async () => {
    const up = await skiff('cluster', 'up');
    expect(up.exitCode, String(up.stderr)).toBe(0);
    expect(up.stdout).toContain('skiff cluster is up at https://127.0.0.1:');
    const cfg = parse(readFileSync(userKubeconfig, 'utf8'));
    expect(cfg['current-context']).toBe('skiff');
    expect(cfg.contexts.map((c: { name: string }) => c.name).sort()).toEqual(['other', 'skiff']);
    expect(statSync(join(home, 'kubeconfig')).mode & 0o777).toBe(0o600);
    expect(statSync(home).mode & 0o777).toBe(0o700);

    expect((await kubectl('get', 'nodes')).stdout).toMatch(/node2\s+Ready/);
    const again = await skiff('cluster', 'up');
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('already running');

    expect((await kubectl('create', 'namespace', 'keep')).exitCode).toBe(0);
    expect((await kubectl('create', 'configmap', 'kept', '-n', 'keep', '--from-literal=a=b')).exitCode).toBe(0);
    const before = JSON.parse((await kubectl('get', 'cm', 'kept', '-n', 'keep', '-o', 'json')).stdout);

    const status = await skiff('cluster', 'status');
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/node1: Ready/);

    expect((await skiff('cluster', 'down')).stdout).toContain('stopped');
    const stopped = await skiff('cluster', 'status');
    expect(stopped.exitCode).toBe(3);
    expect(stopped.stdout).toContain('not running');

    expect((await skiff('cluster', 'up')).exitCode).toBe(0);
    const after = JSON.parse((await kubectl('get', 'cm', 'kept', '-n', 'keep', '-o', 'json')).stdout);
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.data).toEqual({ a: 'b' });
  });

  it('reset removes the state and the skiff context', async () => {
    const r = await skiff('cluster', 'reset');
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(home, 'state.db'))).toBe(false);
    const cfg = parse(readFileSync(userKubeconfig, 'utf8'));
    expect(cfg.contexts.map((c: { name: string }) => c.name)).toEqual(['other']);
  });
});
