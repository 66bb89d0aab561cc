import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../helpers/api-request.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
beforeAll(async () => {
  // No controllers: a deleted namespace stays Terminating.
  t = await startTestEngine({ apiOnly: true });
});
afterAll(async () => t?.stop());

describe('API details users meet', () => {
  it('never deletes the system namespaces, even with --all', async () => {
    await t.kubectl(['create', 'namespace', 'scratch']);
    const one = await t.kubectl(['delete', 'namespace', 'kube-system'], { reject: false });
    expect(one.exitCode).not.toBe(0);
    expect(one.stderr).toContain(
      'Error from server (Forbidden): namespaces "kube-system" is forbidden: this namespace may not be deleted',
    );
    const all = await t.kubectl(['delete', 'ns', '--all', '--wait=false'], { reject: false });
    expect(all.stdout).toContain('namespace "scratch" deleted');
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      expect(all.stderr).toContain(`namespaces "${ns}" is forbidden: this namespace may not be deleted`);
    }
    const left = (await t.kubectl(['get', 'ns', '-o', 'name'])).stdout;
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      expect(left).toContain(`namespace/${ns}`);
    // Nothing new in a terminating namespace.
    const create = await t.kubectl(['create', 'configmap', 'x', '-n', 'scratch'], { reject: false });
    expect(create.stderr).toContain('unable to create new content in namespace scratch because it is being terminated');
  });

  it('words a body of the wrong kind as the apiserver does', async () => {
    const res = await apiRequest(t, '/api/v1/namespaces', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      }),
    });
    expect(res.status).toBe(400);
    const status = await res.json();
    expect(status.reason).toBe('BadRequest');
    expect(status.message).toMatch(/^the object provided is unrecognized \(must be of type Namespace\)/);
  });

  it('publishes storageVersionHash in discovery', async () => {
    const list = await (await apiRequest(t, '/apis/apps/v1')).json();
    const deploy = list.resources.find((r: { name: string }) => r.name === 'deployments');
    expect(deploy.storageVersionHash).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    const core = await (await apiRequest(t, '/api/v1')).json();
    const pods = core.resources.find((r: { name: string }) => r.name === 'pods');
    expect(pods.storageVersionHash).not.toBe(deploy.storageVersionHash);
  });
});
