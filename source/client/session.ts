import type { KubeConfig } from '@kubernetes/client-node';
import { CachePool } from './cache-pool.ts';
import { discover, fetchVersion, type Discovery, type ServerVersion } from './discovery.ts';
import { currentContextInfo, listContexts, type ContextInfo } from './kubeconfig.ts';
import { ResourceRegistry } from './registry.ts';
import type { CacheOptions } from './table-cache.ts';
import type { LendTerminal } from './exec-credential.ts';
import { Transport } from './transport.ts';

/** Everything the UI needs to talk to one cluster through one kubeconfig context. */
export class ClusterSession {
  readonly pool: CachePool;
  /** Replaced when discovery is refreshed (CRDs installed after connect). */
  registry: ResourceRegistry;
  private incomplete: string[] = [];
  private refreshing?: Promise<boolean>;
  private readonly refreshTimer?: NodeJS.Timeout;

  constructor(
    readonly kc: KubeConfig,
    readonly transport: Transport,
    registry: ResourceRegistry | Discovery,
    readonly version: ServerVersion,
    readonly context: ContextInfo,
    cacheOpts?: CacheOptions & { lingerMs?: number; discoveryRefreshMs?: number },
  ) {
    this.pool = new CachePool(transport, cacheOpts);
    if (registry instanceof ResourceRegistry) this.registry = registry;
    else {
      this.registry = new ResourceRegistry(registry.resources);
      this.incomplete = registry.incomplete;
    }
    const every = cacheOpts?.discoveryRefreshMs ?? (Number(process.env.SKIFF_DISCOVERY_REFRESH_MS) || 5 * 60_000);
    this.refreshTimer = setInterval(() => void this.rediscover().catch(() => {}), every);
    this.refreshTimer.unref?.();
  }

  /**
   * Discovery again (periodically, and when the user names a resource we do not know); groups
   * that failed or are stale this time keep their last known resources. True when anything changed.
   */
  rediscover(): Promise<boolean> {
    this.refreshing ??= (async () => {
      try {
        const next = await discover(this.transport);
        const known = new Set(next.resources.map((r) => `${r.group}/${r.plural}`));
        const kept = this.registry.resources.filter(
          (r) => next.incomplete.includes(r.group) && !known.has(`${r.group}/${r.plural}`),
        );
        const resources = [...next.resources, ...kept];
        this.incomplete = next.incomplete;
        const before = this.registry.resources
          .map((r) => `${r.group}/${r.version}/${r.plural}/${r.verbs.join(',')}`)
          .join(' ');
        const after = resources.map((r) => `${r.group}/${r.version}/${r.plural}/${r.verbs.join(',')}`).join(' ');
        if (before === after) return false;
        this.registry = new ResourceRegistry(resources);
        return true;
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** Groups the last discovery could not read (failed or `Stale`). */
  get incompleteGroups(): readonly string[] {
    return this.incomplete;
  }

  /** The namespace to start in: the context's, else `default`. */
  get defaultNamespace(): string {
    return this.context.namespace || 'default';
  }

  contexts(): ContextInfo[] {
    return listContexts(this.kc);
  }

  close(): void {
    clearInterval(this.refreshTimer);
    this.pool.closeAll();
    this.transport.close();
  }
}

export interface ConnectOptions {
  timeoutMs?: number;
  /** Lines a credential plugin writes to stderr (prompts, device-code URLs), for the user to see. */
  onAuthOutput?: (line: string) => void;
  /** Gives an interactive credential plugin (interactiveMode: Always) the terminal. */
  lendTerminal?: LendTerminal;
  cache?: CacheOptions & { lingerMs?: number; discoveryRefreshMs?: number };
  /** Version and discovery already asked for this very KubeConfig (beginHandshake): taken over. */
  handshake?: Handshake;
}

/** A transport with the server's version and discovery asked, answered or on the way. */
export interface Handshake {
  kc: KubeConfig;
  transport: Transport;
  answer: Promise<[ServerVersion, Discovery]>;
}

/** Asks version and discovery, each bounded by a timeout so an unreachable cluster fails fast. */
export function beginHandshake(kc: KubeConfig, timeoutMs = 8_000, transport = new Transport(kc)): Handshake {
  const answer = Promise.all([fetchVersion(transport, timeoutMs), discover(transport, timeoutMs)]);
  return { kc, transport, answer };
}

/** Version + discovery (or the handshake begun for `kc`), then a session. */
export async function connect(kc: KubeConfig, opts: ConnectOptions = {}): Promise<ClusterSession> {
  let handshake = opts.handshake?.kc === kc ? opts.handshake : undefined;
  if (!handshake) {
    const transport = new Transport(kc, { lendTerminal: opts.lendTerminal });
    if (opts.onAuthOutput) transport.credentials.plugin?.onStderr(opts.onAuthOutput);
    handshake = beginHandshake(kc, opts.timeoutMs, transport);
  } else if (opts.onAuthOutput) handshake.transport.credentials.plugin?.onStderr(opts.onAuthOutput);
  const { transport } = handshake;
  try {
    const [version, discovery] = await handshake.answer;
    return new ClusterSession(kc, transport, discovery, version, currentContextInfo(kc), opts.cache);
  } catch (err) {
    transport.close();
    throw err;
  }
}
