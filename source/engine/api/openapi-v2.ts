import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '../store/registry.ts';
import type { ResourceDef } from '../resources/types.ts';
import { encodeGnostic } from './openapi-gnostic.ts';
import { definitionName, definitionsFor } from './openapi/documents.ts';

const PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
/** kubectl asks with `@v1.0`, the apiserver answers with `.v1.0`; both are accepted. */
const WANTS_PROTOBUF = /application\/com\.github\.proto-openapi\.spec\.v2[@.]v1\.0\+protobuf/;

// Allowed `any` (eslint.config.js): schema documents of any shape, built and walked field by field.
type Json = Record<string, any>;

/**
 * `/openapi/v2`: definitions for every served kind (from the field catalogue) and one PATCH
 * operation per kind. kubectl 1.27/1.28 parse it before `apply`/`create -f`: a PATCH operation whose
 * `x-kubernetes-group-version-kind` matches and which takes `fieldValidation` makes them leave
 * validation to the server (fieldValidation=Strict). `consumes` leaves out strategic merge patch, so
 * they compute apply patches from their built-in types rather than from these definitions.
 */
export class OpenApiV2 {
  private json?: { body: Buffer; etag: string };
  private pb?: { body: Buffer; etag: string };
  private revision = -1;

  constructor(
    private registry: Registry,
    private version: string,
  ) {}

  document(): Json {
    const paths: Json = {};
    const served = this.registry.served();
    const definitions = definitionsFor(served);
    for (const d of served) {
      const schema = definitionName(d);
      const gv = d.group ? `apis/${d.group}/${d.version}` : `api/${d.version}`;
      const path = d.namespaced ? `/${gv}/namespaces/{namespace}/${d.plural}/{name}` : `/${gv}/${d.plural}/{name}`;
      const gvName = `${d.group ? d.group.split('.')[0] : 'core'}${d.version[0]!.toUpperCase()}${d.version.slice(1)}`;
      paths[path] = { patch: patchOperation(d, gvName, schema) };
    }
    return { swagger: '2.0', info: { title: 'Kubernetes', version: this.version }, paths, definitions };
  }

  serve(req: IncomingMessage, res: ServerResponse): void {
    if (this.revision !== this.registry.revision) {
      this.revision = this.registry.revision;
      this.json = this.pb = undefined;
    }
    const protobuf = WANTS_PROTOBUF.test(req.headers.accept ?? '');
    const doc = protobuf
      ? (this.pb ??= withEtag(Buffer.from(encodeGnostic(this.document()))))
      : (this.json ??= withEtag(Buffer.from(JSON.stringify(this.document()))));
    const headers = { ETag: doc.etag, 'Cache-Control': 'no-cache, private', Vary: 'Accept' };
    if (req.headers['if-none-match'] === doc.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': protobuf ? PROTOBUF : 'application/json',
      'Content-Length': doc.body.length,
    });
    res.end(doc.body);
  }
}

function withEtag(body: Buffer): { body: Buffer; etag: string } {
  return { body, etag: `"${createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase()}"` };
}

function patchOperation(d: ResourceDef, gvName: string, schema: string | undefined): Json {
  const query = (name: string, description: string) => ({
    name,
    in: 'query',
    type: 'string',
    uniqueItems: true,
    description,
  });
  const pathParam = (name: string) => ({ name, in: 'path', required: true, type: 'string', uniqueItems: true });
  return {
    tags: [gvName.replace(/([A-Z])/, '_$1').toLowerCase()],
    description: `partially update the specified ${d.kind}`,
    operationId: `patch${gvName[0]!.toUpperCase()}${gvName.slice(1)}${d.namespaced ? 'Namespaced' : ''}${d.kind}`,
    consumes: ['application/json-patch+json', 'application/merge-patch+json'],
    produces: ['application/json'],
    schemes: ['https'],
    parameters: [
      { name: 'body', in: 'body', required: true, schema: { type: 'object' } },
      query('dryRun', 'When present, indicates that modifications should not be persisted.'),
      query('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
      query(
        'fieldValidation',
        'instructs the server on how to handle objects in the request containing unknown or duplicate fields: Ignore, Warn or Strict.',
      ),
      pathParam('name'),
      ...(d.namespaced ? [pathParam('namespace')] : []),
    ],
    responses: { '200': { description: 'OK', ...(schema ? { schema: { $ref: `#/definitions/${schema}` } } : {}) } },
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': { group: d.group, version: d.version, kind: d.kind },
  };
}
