import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../helpers/api-request.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

// v1 stores; v1beta1 is served and deprecated; v1alpha1 is not served. Each has its own schema.
const WIDGET_CRD = (storage: 'v1' | 'v1beta1') => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1beta1
    served: true
    storage: ${storage === 'v1beta1'}
    deprecated: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: string, default: small}
              legacy: {type: string}
              replicas: {type: integer}
    subresources:
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    additionalPrinterColumns:
    - {name: Size, type: string, jsonPath: .spec.size}
  - name: v1
    served: true
    storage: ${storage === 'v1'}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: string, enum: [small, large]}
              color: {type: string, default: blue}
              replicas: {type: integer, maximum: 5}
          status:
            type: object
            properties:
              replicas: {type: integer}
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    additionalPrinterColumns:
    - {name: Size, type: string, jsonPath: .spec.size}
    - {name: Color, type: string, jsonPath: .spec.color}
  - name: v1alpha1
    served: false
    storage: false
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`;

const widget = (version: string, name: string, spec: string) => `apiVersion: example.com/${version}
kind: Widget
metadata: {name: ${name}}
spec: ${spec}
`;

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  await t.kubectl(['apply', '-f', '-'], { input: WIDGET_CRD('v1') });
  await t.kubectl(['wait', '--for', 'condition=established', 'crd/widgets.example.com', '--timeout=10s']);
});
afterAll(async () => t?.stop());

describe('multi-version CustomResourceDefinitions (conversion None)', () => {
  it('serves every served version in discovery, the highest-priority one preferred', async () => {
    const versions = (await t.kubectl(['api-versions'])).stdout.split('\n');
    expect(versions).toEqual(expect.arrayContaining(['example.com/v1', 'example.com/v1beta1']));
    expect(versions).not.toContain('example.com/v1alpha1');
    const group = await (await apiRequest(t, '/apis/example.com')).json();
    expect(group.preferredVersion.version).toBe('v1');
    expect(group.versions.map((v: { version: string }) => v.version)).toEqual(['v1', 'v1beta1']);
    const beta = await (await apiRequest(t, '/apis/example.com/v1beta1')).json();
    // v1beta1 has only scale; both hash the storage version.
    expect(beta.resources.map((r: { name: string }) => r.name)).toEqual(['widgets', 'widgets/scale']);
    const v1 = await (await apiRequest(t, '/apis/example.com/v1')).json();
    expect(beta.resources[0].storageVersionHash).toBe(v1.resources[0].storageVersionHash);
    const off = await apiRequest(t, '/apis/example.com/v1alpha1/namespaces/default/widgets');
    expect(off.status).toBe(404);
  });

  it('writes at a non-storage version with its own schema, warns that it is deprecated, and reads back at every version', async () => {
    const made = await t.kubectl(['apply', '-f', '-'], {
      input: widget('v1beta1', 'w1', '{legacy: old, replicas: 2}'),
    });
    expect(made.stdout).toContain('widget.example.com/w1 created');
    expect(made.stderr).toContain('Warning: example.com/v1beta1 Widget is deprecated; use example.com/v1 Widget');
    // Stored at v1: v1beta1 defaulted size; conversion to v1 pruned `legacy` and defaulted color.
    const asV1 = JSON.parse((await t.kubectl(['get', 'widgets.v1.example.com', 'w1', '-o', 'json'])).stdout);
    expect(asV1.apiVersion).toBe('example.com/v1');
    expect(asV1.spec).toEqual({ size: 'small', color: 'blue', replicas: 2 });
    const asBeta = JSON.parse(
      (await t.kubectl(['get', 'widgets.v1beta1.example.com', 'w1', '-o', 'json', '--show-managed-fields'])).stdout,
    );
    expect(asBeta.apiVersion).toBe('example.com/v1beta1');
    // v1beta1's schema does not declare color: it is pruned on the way out.
    expect(asBeta.spec).toEqual({ size: 'small', replicas: 2 });
    expect(asBeta.metadata.managedFields[0]).toMatchObject({
      manager: 'kubectl-client-side-apply',
      apiVersion: 'example.com/v1beta1',
    });
    // Printer columns are per version.
    expect((await t.kubectl(['get', 'widgets.v1.example.com'])).stdout).toMatch(
      /^NAME\s+SIZE\s+COLOR\s*\nw1\s+small\s+blue/,
    );
    expect((await t.kubectl(['get', 'widgets.v1beta1.example.com'])).stdout).toMatch(
      /^NAME\s+SIZE\s*\nw1\s+small\s*$/m,
    );
    const list = await (await apiRequest(t, '/apis/example.com/v1beta1/namespaces/default/widgets')).json();
    expect(list.apiVersion).toBe('example.com/v1beta1');
    expect(list.items.map((i: { apiVersion: string }) => i.apiVersion)).toEqual(['example.com/v1beta1']);
  });

  it("validates with the request version's schema", async () => {
    // v1 has an enum and a maximum that v1beta1 does not.
    const bad = await t.kubectl(['apply', '-f', '-'], { input: widget('v1', 'w2', '{size: huge}'), reject: false });
    expect(bad.stderr).toContain('spec.size: Unsupported value: "huge": supported values: "small", "large"');
    const ok = await t.kubectl(['apply', '-f', '-'], { input: widget('v1beta1', 'w2', '{size: huge}') });
    expect(ok.stdout).toContain('widget.example.com/w2 created');
    const tooMany = await t.kubectl(
      ['patch', 'widgets.v1.example.com', 'w2', '--type=merge', '-p', '{"spec":{"replicas":9}}'],
      { reject: false },
    );
    expect(tooMany.stderr).toContain(
      'spec.replicas: Invalid value: 9: spec.replicas in body should be less than or equal to 5',
    );
    const patched = await t.kubectl([
      'patch',
      'widgets.v1beta1.example.com',
      'w2',
      '--type=merge',
      '-p',
      '{"spec":{"replicas":9}}',
    ]);
    expect(patched.stdout).toContain('widget.example.com/w2 patched');
    await t.kubectl(['delete', 'widgets.v1.example.com', 'w2']);
  });

  it('explains and strictly checks each version by its own schema', async () => {
    const beta = (await t.kubectl(['explain', 'widgets.spec', '--api-version=example.com/v1beta1'])).stdout;
    expect(beta).toContain('legacy');
    expect(beta).not.toContain('color');
    const v1 = (await t.kubectl(['explain', 'widgets.spec', '--api-version=example.com/v1'])).stdout;
    expect(v1).toContain('color');
    expect(v1).not.toContain('legacy');
    const strict = await t.kubectl(['apply', '-f', '-'], { input: widget('v1', 'w9', '{legacy: x}'), reject: false });
    expect(strict.stderr).toContain(
      'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.legacy"',
    );
  });

  it('server-side applies at a non-storage version and watches at any served version', async () => {
    const out = await t.kubectl(['apply', '--server-side', '-f', '-'], {
      input: widget('v1beta1', 'w3', '{size: small}'),
    });
    expect(out.stdout).toContain('widget.example.com/w3 serverside-applied');
    const watch = execaWatch(t, '/apis/example.com/v1beta1/namespaces/default/widgets?watch=true&timeoutSeconds=2');
    const events = (await watch)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(new Set(events.map((e) => e.object.apiVersion))).toEqual(new Set(['example.com/v1beta1']));
    const again = await t.kubectl(['apply', '--server-side', '-f', '-'], {
      input: widget('v1', 'w3', '{size: large}'),
    });
    expect(again.stdout).toContain('serverside-applied');
    const v1 = JSON.parse((await t.kubectl(['get', 'widgets.v1.example.com', 'w3', '-o', 'json'])).stdout);
    expect(v1.spec.size).toBe('large');
    await t.kubectl(['delete', 'widgets.v1.example.com', 'w3']);
  });

  it('is read and written at a version by the Python client (CustomObjectsApi)', async () => {
    const script = `
