import type { KubeConfig } from '@kubernetes/client-node';
import { CachePool } from './cache-pool.ts';
import { discoverResources, fetchVersion, type ServerVersion } from './discovery.ts';
import { currentContextInfo, listContexts, type ContextInfo } from './kubeconfig.ts';
import { ResourceRegistry } from './registry.ts';
import type { CacheOptions } from './table-cache.ts';
import { Transport } from './transport.ts';

/** Everything the UI needs to talk to one cluster through one kubeconfig context. */
export class ClusterSession {
  readonly pool: CachePool;

  constructor(
    readonly kc: KubeConfig,
    readonly transport: Transport,
    readonly registry: ResourceRegistry,
    readonly version: ServerVersion,
    readonly context: ContextInfo,
    cacheOpts?: CacheOptions & { lingerMs?: number },
  ) {
    this.pool = new CachePool(transport, cacheOpts);
  }

  /** The namespace to start in: the context's, else `default`. */
  get defaultNamespace(): string {
    return this.context.namespace || 'default';
  }

  contexts(): ContextInfo[] {
    return listContexts(this.kc);
  }

  close(): void {
    this.pool.closeAll();
    this.transport.close();
  }
}

export interface ConnectOptions {
  timeoutMs?: number;
  cache?: CacheOptions & { lingerMs?: number };
}

/** Version + discovery, each bounded by a timeout so an unreachable cluster fails fast. */
export async function connect(kc: KubeConfig, opts: ConnectOptions = {}): Promise<ClusterSession> {
  const timeoutMs = opts.timeoutMs ?? 8_000;
  const transport = new Transport(kc);
  try {
    const [version, resources] = await Promise.all([
      fetchVersion(transport, timeoutMs),
      discoverResources(transport, timeoutMs),
    ]);
    return new ClusterSession(kc, transport, new ResourceRegistry(resources), version, currentContextInfo(kc), opts.cache);
  } catch (err) {
    transport.close();
    throw err;
  }
}
