import type { IncomingMessage, ServerResponse } from 'node:http';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeGnostic, encodeGnostic } from '../../../source/engine/api/openapi-gnostic.ts';
import { OpenApiV2 } from '../../../source/engine/api/openapi-v2.ts';
import { definitionName } from '../../../source/engine/api/openapi/documents.ts';
import { createRegistry } from '../../../source/engine/resources/index.ts';

const registry = createRegistry();
const api = new OpenApiV2(registry, 'v1.32.4');
const doc = api.document();

/** The checks k8s.io/kube-openapi's proto.NewOpenAPIData makes on every definition. */
function checkSchema(s: any, where: string): void {
  if (s.$ref) {
    expect(s.type, `${where}: a reference has no type`).toBeUndefined();
    expect(s.properties, where).toBeUndefined();
    expect(doc.definitions[s.$ref.replace('#/definitions/', '')], `${where}: dangling ${s.$ref}`).toBeDefined();
    return;
  }
  if (s.type === 'array') return checkSchema(s.items, `${where}[]`);
  if (s.type === 'object' && s.properties) {
    for (const [k, v] of Object.entries(s.properties)) checkSchema(v, `${where}.${k}`);
    return;
  }
  if (s.type === 'object') {
    if (s.additionalProperties) checkSchema(s.additionalProperties, `${where}{}`);
    return;
  }
  expect(['string', 'integer', 'number', 'boolean'], where).toContain(s.type);
}

