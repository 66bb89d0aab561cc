import type { Clock } from '../clock.ts';
import type { Catalog, ResolvedImage } from './catalog.ts';
import { ImageNeverPullError } from './errors.ts';

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface PullResult {
  resolved: ResolvedImage;
  /** The image was already on the node: the kubelet says "already present on machine". */
  cached: boolean;
  /** Time the pull took in clock milliseconds (0 when cached). */
  durationMs: number;
}

/** An image in a node's cache, shaped for `node.status.images`. */
export interface CachedImage {
  names: string[];
  sizeBytes: number;
}

/**
 * Each node's image cache. A first pull waits `delayMs` on the clock; concurrent pulls of one
 * image on one node share that wait, like containerd's. `Always` pulls again but, the content
 * being unchanged, only waits a tenth of the delay (a manifest check).
 */
export class ImagePuller {
  private nodes = new Map<string, Map<string, ResolvedImage>>();
  private inflight = new Map<string, Promise<void>>();

  constructor(
    private catalog: Catalog,
    private clock: Clock,
    private delayMs: number,
  ) {}

  async pull(node: string, image: string, policy: PullPolicy = 'IfNotPresent'): Promise<PullResult> {
    const resolved = this.catalog.resolve(image);
    const cache = this.cacheOf(node);
    const present = cache.has(resolved.digest);
    if (policy === 'Never') {
      if (!present) throw new ImageNeverPullError(image);
      return { resolved, cached: true, durationMs: 0 };
    }
    if (present && policy === 'IfNotPresent') return { resolved, cached: true, durationMs: 0 };
    const started = this.clock.now();
    const key = `${node}\0${resolved.digest}`;
    let wait = this.inflight.get(key);
    if (!wait) {
      const ms = present ? this.delayMs / 10 : this.delayMs;
      wait = new Promise<void>((resolve) => this.clock.setTimeout(resolve, ms));
      this.inflight.set(key, wait);
      void wait.then(() => this.inflight.delete(key));
    }
    await wait;
    cache.set(resolved.digest, resolved);
    return { resolved, cached: false, durationMs: this.clock.now() - started };
  }

  has(node: string, image: string): boolean {
    return this.cacheOf(node).has(this.catalog.resolve(image).digest);
  }

  images(node: string): CachedImage[] {
    const byDigest = new Map<string, CachedImage>();
    for (const r of this.cacheOf(node).values()) {
      const names = [r.imageID, `${r.image.repository}:${r.tag}`];
      byDigest.set(r.digest, { names, sizeBytes: r.image.size });
    }
    return [...byDigest.values()];
  }

  private cacheOf(node: string): Map<string, ResolvedImage> {
    let cache = this.nodes.get(node);
    if (!cache) this.nodes.set(node, (cache = new Map()));
    return cache;
  }
}
