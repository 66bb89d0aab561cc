import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

let t: TestEngine;
beforeAll(async () => {
  // API-only: this file checks the API surface, not controllers.
  t = await startTestEngine({ apiOnly: true });
});
afterAll(async () => t?.stop());

describe('kubectl against the engine API', () => {
  it('lists nodes (and wide), namespaces, api-resources and api-versions', async () => {
    const nodes = (await t.kubectl(['get', 'nodes'])).stdout;
    expect(nodes).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
    expect(nodes).toMatch(/master\s+Ready\s+control-plane/);
    expect(nodes).toMatch(/node1\s+Ready\s+<none>/);
    const wide = (await t.kubectl(['get', 'nodes', '-o', 'wide'])).stdout;
    expect(wide).toMatch(/node2\s+Ready\s+<none>\s+\S+\s+v1\.32\.4\s+127\.0\.1\.3/);
    const ns = (await t.kubectl(['get', 'ns'])).stdout;
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      expect(ns).toMatch(new RegExp(`${n}\\s+Active`));
    const res = (await t.kubectl(['api-resources'])).stdout;
    expect(res).toMatch(/deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
    expect(res).toMatch(/pods\s+po\s+v1\s+true\s+Pod/);
    const cluster = (await t.kubectl(['api-resources', '--namespaced=false'])).stdout;
    expect(cluster).toMatch(/nodes\s+no\s+v1\s+false\s+Node/);
    expect(cluster).not.toMatch(/^pods/m);
    const versions = (await t.kubectl(['api-versions'])).stdout.split('\n');
    expect(versions).toEqual(expect.arrayContaining(['apps/v1', 'v1', 'discovery.k8s.io/v1']));
    const version = (await t.kubectl(['version'])).stdout;
    expect(version).toContain('Server Version: v1.32.4');
  });

  it('applies, re-applies, round-trips and deletes the tutorial deployment', async () => {
    const file = join(FIXTURES, 'deployment.yaml');
    expect((await t.kubectl(['apply', '-f', file])).stdout).toContain('deployment.apps/nginx-deployment created');
    expect((await t.kubectl(['apply', '-f', file])).stdout).toContain('deployment.apps/nginx-deployment unchanged');
    const changed = join(t.kubeHome, 'd3.yaml');
    writeFileSync(changed, readFileSync(file, 'utf8').replace('replicas: 1', 'replicas: 3'));
    expect((await t.kubectl(['apply', '-f', changed])).stdout).toContain('deployment.apps/nginx-deployment configured');
    const yaml = (await t.kubectl(['get', 'deploy', 'nginx-deployment', '-o', 'yaml'])).stdout;
    expect(yaml).toContain('replicas: 3');
    expect(yaml).toContain('maxSurge: 25%');
    // Round trip: the YAML kubectl printed can be applied back unchanged.
    const rt = join(t.kubeHome, 'rt.yaml');
    writeFileSync(rt, yaml);
    expect((await t.kubectl(['apply', '-f', rt])).stdout).toMatch(
      /deployment.apps\/nginx-deployment (unchanged|configured)/,
    );
    expect((await t.kubectl(['delete', '-f', changed])).stdout).toContain('deployment.apps "nginx-deployment" deleted');
    const after = await t.kubectl(['get', 'deploy', 'nginx-deployment'], { reject: false });
    expect(after.stderr).toContain('Error from server (NotFound): deployments.apps "nginx-deployment" not found');
  });

  it('decodes the protobuf bodies of create deployment/namespace/configmap', async () => {
    expect((await t.kubectl(['create', 'deployment', 'web', '--image=nginx', '--replicas=0'])).stdout).toContain(
      'deployment.apps/web created',
    );
    const d = JSON.parse((await t.kubectl(['get', 'deploy', 'web', '-o', 'json'])).stdout);
    expect(d.spec.replicas).toBe(0);
    expect(d.spec.template.spec.containers[0].image).toBe('nginx');
    expect((await t.kubectl(['create', 'namespace', 'demo'])).stdout).toContain('namespace/demo created');
    expect((await t.kubectl(['create', 'configmap', 'cfg', '--from-literal=a=b', '-n', 'demo'])).stdout).toContain(
      'configmap/cfg created',
    );
    const cm = JSON.parse((await t.kubectl(['get', 'cm', 'cfg', '-n', 'demo', '-o', 'json'])).stdout);
    expect(cm.data).toEqual({ a: 'b' });
  });

  it('streams changes with get -w', async () => {
    const kc = t.engine.kubeconfigPath;
    const watch = execa('/usr/bin/kubectl', ['get', 'configmaps', '-w', '-n', 'default'], {
      env: { HOME: t.kubeHome, KUBECONFIG: kc, PATH: process.env.PATH },
      extendEnv: false,
      reject: false,
    });
    let out = '';
    watch.stdout!.on('data', (c) => (out += c));
    await waitFor(() => out.includes('kube-root-ca.crt'), 15_000, 'initial list');
    await t.kubectl(['create', 'configmap', 'live-one', '--from-literal=x=y']);
    await waitFor(() => out.includes('live-one'), 15_000, 'watch event');
    watch.kill();
    await watch;
  });

  it('answers errors like a real cluster', async () => {
    const bad = join(t.kubeHome, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n');
    const r1 = await t.kubectl(['apply', '-f', bad], { reject: false });
    expect(r1.exitCode).not.toBe(0);
    expect(r1.stderr).toMatch(/error/i);

    const r2 = await t.kubectl(['create', 'configmap', 'Bad_Name'], { reject: false });
    expect(r2.exitCode).toBe(1);
    expect(r2.stderr).toContain('Invalid value: "Bad_Name"');

    const unknown = join(t.kubeHome, 'unknown.yaml');
    writeFileSync(unknown, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\nbogus: 1\n');
    const r3 = await t.kubectl(['apply', '--validate=strict', '-f', unknown], { reject: false });
    expect(r3.exitCode).toBe(1);
    expect(r3.stderr).toContain('unknown field "bogus"');

    await t.kubectl(['create', 'configmap', 'stale', '--from-literal=a=1']);
    const cur = JSON.parse((await t.kubectl(['get', 'cm', 'stale', '-o', 'json'])).stdout);
    await t.kubectl(['patch', 'cm', 'stale', '--type=merge', '-p', '{"data":{"a":"2"}}']);
    const stale = join(t.kubeHome, 'stale.json');
    writeFileSync(stale, JSON.stringify({ ...cur, data: { a: '3' } }));
    const r4 = await t.kubectl(['replace', '-f', stale], { reject: false });
    expect(r4.exitCode).toBe(1);
    expect(r4.stderr).toContain('Error from server (Conflict)');
    expect(r4.stderr).toContain('the object has been modified');

    const wrong = join(t.kubeHome, 'wrong-kubeconfig');
    writeFileSync(wrong, readFileSync(t.engine.kubeconfigPath, 'utf8').replace(t.engine.token, 'not-the-token'));
    const r5 = await execa('/usr/bin/kubectl', ['get', 'pods'], {
      env: { HOME: t.kubeHome + '-wrong', KUBECONFIG: wrong, PATH: process.env.PATH },
      extendEnv: false,
      reject: false,
    });
    expect(r5.exitCode).toBe(1);
    expect(String(r5.stderr)).toMatch(/Unauthorized|provide credentials|logged in/);
  });
});
