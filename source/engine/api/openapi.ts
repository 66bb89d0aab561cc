import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceDef } from '../resources/types.ts';
import type { Registry } from '../store/registry.ts';
import { errors } from '../store/errors.ts';
import { toV3 } from './openapi/catalogue.ts';
import { definitionName, definitionsFor } from './openapi/documents.ts';
import { OpenApiV2 } from './openapi-v2.ts';

const VERSION = 'v1.32.4';

/**
 * /openapi/v3: one document per group-version with the schemas of its kinds (from the catalogue,
 * custom resources from their CRD) and one PATCH operation per kind carrying its GVK and a
 * `fieldValidation` parameter, which tells kubectl to leave validation to the server. No strategic
 * merge content type is advertised, so kubectl computes apply patches from its built-in types.
 * Documents are rebuilt when the served kinds change (CRDs); each is addressed by its hash.
 */
export class OpenApi {
  private docs = new Map<string, { body: string; hash: string }>();
  private revision = -1;
  /** `/openapi/v2`, which kubectl 1.27 and 1.28 read. */
  readonly v2: OpenApiV2;

  constructor(private registry: Registry) {
    this.v2 = new OpenApiV2(registry, VERSION);
  }

  private current(): Map<string, { body: string; hash: string }> {
    if (this.revision === this.registry.revision) return this.docs;
    this.revision = this.registry.revision;
    const byGv = new Map<string, ResourceDef[]>();
    for (const d of this.registry.served()) {
      const gv = d.group ? `apis/${d.group}/${d.version}` : `api/${d.version}`;
      byGv.set(gv, [...(byGv.get(gv) ?? []), d]);
    }
    this.docs = new Map();
    for (const [gv, defs] of [...byGv].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const paths: Record<string, unknown> = {};
      for (const d of defs) paths[itemPath(gv, d)] = { patch: patchOperation(d) };
      const schemas = toV3(definitionsFor(defs));
      const body = JSON.stringify({
        openapi: '3.0.0',
        info: { title: 'Kubernetes', version: VERSION },
        paths,
        components: { schemas },
      });
      this.docs.set(gv, { body, hash: createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase() });
    }
    return this.docs;
  }

  index(): unknown {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [gv, d] of this.current()) paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${d.hash}` };
    return { paths };
  }

  doc(gv: string): string | undefined {
    return this.current().get(gv)?.body;
  }

  /** One group-version document: immutable under its hash; an outdated hash redirects to the current one. */
  serve(gv: string, url: URL, req: IncomingMessage, res: ServerResponse): void {
    const doc = this.current().get(gv);
    if (!doc) throw errors.notFound('', 'openapi', `/openapi/v3/${gv}`);
    const asked = url.searchParams.get('hash');
    if (asked && asked !== doc.hash) {
      res.writeHead(301, { Location: `/openapi/v3/${gv}?hash=${doc.hash}`, 'Cache-Control': 'no-cache, private' });
      res.end();
      return;
    }
    const headers = {
      Etag: `"${doc.hash}"`,
      'Cache-Control': asked ? 'public, immutable' : 'no-cache, private',
      Vary: 'Accept',
      Expires: asked ? new Date(Date.now() + 365 * 86400_000).toUTCString() : undefined,
    };
    const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<
      string,
      string
    >;
    if (req.headers['if-none-match'] === `"${doc.hash}"`) {
      res.writeHead(304, clean);
      res.end();
      return;
    }
    res.writeHead(200, { ...clean, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(doc.body) });
    res.end(doc.body);
  }
}

function itemPath(gv: string, d: ResourceDef): string {
  return d.namespaced ? `/${gv}/namespaces/{namespace}/${d.plural}/{name}` : `/${gv}/${d.plural}/{name}`;
}

function patchOperation(d: ResourceDef): unknown {
  const name = definitionName(d);
  return {
    operationId: `patch${d.kind}`,
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': { group: d.group, version: d.version, kind: d.kind },
    parameters: [
      { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
    ],
    requestBody: {
      content: {
        'application/apply-patch+yaml': { schema: { type: 'object' } },
        'application/json-patch+json': { schema: { type: 'object' } },
        'application/merge-patch+json': { schema: { type: 'object' } },
      },
    },
    responses: {
      '200': {
        description: 'OK',
        content: name ? { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } } : {},
      },
    },
  };
}
