import { randomUUID, sign } from 'node:crypto';
import { base64url, errors as joseErrors, jwtVerify } from 'jose';
import type { KObject } from '../../api-types/index.ts';
import type { Clock } from '../clock.ts';
import type { SigningKeys } from './sa-keys.ts';
import { serviceAccountUsername } from './user.ts';

export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** The API server's own audience: tokens without an explicit audience are for it. */
export const API_AUDIENCES = [ISSUER];

export interface BoundObject {
  kind: 'Pod' | 'Secret' | 'Node';
  name: string;
  uid: string;
}

export interface IssueOptions {
  audiences?: string[];
  expirationSeconds: number;
  bound?: BoundObject;
  /** For pod-bound tokens, the node the pod runs on (claimed as upstream does). */
  node?: { name: string; uid: string };
}

/** The private claims of a service-account token (upstream's `kubernetes.io` claim). */
export interface KubernetesClaims {
  namespace: string;
  serviceaccount: { name: string; uid: string };
  pod?: { name: string; uid: string };
  secret?: { name: string; uid: string };
  node?: { name: string; uid: string };
}

export interface VerifiedToken {
  claims: KubernetesClaims;
  jti?: string;
  exp: number;
}

/** Why a token was refused; the message goes into the 401 body. */
export class TokenError extends Error {}

/** Signs and verifies service-account JWTs (ES256, the engine's issuer). */
export class TokenIssuer {
  constructor(
    private readonly keys: SigningKeys,
    private readonly clock: Clock,
  ) {}

  /** A signed ES256 JWS (synchronous, so the kubelet can write token files in one pass). */
  issue(sa: KObject, opts: IssueOptions): { token: string; expiresAt: number } {
    const now = Math.floor(this.clock.now() / 1000);
    const exp = now + opts.expirationSeconds;
    const ns = sa.metadata.namespace!;
    const claims: KubernetesClaims = {
      namespace: ns,
      serviceaccount: { name: sa.metadata.name!, uid: sa.metadata.uid! },
    };
    if (opts.bound?.kind === 'Pod') claims.pod = { name: opts.bound.name, uid: opts.bound.uid };
    if (opts.bound?.kind === 'Secret') claims.secret = { name: opts.bound.name, uid: opts.bound.uid };
    if (opts.bound?.kind === 'Node') claims.node = { name: opts.bound.name, uid: opts.bound.uid };
    if (opts.node) claims.node = opts.node;
    const payload = {
      aud: opts.audiences?.length ? opts.audiences : API_AUDIENCES,
      exp,
      iat: now,
      iss: ISSUER,
      jti: randomUUID(),
      'kubernetes.io': claims,
      nbf: now,
      sub: serviceAccountUsername(ns, sa.metadata.name!),
    };
    const enc = (o: object) => base64url.encode(JSON.stringify(o));
    const input = `${enc({ alg: 'ES256', kid: this.keys.kid })}.${enc(payload)}`;
    const sig = sign('sha256', Buffer.from(input), { key: this.keys.signingKey, dsaEncoding: 'ieee-p1363' });
    return { token: `${input}.${base64url.encode(sig)}`, expiresAt: exp * 1000 };
  }

  /** Check signature, issuer, audience and time; the caller checks the objects still exist. */
  async verify(token: string, audiences = API_AUDIENCES): Promise<VerifiedToken> {
    try {
      const { payload } = await jwtVerify(token, this.keys.publicKey, {
        issuer: ISSUER,
        audience: audiences,
        currentDate: new Date(this.clock.now()),
        algorithms: ['ES256'],
      });
      const k8s = payload['kubernetes.io'] as KubernetesClaims | undefined;
      if (!k8s?.namespace || !k8s.serviceaccount?.name) throw new TokenError('token lacks the kubernetes.io claims');
      return { claims: k8s, jti: payload.jti, exp: (payload.exp ?? 0) * 1000 };
    } catch (e) {
      if (e instanceof TokenError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new TokenError('service account token has expired');
      if (e instanceof joseErrors.JWTClaimValidationFailed) {
        if (e.claim === 'aud') throw new TokenError('token audiences do not match the API server audience');
        if (e.claim === 'iss') throw new TokenError('token issuer is not this API server');
        throw new TokenError(`invalid token claim ${e.claim}: ${e.reason}`);
      }
      if (e instanceof joseErrors.JWSSignatureVerificationFailed)
        throw new TokenError('token signature is invalid (not signed by this cluster)');
      throw new TokenError(`invalid bearer token: ${(e as Error).message}`);
    }
  }
}
