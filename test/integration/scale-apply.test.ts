import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../helpers/api-request.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

const deployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: web, image: nginx}]
`;

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crontabs.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {cronSpec: {type: string}, replicas: {type: integer, default: 1}}}
          status: {type: object, properties: {replicas: {type: integer}}}
`;

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
});
afterAll(async () => t?.stop());

/** PATCH application/apply-patch+yaml on a scale subresource. */
const applyScale = (path: string, replicas: number, manager: string, force = false) =>
  apiRequest(t, `${path}/scale?fieldManager=${manager}${force ? '&force=true' : ''}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/apply-patch+yaml' },
    body: `apiVersion: autoscaling/v1\nkind: Scale\nspec: {replicas: ${replicas}}\n`,
  });

type Entry = {
  manager: string;
  operation: string;
  subresource?: string;
  apiVersion: string;
  fieldsV1: Record<string, unknown>;
};
const managed = async (kind: string, name: string): Promise<Entry[]> =>
  JSON.parse((await t.kubectl(['get', kind, name, '-o', 'json', '--show-managed-fields'])).stdout).metadata
    .managedFields;

describe('server-side apply on the scale subresource', () => {
  it('owns spec.replicas of a deployment for the manager, on the parent object', async () => {
    await t.kubectl(['create', 'deployment', 'sc', '--image=nginx', '--replicas=1']);
    // kubectl-create owns spec.replicas: taking it is a conflict, worded as upstream.
    const conflict = await applyScale('/apis/apps/v1/namespaces/default/deployments/sc', 3, 'autoscaler');
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).message).toMatch(
      /^Apply failed with 1 conflict: conflict with "kubectl-create" using autoscaling\/v1 at [^:]+:\d\d:\d\dZ: \.spec\.replicas$/,
    );
    const forced = await applyScale('/apis/apps/v1/namespaces/default/deployments/sc', 3, 'autoscaler', true);
    expect(forced.status).toBe(200);
    const scale = await forced.json();
    expect(scale).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 } });
    expect(scale.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'autoscaler',
        operation: 'Apply',
        apiVersion: 'autoscaling/v1',
        subresource: 'scale',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      }),
    ]);
    const entries = await managed('deployment', 'sc');
    const mine = entries.find((e) => e.manager === 'autoscaler');
    expect(mine).toMatchObject({
      operation: 'Apply',
      subresource: 'scale',
      apiVersion: 'apps/v1',
      fieldsV1: { 'f:spec': { 'f:replicas': {} } },
    });
    const create = entries.find((e) => e.manager === 'kubectl-create')!;
    expect((create.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas']).toBeUndefined();
    expect((await t.kubectl(['get', 'deployment', 'sc', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('3');
  });

  it('makes a later kubectl apply --server-side of replicas conflict with the scale manager, and the reverse', async () => {
    const main = await t.kubectl(['apply', '--server-side', '-f', '-'], { input: deployment('sc', 2), reject: false });
    expect(main.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "autoscaler" with subresource "scale": .spec.replicas',
    );
    await t.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: deployment('sc', 2) });
    const back = await applyScale('/apis/apps/v1/namespaces/default/deployments/sc', 4, 'autoscaler');
    expect(back.status).toBe(409);
    expect((await back.json()).message).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    // Forced, the scale manager takes the field and kubectl's Apply entry loses it.
    expect((await applyScale('/apis/apps/v1/namespaces/default/deployments/sc', 4, 'autoscaler', true)).status).toBe(
      200,
    );
    expect((await t.kubectl(['get', 'deployment', 'sc', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('4');
    const kubectl = (await managed('deployment', 'sc')).find((e) => e.manager === 'kubectl')!;
    expect((kubectl.fieldsV1['f:spec'] as Record<string, unknown>)['f:replicas']).toBeUndefined();
  });

  it('refuses a wrong version or kind and a missing field manager', async () => {
    const wrong = await apiRequest(t, '/apis/apps/v1/namespaces/default/deployments/sc/scale?fieldManager=x', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: 'apiVersion: apps/v1\nkind: Scale\nspec: {replicas: 1}\n',
    });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).message).toBe(
      'Incorrect version specified in apply patch. Specified patch version: apps/v1, expected: autoscaling/v1',
    );
    const noManager = await apiRequest(t, '/apis/apps/v1/namespaces/default/deployments/sc/scale', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: 'apiVersion: autoscaling/v1\nkind: Scale\nspec: {replicas: 1}\n',
    });
    expect(noManager.status).toBe(422);
  });

  it('works on replicasets, statefulsets and a custom resource with a scale subresource (Python client)', async () => {
    await t.kubectl(['apply', '-f', '-'], { input: CRD });
    await t.kubectl(['wait', '--for', 'condition=established', 'crd/crontabs.stable.example.com', '--timeout=10s']);
    await t.kubectl(['apply', '--server-side', '-f', '-'], {
      input: 'apiVersion: stable.example.com/v1\nkind: CronTab\nmetadata: {name: cr}\nspec: {cronSpec: "* * * * *"}\n',
    });
    const rs = deployment('rs1', 1).replace('kind: Deployment', 'kind: ReplicaSet');
    const sts = deployment('sts1', 1)
      .replace('kind: Deployment', 'kind: StatefulSet')
      .replace('  selector:', '  serviceName: sts1\n  selector:');
    await t.kubectl(['apply', '--server-side', '--field-manager=owner', '-f', '-'], { input: `${rs}---\n${sts}` });
    const script = `
import json, sys
from kubernetes import client, config
config.load_kube_config(config_file=sys.argv[1])
api = client.ApiClient()
body = json.dumps({'apiVersion': 'autoscaling/v1', 'kind': 'Scale', 'spec': {'replicas': 2}})
# The generated methods of this client version send no apply patches: its ApiClient does.
def apply(path):
    return api.call_api(path + '/scale', 'PATCH', query_params=[('fieldManager', 'py'), ('force', 'true')], body=body,
        header_params={'Content-Type': 'application/apply-patch+yaml', 'Accept': 'application/json'},
        auth_settings=['BearerToken'], response_type='object', _return_http_data_only=True)['spec']['replicas']
out = {}
out['rs'] = apply('/apis/apps/v1/namespaces/default/replicasets/rs1')
out['sts'] = apply('/apis/apps/v1/namespaces/default/statefulsets/sts1')
out['cr'] = apply('/apis/stable.example.com/v1/namespaces/default/crontabs/cr')
print(json.dumps(out))
`;
    const out = await execa('/usr/bin/python3', ['-c', script, t.engine.kubeconfigPath], { reject: false });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toEqual({ rs: 2, sts: 2, cr: 2 });
    for (const [kind, name, apiVersion] of [
      ['replicaset', 'rs1', 'apps/v1'],
      ['statefulset', 'sts1', 'apps/v1'],
      ['ct', 'cr', 'stable.example.com/v1'],
    ] as const) {
      const py = (await managed(kind, name)).find((e) => e.manager === 'py');
      expect(py).toMatchObject({
        operation: 'Apply',
        subresource: 'scale',
        apiVersion,
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      });
    }
    expect((await t.kubectl(['get', 'ct', 'cr', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('2');
  });
});