import json, sys
from kubernetes import client, config
config.load_kube_config(config_file=sys.argv[1])
api = client.CustomObjectsApi()
api.create_namespaced_custom_object('example.com', 'v1beta1', 'default', 'widgets', {'apiVersion': 'example.com/v1beta1', 'kind': 'Widget', 'metadata': {'name': 'py'}, 'spec': {'legacy': 'x'}})
got = api.get_namespaced_custom_object('example.com', 'v1', 'default', 'widgets', 'py')
items = api.list_namespaced_custom_object('example.com', 'v1beta1', 'default', 'widgets')['items']
print(json.dumps({'apiVersion': got['apiVersion'], 'spec': got['spec'], 'listed': sorted(i['metadata']['name'] for i in items)}))
`;
    const out = await execa('/usr/bin/python3', ['-c', script, t.engine.kubeconfigPath], { reject: false });
    expect(JSON.parse(out.stdout)).toEqual({
      apiVersion: 'example.com/v1',
      spec: { size: 'small', color: 'blue' },
      listed: ['py', 'w1'],
    });
    await t.kubectl(['delete', 'widgets.v1.example.com', 'py']);
  });

  it('keeps old objects readable when the storage version changes, and lists both in storedVersions', async () => {
    await t.kubectl(['apply', '-f', '-'], { input: WIDGET_CRD('v1beta1') });
    const crd = JSON.parse((await t.kubectl(['get', 'crd', 'widgets.example.com', '-o', 'json'])).stdout);
    expect(crd.status.storedVersions).toEqual(['v1', 'v1beta1']);
    const old = JSON.parse((await t.kubectl(['get', 'widgets.v1beta1.example.com', 'w1', '-o', 'json'])).stdout);
    expect(old.apiVersion).toBe('example.com/v1beta1');
    expect(old.spec.size).toBe('small');
    const gone = await t.kubectl(
      ['patch', 'crd', 'widgets.example.com', '--type=json', '-p', '[{"op":"remove","path":"/spec/versions/1"}]'],
      { reject: false },
    );
    expect(gone.stderr).toContain('status.storedVersions[0]: Invalid value: "v1": must appear in spec.versions');
    // Back to v1, with exactly one storage version checked as upstream words it.
    await t.kubectl(['apply', '-f', '-'], { input: WIDGET_CRD('v1') });
    const two = await t.kubectl(['apply', '-f', '-'], {
      input: WIDGET_CRD('v1').replace('storage: false\n    deprecated', 'storage: true\n    deprecated'),
      reject: false,
    });
    expect(two.stderr).toContain('must have exactly one version marked as storage version');
  });

  it('stores at a storage version that is not served', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: things.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: things, singular: thing, kind: Thing}
  versions:
  - {name: v1, served: false, storage: true, schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {a: {type: string}}}}}}}
  - {name: v2, served: true, storage: false, schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {a: {type: string}}}}}}}
`;
    await t.kubectl(['apply', '-f', '-'], { input: crd });
    await t.kubectl(['wait', '--for', 'condition=established', 'crd/things.example.com', '--timeout=10s']);
    await t.kubectl(['apply', '-f', '-'], {
      input: 'apiVersion: example.com/v2\nkind: Thing\nmetadata: {name: t1}\nspec: {a: x}\n',
    });
    expect(JSON.parse((await t.kubectl(['get', 'things', 't1', '-o', 'json'])).stdout)).toMatchObject({
      apiVersion: 'example.com/v2',
      spec: { a: 'x' },
    });
    expect((await apiRequest(t, '/apis/example.com/v1/namespaces/default/things/t1')).status).toBe(404);
    const v1 = await (await apiRequest(t, '/apis/example.com/v1')).json();
    expect(v1.resources.map((r: { name: string }) => r.name)).not.toContain('things');
    await t.kubectl(['delete', 'crd', 'things.example.com']);
  });

  it('refuses what a Webhook conversion would need, naming why', async () => {
    const hooked = WIDGET_CRD('v1')
      .replace(
        '  group: example.com',
        '  group: example.com\n  conversion:\n    strategy: Webhook\n    webhook:\n      conversionReviewVersions: [v1]\n      clientConfig: {url: "https://127.0.0.1:9443/convert"}',
      )
      .replaceAll('widgets', 'gadgets')
      .replaceAll('Widget', 'Gadget')
      .replace('shortNames: [wd]', 'shortNames: [gd]');
    await t.kubectl(['apply', '-f', '-'], { input: hooked });
    await t.kubectl(['wait', '--for', 'condition=established', 'crd/gadgets.example.com', '--timeout=10s']);
    const stored = await t.kubectl(['apply', '-f', '-'], {
      input: widget('v1', 'g1', '{size: small}').replace('Widget', 'Gadget'),
    });
    expect(stored.stdout).toContain('gadget.example.com/g1 created');
    const other = await t.kubectl(['get', 'gadgets.v1beta1.example.com', 'g1'], { reject: false });
    expect(other.stderr).toContain(
      'conversion webhook for example.com/v1beta1, Kind=Gadget failed: skiff does not call conversion webhooks',
    );
    const badScale = await t.kubectl(['apply', '-f', '-'], {
      input: WIDGET_CRD('v1').replace(
        'specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}\n    additionalPrinterColumns:\n    - {name: Size, type: string, jsonPath: .spec.size}\n  - name: v1',
        'specReplicasPath: .status.replicas, statusReplicasPath: .status.replicas}\n    additionalPrinterColumns:\n    - {name: Size, type: string, jsonPath: .spec.size}\n  - name: v1',
      ),
      reject: false,
    });
    expect(badScale.stderr).toContain(
      'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
    );
    const noHook = await t.kubectl(['apply', '-f', '-'], {
      input: hooked.replace(/ {4}webhook:\n.*\n.*\n/, ''),
      reject: false,
    });
    expect(noHook.stderr).toContain(
      'spec.conversion.webhook: Required value: required when strategy is set to Webhook',
    );
  });
});

describe('a built-in kind served at two versions', () => {
  it('lists autoscaling/v2 (preferred) and autoscaling/v1 in discovery, and explains both', async () => {
    const group = await (await apiRequest(t, '/apis/autoscaling')).json();
    expect(group.versions.map((v: { version: string }) => v.version)).toEqual(['v2', 'v1']);
    expect(group.preferredVersion.version).toBe('v2');
    const v1 = await (await apiRequest(t, '/apis/autoscaling/v1')).json();
    expect(v1.resources.map((r: { name: string }) => r.name)).toEqual([
      'horizontalpodautoscalers',
      'horizontalpodautoscalers/status',
    ]);
    expect((await t.kubectl(['explain', 'hpa.spec', '--api-version=autoscaling/v1'])).stdout).toContain(
      'targetCPUUtilizationPercentage',
    );
    expect((await t.kubectl(['explain', 'hpa.spec'])).stdout).toContain('behavior');
  });
});

function execaWatch(te: TestEngine, path: string): Promise<string> {
  return apiRequest(te, path).then((r) => r.text);
}
