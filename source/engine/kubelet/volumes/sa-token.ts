import type { KObject } from '../../../api-types/index.ts';
import type { TokenIssuer } from '../../auth/tokens.ts';
import type { Clock } from '../../clock.ts';
import type { Store } from '../../store/store.ts';
import type { TokenProvider } from './payload.ts';

/**
 * Projected service-account tokens from the engine's TokenRequest issuer, bound to the pod and
 * its node. A token is reused until 80 % of its lifetime has passed, as the kubelet's token
 * manager does, so the volume is rewritten only when the token really turns over.
 */
export function issuerTokens(store: Store, clock: Clock, issuer: TokenIssuer): TokenProvider {
  const cache = new Map<string, { token: string; refreshAt: number }>();
  return (pod: KObject, source) => {
    const ns = pod.metadata.namespace ?? 'default';
    const sa = store.get('serviceaccounts', ns, pod.spec?.serviceAccountName || 'default');
    if (!sa) return undefined;
    const seconds = Math.max(600, Number(source.expirationSeconds ?? 3600));
    const key = `${pod.metadata.uid}/${source.audience ?? ''}/${seconds}/${sa.metadata.uid}`;
    const hit = cache.get(key);
    if (hit && clock.now() < hit.refreshAt) return hit.token;
    const node = store.get('nodes', undefined, pod.spec?.nodeName ?? '');
    const { token } = issuer.issue(sa, {
      expirationSeconds: seconds,
      audiences: source.audience ? [source.audience] : undefined,
      bound: { kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid! },
      node: node ? { name: node.metadata.name!, uid: node.metadata.uid! } : undefined,
    });
    for (const k of cache.keys()) if (k.startsWith(`${pod.metadata.uid}/`) && k !== key) cache.delete(k);
    cache.set(key, { token, refreshAt: clock.now() + seconds * 800 });
    return token;
  };
}
