import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Clock } from '../clock.ts';
import { ApiError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import { TokenError, type TokenIssuer, type VerifiedToken } from './tokens.ts';
import { ADMIN_USER, serviceAccountGroups, serviceAccountUsername, type UserInfo } from './user.ts';

const CACHE_MS = 10_000;
const MAX_CACHED = 5000;

export function unauthorized(why?: string): ApiError {
  return new ApiError(401, 'Unauthorized', why ? `Unauthorized: ${why}` : 'Unauthorized');
}

/**
 * Bearer-token authentication: the kubeconfig's admin token (a user in system:masters) or a
 * service-account JWT signed by this engine, whose service account (and bound pod or secret) must
 * still exist with the uid the token names. Signatures are verified once per token and cached
 * briefly; the objects are looked up on every request, so deleting one revokes at once.
 */
export class Authenticator {
  private readonly admin: Buffer;
  private verified = new Map<string, { at: number; token: VerifiedToken }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    adminToken: string,
    private readonly issuer: TokenIssuer,
  ) {
    this.admin = Buffer.from(adminToken);
  }

  /** The request's user; throws 401 for a missing or refused token. */
  async authenticate(req: IncomingMessage): Promise<UserInfo> {
    const h = req.headers.authorization;
    if (!h || !/^bearer /i.test(h)) throw unauthorized();
    const token = h.slice(7).trim();
    if (!token) throw unauthorized();
    const given = Buffer.from(token);
    if (given.length === this.admin.length && timingSafeEqual(given, this.admin)) return ADMIN_USER;
    if (token.split('.').length !== 3) throw unauthorized('invalid bearer token');
    return this.serviceAccountUser(await this.verify(token));
  }

  /** Verify a token for TokenReview: the same checks, with the audiences asked for. */
  async review(token: string, audiences?: string[]): Promise<UserInfo> {
    try {
      return this.serviceAccountUser(await this.issuer.verify(token, audiences?.length ? audiences : undefined));
    } catch (e) {
      if (e instanceof TokenError) throw unauthorized(e.message);
      throw e;
    }
  }

  private async verify(token: string): Promise<VerifiedToken> {
    const now = this.clock.now();
    const hit = this.verified.get(token);
    if (hit && now - hit.at < CACHE_MS && now < hit.token.exp) return hit.token;
    try {
      const v = await this.issuer.verify(token);
      if (this.verified.size > MAX_CACHED) this.verified.clear();
      this.verified.set(token, { at: now, token: v });
      return v;
    } catch (e) {
      this.verified.delete(token);
      if (e instanceof TokenError) throw unauthorized(e.message);
      throw e;
    }
  }

  private serviceAccountUser(v: VerifiedToken): UserInfo {
    const { namespace, serviceaccount, pod, secret } = v.claims;
    const sa = this.store.get('serviceaccounts', namespace, serviceaccount.name);
    if (!sa) throw unauthorized(`service account ${namespace}/${serviceaccount.name} has been deleted`);
    if (sa.metadata.uid !== serviceaccount.uid)
      throw unauthorized(
        `service account ${namespace}/${serviceaccount.name} was recreated (uid ${sa.metadata.uid} does not match the token's ${serviceaccount.uid})`,
      );
    const extra: Record<string, string[]> = {};
    if (pod) {
      const p = this.store.get('pods', namespace, pod.name);
      if (!p || p.metadata.uid !== pod.uid)
        throw unauthorized(`the pod ${namespace}/${pod.name} the token is bound to no longer exists`);
      if (p.metadata.deletionTimestamp)
        throw unauthorized(`the pod ${namespace}/${pod.name} the token is bound to is being deleted`);
      extra['authentication.kubernetes.io/pod-name'] = [pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [pod.uid];
    }
    if (secret) {
      const s = this.store.get('secrets', namespace, secret.name);
      if (!s || s.metadata.uid !== secret.uid)
        throw unauthorized(`the secret ${namespace}/${secret.name} the token is bound to no longer exists`);
    }
    if (v.claims.node) {
      extra['authentication.kubernetes.io/node-name'] = [v.claims.node.name];
      extra['authentication.kubernetes.io/node-uid'] = [v.claims.node.uid];
    }
    if (v.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${v.jti}`];
    return {
      name: serviceAccountUsername(namespace, serviceaccount.name),
      uid: sa.metadata.uid,
      groups: serviceAccountGroups(namespace),
      extra,
    };
  }
}
