import { createHash } from 'node:crypto';
import type { Registry } from '../store/registry.ts';
import { OpenApiV2 } from './openapi-v2.ts';

const VERSION = 'v1.32.4';

/**
 * A minimal OpenAPI v3: per group-version, one PATCH operation per kind carrying its GVK and a
 * `fieldValidation` parameter. That tells kubectl (apply/create -f) to leave validation to the
 * server (we honour fieldValidation=Strict) and to compute apply patches from its built-in types,
 * since no strategic-merge content type is advertised.
 */
export class OpenApi {
  private docs = new Map<string, { body: string; hash: string }>();
  /** `/openapi/v2`, which kubectl 1.27 and 1.28 read. */
  readonly v2: OpenApiV2;

  constructor(registry: Registry) {
    this.v2 = new OpenApiV2(registry, VERSION);
    const byGv = new Map<string, Record<string, unknown>>();
    for (const d of registry.all()) {
      const gvPath = d.group ? `apis/${d.group}/${d.version}` : `api/${d.version}`;
      const paths = byGv.get(gvPath) ?? {};
      const itemPath = d.namespaced ? `/${gvPath}/namespaces/{namespace}/${d.plural}/{name}` : `/${gvPath}/${d.plural}/{name}`;
      paths[itemPath] = {
        patch: {
          operationId: `patch${d.kind}`,
          'x-kubernetes-action': 'patch',
          'x-kubernetes-group-version-kind': { group: d.group, version: d.version, kind: d.kind },
          parameters: [
            { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
            { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
            { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
          ],
          requestBody: { content: { 'application/json-patch+json': { schema: { type: 'object' } }, 'application/merge-patch+json': { schema: { type: 'object' } } } },
          responses: { '200': { description: 'OK' } },
        },
      };
      byGv.set(gvPath, paths);
    }
    for (const [gv, paths] of byGv) {
      const body = JSON.stringify({ openapi: '3.0.0', info: { title: 'Kubernetes', version: VERSION }, paths, components: { schemas: {} } });
      this.docs.set(gv, { body, hash: createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase() });
    }
  }

  index(): unknown {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [gv, d] of this.docs) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${d.hash}` };
    return { paths };
  }

  doc(gv: string): string | undefined {
    return this.docs.get(gv)?.body;
  }
}
