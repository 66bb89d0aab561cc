import type { KObject } from '../../api-types/index.ts';
import type { TokenIssuer, BoundObject } from '../auth/tokens.ts';
import { API_AUDIENCES } from '../auth/tokens.ts';
import { rfc3339 } from '../clock.ts';
import { ApiError, errors } from '../store/errors.ts';
import { sendJson } from './respond.ts';
import { checkIdentity, readObject } from './rest.ts';
import type { RestRequest } from './types.ts';

const BOUND: Record<string, { resource: string; namespaced: boolean }> = {
  Pod: { resource: 'pods', namespaced: true },
  Secret: { resource: 'secrets', namespaced: true },
  Node: { resource: 'nodes', namespaced: false },
};

const invalid = (name: string, field: string, value: unknown, why: string) =>
  errors.invalid('authentication.k8s.io', 'TokenRequest', name, [
    { reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: ${why}` },
  ]);

/** POST serviceaccounts/NAME/token: a signed, expiring, optionally bound token (kubectl create token). */
export async function handleTokenRequest(r: RestRequest, issuer: TokenIssuer): Promise<void> {
  const { ctx, req, res, path } = r;
  if (req.method !== 'POST') throw errors.methodNotAllowed();
  const ns = path.namespace!;
  const name = path.name!;
  const body = await readObject(r);
  checkIdentity(r, body, 'TokenRequest', 'authentication.k8s.io/v1');
  const sa = ctx.store.mustGet('serviceaccounts', ns, name);
  const spec = (body.spec ?? {}) as {
    audiences?: string[];
    expirationSeconds?: number;
    boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string };
  };
  const seconds = spec.expirationSeconds ?? 3600;
  if (!Number.isInteger(seconds)) throw invalid(name, 'spec.expirationSeconds', seconds, 'must be an integer');
  if (seconds < 600)
    throw invalid(name, 'spec.expirationSeconds', seconds, 'may not specify a duration less than 10 minutes');
  if (seconds > 2 ** 32)
    throw invalid(name, 'spec.expirationSeconds', seconds, 'may not specify a duration larger than 2^32 seconds');
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length ? spec.audiences.map(String) : API_AUDIENCES;
  let bound: BoundObject | undefined;
  let node: { name: string; uid: string } | undefined;
  const ref = spec.boundObjectRef;
  if (ref) {
    const kind = BOUND[ref.kind ?? ''];
    if (!kind) throw errors.badRequest(`cannot bind token to object of type ${ref.kind ?? '""'}`);
    if (!ref.name) throw invalid(name, 'spec.boundObjectRef.name', '', 'must be set');
    const target = ctx.store.get(kind.resource, kind.namespaced ? ns : undefined, ref.name);
    if (!target) throw errors.notFound('', kind.resource, ref.name);
    if (ref.uid && ref.uid !== target.metadata.uid) {
      throw new ApiError(
        409,
        'Conflict',
        `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
      );
    }
    if (ref.kind === 'Pod' && (target.spec?.serviceAccountName ?? 'default') !== name) {
      throw errors.badRequest(
        `cannot bind token for serviceaccount "${name}" to pod running with different serviceaccount name.`,
      );
    }
    bound = { kind: ref.kind as BoundObject['kind'], name: ref.name, uid: target.metadata.uid! };
    if (ref.kind === 'Pod' && target.spec?.nodeName) {
      const n = ctx.store.get('nodes', undefined, target.spec.nodeName);
      if (n) node = { name: n.metadata.name!, uid: n.metadata.uid! };
    }
  }
  const { token, expiresAt } = issuer.issue(sa, { audiences, expirationSeconds: seconds, bound, node });
  const out: KObject = {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace: ns, creationTimestamp: null },
    spec: {
      audiences,
      expirationSeconds: seconds,
      boundObjectRef: ref
        ? { kind: ref.kind, apiVersion: ref.apiVersion ?? 'v1', name: ref.name, uid: bound!.uid }
        : null,
    },
    status: { token, expirationTimestamp: rfc3339(expiresAt) },
  };
  sendJson(res, 201, out);
}
