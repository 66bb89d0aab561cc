import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../helpers/api-request.ts';
import { KUBECTL, startTestEngine, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
});
afterAll(async () => t?.stop());

interface Entry {
  manager: string;
  operation: string;
  subresource?: string;
  fieldsV1: Record<string, unknown>;
}

async function managed(kind: string, name: string): Promise<Entry[]> {
  const out = await t.kubectl(['get', kind, name, '-o', 'json', '--show-managed-fields']);
  return JSON.parse(out.stdout).metadata.managedFields ?? [];
}

const deployment = (name: string, replicas: number, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {team: a}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        ports: [{containerPort: 80}]
${extra}`;

describe('managedFields on every write', () => {
  it('names the manager of create, scale, set, client-side apply and annotate', async () => {
    await t.kubectl(['create', 'deployment', 'mf', '--image=nginx', '--replicas=2']);
    let list = await managed('deploy', 'mf');
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      manager: 'kubectl-create',
      operation: 'Update',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
    });
    const spec = list[0]!.fieldsV1['f:spec'] as Record<string, Record<string, unknown>>;
    expect(spec['f:replicas']).toEqual({});
    expect(spec['f:selector']).toEqual({}); // LabelSelector is atomic
    const containers = (spec['f:template'] as any)['f:spec']['f:containers'];
    expect(Object.keys(containers)).toEqual(['k:{"name":"nginx"}']);
    expect(containers['k:{"name":"nginx"}']['.']).toEqual({});
    expect((list[0]!.fieldsV1['f:metadata'] as any)['f:labels']).toEqual({ '.': {}, 'f:app': {} });

    await t.kubectl(['scale', 'deploy', 'mf', '--replicas=3']);
    await t.kubectl(['set', 'image', 'deploy/mf', 'nginx=nginx:1.25']);
    await t.kubectl(['annotate', 'deploy', 'mf', 'note=hi']);
    list = await managed('deploy', 'mf');
    const by = (m: string) => list.find((e) => e.manager === m);
    expect(by('kubectl')).toMatchObject({ subresource: 'scale', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
    expect(by('kubectl-set')?.fieldsV1).toEqual({
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"nginx"}': { 'f:image': {} } } } } },
    });
    expect(by('kubectl-annotate')?.fieldsV1).toEqual({ 'f:metadata': { 'f:annotations': { '.': {}, 'f:note': {} } } });
    // The fields moved to their new managers.
    const create = by('kubectl-create')!.fieldsV1 as any;
    expect(create['f:spec']['f:replicas']).toBeUndefined();
    expect(create['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']['f:image']).toBeUndefined();

    // kubectl hides them unless asked.
    const plain = JSON.parse((await t.kubectl(['get', 'deploy', 'mf', '-o', 'json'])).stdout);
    expect(plain.metadata.managedFields).toBeUndefined();

    await t.kubectl(['apply', '-f', '-'], { input: deployment('csa', 2) });
    expect((await managed('deploy', 'csa'))[0]).toMatchObject({
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
    });

    // kubectl edit, with an editor that changes the image.
    const edit = await execa(KUBECTL, ['edit', 'deploy', 'csa'], {
      env: {
        HOME: t.kubeHome,
        KUBECONFIG: t.engine.kubeconfigPath,
        PATH: process.env.PATH,
        KUBE_EDITOR: 'sed -i s/nginx:1.25/nginx:1.26/',
      },
      extendEnv: false,
      reject: false,
    });
    expect(edit.stdout).toContain('deployment.apps/csa edited');
    const edited = (await managed('deploy', 'csa')).find((e) => e.manager === 'kubectl-edit');
    // kubectl edit also refreshes the last-applied annotation of an applied object.
    expect(edited?.fieldsV1).toEqual({
      'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } },
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } },
    });
  });

  it('is what the Python client reads as managed_fields', async () => {
    const script = `
import json, sys
from kubernetes import client, config
config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
v1.create_namespaced_config_map('default', client.V1ConfigMap(metadata=client.V1ObjectMeta(name='py'), data={'k': 'v'}), field_manager='py-tool')
cm = v1.read_namespaced_config_map('py', 'default')
m = cm.metadata.managed_fields[0]
print(json.dumps({'manager': m.manager, 'operation': m.operation, 'fields': m.fields_v1}))
`;
    const out = await execa('/usr/bin/python3', ['-c', script, t.engine.kubeconfigPath], { reject: false });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({
      manager: 'py-tool',
      operation: 'Update',
      fields: { 'f:data': { '.': {}, 'f:k': {} } },
    });
  });

  it('derives the manager from the User-Agent when none is given, and validates a given one', async () => {
    const res = await apiRequest(t, '/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'my-operator/1.2 (linux)' },
      body: JSON.stringify({ metadata: { name: 'ua' }, data: { a: '1' } }),
    });
    expect(res.status).toBe(201);
    expect((await res.json()).metadata.managedFields[0]).toMatchObject({
      manager: 'my-operator',
      operation: 'Update',
      fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } },
    });
    const long = await apiRequest(t, `/api/v1/namespaces/default/configmaps?fieldManager=${'x'.repeat(129)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'long' } }),
    });
    expect(long.status).toBe(422);
    expect((await long.json()).message).toContain('fieldManager: Too long: may not be more than 128 bytes');
  });
});

