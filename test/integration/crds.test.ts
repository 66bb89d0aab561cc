import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../helpers/api-request.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

export const CRONTAB_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct], categories: [all]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources:
      status: {}
      scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [cronSpec]
            properties:
              cronSpec: {type: string, pattern: '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$', description: The cron schedule.}
              image: {type: string, default: busybox}
              replicas: {type: integer, minimum: 1, maximum: 10, default: 1}
              mode: {type: string, enum: [fast, slow]}
              tags:
                type: array
                x-kubernetes-list-type: set
                items: {type: string}
          status:
            type: object
            properties:
              replicas: {type: integer}
`;

const cron = (name: string, spec: string) => `apiVersion: stable.example.com/v1
kind: CronTab
metadata: {name: ${name}}
spec: ${spec}
`;

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  await t.kubectl(['apply', '-f', '-'], { input: CRONTAB_CRD });
  await t.kubectl(['wait', '--for', 'condition=established', 'crd/crontabs.stable.example.com', '--timeout=10s']);
});
afterAll(async () => t?.stop());

describe('CustomResourceDefinitions', () => {
  it('is Established with accepted names and served in discovery', async () => {
    const crd = JSON.parse((await t.kubectl(['get', 'crd', 'crontabs.stable.example.com', '-o', 'json'])).stdout);
    const cond = Object.fromEntries(
      crd.status.conditions.map((c: { type: string; status: string }) => [c.type, c.status]),
    );
    expect(cond).toEqual({ NamesAccepted: 'True', Established: 'True' });
    expect(crd.status.acceptedNames.kind).toBe('CronTab');
    const res = (await t.kubectl(['api-resources', '--api-group=stable.example.com'])).stdout;
    expect(res).toMatch(/crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab/);
    const legacy = await (await apiRequest(t, '/apis/stable.example.com/v1')).json();
    expect(legacy.resources.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(['crontabs', 'crontabs/status', 'crontabs/scale']),
    );
  });

  it('creates with defaults and pruning, prints printer columns, and shows in get all', async () => {
    // kubectl validates strictly by default: a field the schema does not declare is refused...
    const strict = await t.kubectl(['apply', '-f', '-'], {
      input: cron('c1', '{cronSpec: "* * * * */5", unknown: x}'),
      reject: false,
    });
    expect(strict.exitCode).not.toBe(0);
    expect(strict.stderr).toContain(
      'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.unknown"',
    );
    // ...a warning with --validate=warn, and silently pruned with --validate=false.
    const warned = await t.kubectl(['apply', '--validate=warn', '-f', '-'], {
      input: cron('c0', '{cronSpec: "* * * * */5", unknown: x}'),
    });
    expect(warned.stderr).toContain('Warning: unknown field "spec.unknown"');
    await t.kubectl(['delete', 'ct', 'c0']);
    await t.kubectl(['apply', '--validate=false', '-f', '-'], {
      input: cron('c1', '{cronSpec: "* * * * */5", unknown: x}'),
    });
    const obj = JSON.parse((await t.kubectl(['get', 'ct', 'c1', '-o', 'json'])).stdout);
    expect(obj.spec).toEqual({ cronSpec: '* * * * */5', image: 'busybox', replicas: 1 });
    const table = (await t.kubectl(['get', 'crontabs'])).stdout;
    expect(table).toMatch(/^NAME\s+SPEC\s+REPLICAS\s+AGE/);
    expect(table).toMatch(/c1\s+\* \* \* \* \*\/5\s+1\s+\d+s/);
    expect((await t.kubectl(['get', 'all'])).stdout).toMatch(/crontab\.stable\.example\.com\/c1/);
  });

  it('validates against the schema with the apiserver wording, storing nothing', async () => {
    const bad = await t.kubectl(['apply', '-f', '-'], {
      input: cron('bad', '{cronSpec: "nope", replicas: 20, mode: medium}'),
      reject: false,
    });
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr).toContain('The CronTab "bad" is invalid');
    expect(bad.stderr).toContain('spec.cronSpec: Invalid value: "nope": spec.cronSpec in body should match');
    expect(bad.stderr).toContain(
      'spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10',
    );
    expect(bad.stderr).toContain('spec.mode: Unsupported value: "medium": supported values: "fast", "slow"');
    const typed = await t.kubectl(['apply', '-f', '-'], { input: cron('typed', '{cronSpec: 5}'), reject: false });
    expect(typed.stderr).toContain(
      'spec.cronSpec: Invalid value: "integer": spec.cronSpec in body must be of type string: "integer"',
    );
    const missing = await t.kubectl(['apply', '-f', '-'], { input: cron('missing', '{image: x}'), reject: false });
    expect(missing.stderr).toContain('spec.cronSpec: Required value');
    expect((await t.kubectl(['get', 'ct', 'bad', 'typed', 'missing', '--ignore-not-found'])).stdout).toBe('');
  });

  it('serves the status and scale subresources', async () => {
    await t.kubectl(['apply', '-f', '-'], { input: cron('c2', '{cronSpec: "* * * * *"}') });
    expect((await t.kubectl(['scale', 'ct', 'c2', '--replicas=4'])).stdout).toContain('scaled');
    await t.kubectl(['patch', 'ct', 'c2', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":4}}']);
    const scale = await (
      await apiRequest(t, '/apis/stable.example.com/v1/namespaces/default/crontabs/c2/scale')
    ).json();
    expect(scale).toMatchObject({ kind: 'Scale', spec: { replicas: 4 }, status: { replicas: 4 } });
    // Main-resource writes leave status alone.
    await t.kubectl(['patch', 'ct', 'c2', '--type=merge', '-p', '{"status":{"replicas":9}}']);
    expect(JSON.parse((await t.kubectl(['get', 'ct', 'c2', '-o', 'json'])).stdout).status.replicas).toBe(4);
  });

  it('server-side applies custom resources, merging a set list', async () => {
    await t.kubectl(['apply', '--server-side', '-f', '-'], {
      input: cron('ssa', '{cronSpec: "* * * * *", tags: [a]}'),
    });
    await t.kubectl(['apply', '--server-side', '--field-manager=other', '-f', '-'], {
      input: cron('ssa', '{tags: [b]}'),
    });
    const obj = JSON.parse((await t.kubectl(['get', 'ct', 'ssa', '-o', 'json', '--show-managed-fields'])).stdout);
    expect(obj.spec.tags).toEqual(['a', 'b']);
    expect(obj.metadata.managedFields.map((m: { manager: string }) => m.manager).sort()).toEqual(['kubectl', 'other']);
  });

  it('explains the custom kind from its schema', async () => {
    const out = (await t.kubectl(['explain', 'crontab.spec.cronSpec'])).stdout;
    expect(out).toMatch(/KIND:\s+CronTab/);
    expect(out).toContain('The cron schedule.');
  });

  it('refuses invalid CRDs with the apiserver status', async () => {
    const bad = CRONTAB_CRD.replace('name: crontabs.stable.example.com', 'name: wrong.stable.example.com').replace(
      'type: object\n            required',
      'type: objekt\n            required',
    );
    const out = await t.kubectl(['apply', '-f', '-'], { input: bad, reject: false });
    expect(out.exitCode).not.toBe(0);
    expect(out.stderr).toContain('The CustomResourceDefinition "wrong.stable.example.com" is invalid');
    expect(out.stderr).toContain(
      'metadata.name: Invalid value: "wrong.stable.example.com": must be spec.names.plural+"."+spec.group',
    );
    expect(out.stderr).toContain(
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Unsupported value: "objekt"',
    );
  });

  it('deleting the CRD removes its objects and stops serving the kind, ending watches', async () => {
    const watch = apiRequest(t, '/apis/stable.example.com/v1/namespaces/default/crontabs?watch=true&timeoutSeconds=20');
    await t.kubectl(['delete', 'crd', 'crontabs.stable.example.com']);
    const started = Date.now();
    const res = await watch;
    expect(Date.now() - started).toBeLessThan(15_000); // ended by the deletion, not by timeoutSeconds
    expect(res.text).toContain('"type":"DELETED"');
    const gone = await t.kubectl(['get', 'crontabs'], { reject: false });
    expect(gone.exitCode).not.toBe(0);
    expect((await apiRequest(t, '/apis/stable.example.com/v1/namespaces/default/crontabs')).status).toBe(404);
    // Re-creating it starts empty.
    await t.kubectl(['apply', '-f', '-'], { input: CRONTAB_CRD });
    await t.kubectl(['wait', '--for', 'condition=established', 'crd/crontabs.stable.example.com', '--timeout=10s']);
    expect((await t.kubectl(['get', 'crontabs', '-o', 'name'])).stdout).toBe('');
  });
});