describe('/openapi/v2 document', () => {
  it('has a definition per served kind, with its GVK, and every reference resolves', () => {
    for (const d of registry.all()) {
      const name = definitionName(d)!;
      const def = doc.definitions[name];
      expect(def, name).toBeDefined();
      expect(def['x-kubernetes-group-version-kind']).toEqual([{ group: d.group, version: d.version, kind: d.kind }]);
      expect(Object.keys(def.properties)).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'metadata']));
    }
    for (const [name, s] of Object.entries(doc.definitions)) checkSchema(s, name);
    const containers = doc.definitions['io.k8s.api.core.v1.PodSpec'].properties.containers;
    expect(containers).toMatchObject({
      type: 'array',
      items: { $ref: '#/definitions/io.k8s.api.core.v1.Container' },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
    expect(containers.description).toMatch(/^List of containers belonging to the pod/);
    expect(doc.definitions['io.k8s.api.core.v1.PodSpec'].required).toEqual(['containers']);
    expect(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({
      type: 'string',
      format: 'int-or-string',
    });
    expect(doc.definitions['io.k8s.api.core.v1.ResourceRequirements'].properties.limits).toMatchObject({
      type: 'object',
      additionalProperties: { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' },
    });
  });

  it('offers fieldValidation on a PATCH per kind, without strategic merge patch', () => {
    const op = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    expect(op['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(op.operationId).toBe('patchAppsV1NamespacedDeployment');
    expect(op.parameters.find((p: any) => p.name === 'fieldValidation')).toMatchObject({ in: 'query', type: 'string' });
    expect(op.consumes).not.toContain('application/strategic-merge-patch+json');
    expect(doc.paths['/api/v1/nodes/{name}'].patch['x-kubernetes-group-version-kind']).toEqual({
      group: '',
      version: 'v1',
      kind: 'Node',
    });
    expect(Object.keys(doc.paths)).toHaveLength(registry.served().length);
  });
});

describe('gnostic protobuf encoding', () => {
  const bytes = encodeGnostic(doc);
  const back = decodeGnostic(bytes);

  it('uses upstream field numbers', () => {
    const tiny = encodeGnostic({ swagger: '2.0', info: { title: 'T', version: 'v' } });
    // Document.swagger = 1, .info = 2 { title = 1, version = 2 }, .paths = 8 {}, .definitions = 9 {}
    expect([...tiny]).toEqual([
      0x0a,
      3,
      ...Buffer.from('2.0'),
      0x12,
      6,
      0x0a,
      1,
      0x54,
      0x12,
      1,
      0x76,
      0x42,
      0,
      0x4a,
      0,
    ]);
    const top = new Set<number>();
    const r = protobuf.Reader.create(bytes);
    while (r.pos < r.len) {
      const tag = r.uint32();
      top.add(tag >>> 3);
      r.skipType(tag & 7);
    }
    expect([...top].sort()).toEqual([1, 2, 8, 9]); // swagger, info, paths, definitions
  });

  it('reads back the way kubectl looks for fieldValidation support', () => {
    // cli-runtime's supportsQueryParam: the first path whose PATCH has the GVK extension decides.
    const supports = (group: string, version: string, kind: string) => {
      for (const path of back.paths.path) {
        const ext = (path.value.patch?.vendor_extension ?? []).find(
          (e: any) => e.name === 'x-kubernetes-group-version-kind',
        );
        const gvk = ext && JSON.parse(ext.value.yaml);
        if (!gvk || gvk.group !== group || gvk.version !== version || gvk.kind !== kind) continue;
        return path.value.patch.parameters.some(
          (p: any) => p.parameter?.non_body_parameter?.query_parameter_sub_schema?.name === 'fieldValidation',
        );
      }
      return false;
    };
    for (const d of registry.all()) expect(supports(d.group, d.version, d.kind), d.kind).toBe(true);
    expect(supports('example.com', 'v1', 'NotServed')).toBe(false);
  });

  it('keeps definitions: properties, references, arrays, maps and GVK extensions', () => {
    const defs = new Map<string, any>(back.definitions.additional_properties.map((n: any) => [n.name, n.value]));
    expect(defs.size).toBe(Object.keys(doc.definitions).length);
    const deployment = defs.get('io.k8s.api.apps.v1.Deployment');
    expect(deployment.type.value).toEqual(['object']);
    const props = new Map<string, any>(deployment.properties.additional_properties.map((n: any) => [n.name, n.value]));
    expect(props.get('spec')._ref).toBe('#/definitions/io.k8s.api.apps.v1.DeploymentSpec');
    expect(JSON.parse(deployment.vendor_extension[0].value.yaml)).toEqual([
      { group: 'apps', version: 'v1', kind: 'Deployment' },
    ]);
    const podSpec = new Map<string, any>(
      defs.get('io.k8s.api.core.v1.PodSpec').properties.additional_properties.map((n: any) => [n.name, n.value]),
    );
    expect(podSpec.get('containers').items.schema[0]._ref).toBe('#/definitions/io.k8s.api.core.v1.Container');
    expect(podSpec.get('nodeSelector').additional_properties.schema.type.value).toEqual(['string']);
  });
});

describe('serving /openapi/v2', () => {
  function get(headers: Record<string, string>) {
    let status = 0;
    let head: Record<string, unknown> = {};
    let body: Buffer = Buffer.alloc(0);
    const res = {
      writeHead: (s: number, h: Record<string, unknown>) => ((status = s), (head = h)),
      end: (b?: Buffer) => void (body = b ?? Buffer.alloc(0)),
    } as unknown as ServerResponse;
    api.serve({ headers } as IncomingMessage, res);
    return { status, head, body };
  }

  it('answers protobuf to kubectl, JSON otherwise, and 304 to a matching If-None-Match', () => {
    const pb = get({ accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    expect(pb.status).toBe(200);
    expect(pb.head['Content-Type']).toBe('application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    expect(decodeGnostic(pb.body).swagger).toBe('2.0');
    const json = get({ accept: 'application/json' });
    expect(json.head['Content-Type']).toBe('application/json');
    expect(JSON.parse(json.body.toString()).swagger).toBe('2.0');
    expect(get({}).head['Content-Type']).toBe('application/json');
    const again = get({
      accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      'if-none-match': String(pb.head.ETag),
    });
    expect(again.status).toBe(304);
    expect(json.head.ETag).not.toBe(pb.head.ETag);
  });
});