describe('server-side apply', () => {
  it('creates, conflicts with another manager, and takes ownership with --force-conflicts', async () => {
    const out = await t.kubectl(['apply', '--server-side', '-f', '-'], { input: deployment('ssa', 2) });
    expect(out.stdout).toContain('deployment.apps/ssa serverside-applied');
    const [entry] = await managed('deploy', 'ssa');
    expect(entry).toMatchObject({ manager: 'kubectl', operation: 'Apply' });
    const web = (entry!.fieldsV1 as any)['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}'];
    expect(web['f:ports']).toEqual({ 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } });

    await t.kubectl(['scale', 'deploy', 'ssa', '--replicas=5']);
    const conflict = await t.kubectl(['apply', '--server-side', '-f', '-'], {
      input: deployment('ssa', 3),
      reject: false,
    });
    expect(conflict.exitCode).not.toBe(0);
    expect(conflict.stderr).toMatch(
      /Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1 at \S+: \.spec\.replicas/,
    );
    expect(conflict.stderr).toContain('--force-conflicts');
    expect(JSON.parse((await t.kubectl(['get', 'deploy', 'ssa', '-o', 'json'])).stdout).spec.replicas).toBe(5);

    // Same value: co-owned, no conflict.
    await t.kubectl(['apply', '--server-side', '-f', '-'], { input: deployment('ssa', 5) });
    await t.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: deployment('ssa', 3) });
    const obj = JSON.parse((await t.kubectl(['get', 'deploy', 'ssa', '-o', 'json', '--show-managed-fields'])).stdout);
    expect(obj.spec.replicas).toBe(3);
    expect(obj.metadata.managedFields.find((e: Entry) => e.subresource === 'scale')).toBeUndefined();
  });

  it('merges containers by name between managers and removes what a manager stops applying', async () => {
    const side = '      - name: side\n        image: busybox\n';
    await t.kubectl(['apply', '--server-side', '-f', '-'], { input: deployment('merge', 1, side) });
    // A second manager adds its own container: the list merges by name.
    await t.kubectl(['apply', '--server-side', '--field-manager=other', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: Deployment
metadata: {name: merge, labels: {owner: other}}
spec:
  template:
    spec:
      containers:
      - name: extra
        image: redis
`,
    });
    let obj = JSON.parse((await t.kubectl(['get', 'deploy', 'merge', '-o', 'json'])).stdout);
    expect(obj.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['web', 'side', 'extra']);
    expect(obj.metadata.labels).toEqual({ team: 'a', owner: 'other' });
    // The first manager drops `side` and its label: they go; `extra` and `owner` stay.
    const trimmed = deployment('merge', 1).replace('  labels: {team: a}\n', '');
    await t.kubectl(['apply', '--server-side', '-f', '-'], { input: trimmed });
    obj = JSON.parse((await t.kubectl(['get', 'deploy', 'merge', '-o', 'json'])).stdout);
    expect(obj.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['web', 'extra']);
    expect(obj.metadata.labels).toEqual({ owner: 'other' });
  });

  it('migrates from client-side apply without conflicts', async () => {
    await t.kubectl(['apply', '-f', '-'], { input: deployment('migrate', 2) });
    const out = await t.kubectl(['apply', '--server-side', '-f', '-'], { input: deployment('migrate', 4) });
    expect(out.stdout).toContain('serverside-applied');
    const obj = JSON.parse(
      (await t.kubectl(['get', 'deploy', 'migrate', '-o', 'json', '--show-managed-fields'])).stdout,
    );
    expect(obj.spec.replicas).toBe(4);
    const apply = obj.metadata.managedFields.find((e: Entry) => e.manager === 'kubectl' && e.operation === 'Apply');
    expect(apply.fieldsV1['f:spec']['f:replicas']).toEqual({});
    expect(
      obj.metadata.managedFields.find((e: Entry) => e.manager === 'kubectl-client-side-apply')?.fieldsV1?.['f:spec']?.[
        'f:replicas'
      ],
    ).toBeUndefined();
    // Client-side apply keeps working after it.
    await t.kubectl(['apply', '-f', '-'], { input: deployment('migrate', 1) });
    expect(JSON.parse((await t.kubectl(['get', 'deploy', 'migrate', '-o', 'json'])).stdout).spec.replicas).toBe(1);
  });

  it('refuses bad apply patches with the apiserver status, storing nothing', async () => {
    const bad = await t.kubectl(['apply', '--server-side', '-f', '-'], {
      input: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndata: {a: "1"}\nbogus: 1\n',
      reject: false,
    });
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain('.bogus: field not declared in schema');
    const typed = await t.kubectl(['apply', '--server-side', '-f', '-'], {
      input: deployment('typed', 2).replace('replicas: 2', 'replicas: "two"'),
      reject: false,
    });
    expect(typed.stderr).toContain('.spec.replicas: expected numeric (int or float), got string');
    expect((await t.kubectl(['get', 'cm', 'bad'], { reject: false })).exitCode).not.toBe(0);
    expect((await t.kubectl(['get', 'deploy', 'typed'], { reject: false })).exitCode).not.toBe(0);

    const apply = (query: string, body: object) =>
      apiRequest(t, `/api/v1/namespaces/default/configmaps/raw${query}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/apply-patch+yaml' },
        body: JSON.stringify(body),
      });
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raw' } };
    let res = await apply('', cm);
    expect(res.status).toBe(422);
    expect((await res.json()).message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    res = await apply('?fieldManager=m', { ...cm, apiVersion: 'v2' });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toBe(
      'Incorrect version specified in apply patch. Specified patch version: v2, expected: v1',
    );
    res = await apply('?fieldManager=m', { ...cm, metadata: { name: 'raw', managedFields: [] } });
    expect((await res.json()).message).toBe('metadata.managedFields must be nil');
    res = await apply('?fieldManager=m', cm);
    expect(res.status).toBe(201);
    res = await apiRequest(t, '/api/v1/namespaces/default/configmaps/raw?force=true', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: '{}',
    });
    expect(res.status).toBe(422);
    expect((await res.json()).message).toContain('force: Forbidden: may not be specified for non-apply patch');
  });
});
