import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest } from '../helpers/api-request.ts';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

const DIR = '/usr/lib/google-cloud-sdk/bin';
const VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'];

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
});
afterAll(async () => t?.stop());

describe('kubectl explain', () => {
  it.each(VERSIONS)('works with kubectl %s (fields, descriptions, --recursive)', async (v) => {
    const bin = join(DIR, `kubectl.${v}`);
    if (!existsSync(bin)) return;
    const field = await t.kubectl(['explain', 'deployment.spec.strategy.rollingUpdate.maxSurge'], { bin });
    expect(field.stdout).toMatch(/KIND:\s+Deployment/);
    expect(field.stdout).toMatch(/FIELD:\s+maxSurge <(IntOrString|string)>/);
    expect(field.stdout).toContain('The maximum number of pods that can be scheduled above the desired number');
    const rec = await t.kubectl(['explain', 'pods.spec.containers', '--recursive'], { bin });
    expect(rec.stdout).toMatch(/name\s+<string> -required-/);
    expect(rec.stdout).toMatch(/containerPort\s+<integer> -required-/);
    expect(rec.stdout).toMatch(/livenessProbe\s+<Probe>/);
    const svc = await t.kubectl(['explain', 'svc.spec.type'], { bin });
    expect(svc.stdout).toMatch(/FIELD:\s+type <string>/);
  });
});

describe('/openapi/v3', () => {
  it('serves a document per group-version with schemas, extensions and caching headers', async () => {
    const index = await (await apiRequest(t, '/openapi/v3')).json();
    const url: string = index.paths['apis/apps/v1'].serverRelativeURL;
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    const res = await apiRequest(t, url);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, immutable');
    const etag = res.headers.etag as string;
    expect(etag).toBe(`"${url.split('hash=')[1]}"`);
    const doc = await res.json();
    const schemas = doc.components.schemas;
    expect(schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind']).toEqual([
      { group: 'apps', kind: 'Deployment', version: 'v1' },
    ]);
    const containers = schemas['io.k8s.api.core.v1.PodSpec'].properties.containers;
    expect(containers).toMatchObject({
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
    });
    expect(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']['x-kubernetes-map-type']).toBe('atomic');
    const again = await apiRequest(t, url, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    const stale = await apiRequest(t, '/openapi/v3/apis/apps/v1?hash=0000');
    expect(stale.status).toBe(301);
    expect(stale.headers.location).toBe(url);
    const missing = await apiRequest(t, '/openapi/v3/apis/nope/v1');
    expect(missing.status).toBe(404);
  });
});
