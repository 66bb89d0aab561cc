import type { Transport } from './transport.ts';

/** One question for the API server's authorizer: may the current user do this? */
export interface AccessQuery {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** '' = cluster-wide (cluster-scoped resources, or all namespaces). */
  namespace: string;
}

const TTL_MS = 60_000;

function keyOf(q: AccessQuery): string {
  return `${q.namespace}\0${q.group}\0${q.resource}\0${q.subresource ?? ''}\0${q.verb}`;
}

/**
 * SelfSubjectAccessReviews with a cache, per session (so per context): what the TUI asks before
 * offering an action. A cluster that cannot answer (no authorization API, an error) is taken as
 * allowing: the action then fails with the server's own message, as it would without the check.
 */
export class AccessReviews {
  private cache = new Map<string, { allowed: boolean; at: number }>();
  private pending = new Map<string, Promise<boolean>>();

  constructor(
    private readonly transport: Transport,
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached answer, if fresh. */
  known(q: AccessQuery): boolean | undefined {
    const hit = this.cache.get(keyOf(q));
    return hit && this.now() - hit.at < TTL_MS ? hit.allowed : undefined;
  }

  check(q: AccessQuery): Promise<boolean> {
    const known = this.known(q);
    if (known !== undefined) return Promise.resolve(known);
    const key = keyOf(q);
    let p = this.pending.get(key);
    if (p) return p;
    p = this.ask(q)
      .then((allowed) => {
        this.cache.set(key, { allowed, at: this.now() });
        return allowed;
      })
      .catch(() => true)
      .finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  private async ask(q: AccessQuery): Promise<boolean> {
    const review = await this.transport.json<{ status?: { allowed?: boolean } }>({
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      body: JSON.stringify({
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: {
            namespace: q.namespace || undefined,
            verb: q.verb,
            group: q.group,
            resource: q.resource,
            subresource: q.subresource || undefined,
          },
        },
      }),
      contentType: 'application/json',
    });
    return review.status?.allowed === true;
  }
}
