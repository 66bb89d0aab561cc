import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { evict } from './actions.ts';
import { KubeError } from './errors.ts';
import type { Transport } from './transport.ts';

export interface DrainProgress {
  total: number;
  evicted: number;
  /** Pods whose eviction a PodDisruptionBudget refuses for now (429), with the server's reason. */
  blocked: Map<string, string>;
}

export interface DrainOptions {
  /** Between retries of a refused eviction; kubectl waits 5 s. */
  retryMs?: number;
  /** Give up after this long (kubectl's --timeout; default 10 minutes). */
  timeoutMs?: number;
  onProgress?: (p: DrainProgress) => void;
  signal?: AbortSignal;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Evict the node's pods as `kubectl drain` does (the node is cordoned by the caller): every pod
 * is evicted on its own, and one a PodDisruptionBudget protects (429) is retried every 5 s until
 * the budget allows it, instead of the whole drain failing at the first refusal. DaemonSet pods
 * stay; pods already gone count as evicted. Resolves with the number of pods evicted.
 */
export async function evictNodePods(t: Transport, node: string, opts: DrainOptions = {}): Promise<number> {
  const retryMs = opts.retryMs ?? 5_000;
  const deadline = Date.now() + (opts.timeoutMs ?? 600_000);
  const list = await t.json<{ items: Pod[] }>({
    path: '/api/v1/pods',
    query: { fieldSelector: `spec.nodeName=${node}` },
  });
  const pods = list.items.filter(
    (p) => !p.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet') && !p.metadata?.deletionTimestamp,
  );
  const progress: DrainProgress = { total: pods.length, evicted: 0, blocked: new Map() };
  const report = () => opts.onProgress?.({ ...progress, blocked: new Map(progress.blocked) });
  report();
  await Promise.all(
    pods.map(async (p) => {
      const ref = { namespace: p.metadata!.namespace!, name: p.metadata!.name! };
      const key = `${ref.namespace}/${ref.name}`;
      for (;;) {
        if (opts.signal?.aborted) throw new KubeError('drain cancelled', 0, 'Aborted');
        try {
          await evict(t, ref);
        } catch (err) {
          if (!(err instanceof KubeError)) throw err;
          if (err.code === 404) break;
          if (err.code !== 429) throw err;
          const why = err.status?.details?.causes?.[0]?.message ?? err.message;
          if (Date.now() + retryMs > deadline) {
            throw new KubeError(
              `drain of node ${node} gave up: cannot evict pod ${key}: ${err.message} ${why}`,
              429,
              err.reason,
              err.status,
            );
          }
          // Reported on every refusal, so a status line showing it stays up while the drain waits.
          progress.blocked.set(key, why);
          report();
          await sleep(retryMs, opts.signal);
          continue;
        }
        break;
      }
      progress.blocked.delete(key);
      progress.evicted++;
      report();
    }),
  );
  return progress.evicted;
}

/** One line for the status bar while a drain runs. */
export function drainStatus(node: string, p: DrainProgress): string {
  const waiting = p.blocked.size
    ? `; ${p.blocked.size} waiting for a disruption budget, retrying every 5s (${[...p.blocked.values()][0]})`
    : '';
  return `Draining node/${node}: ${p.evicted}/${p.total} pods evicted${waiting}`;
}
