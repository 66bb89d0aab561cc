/**
 * Allocates integers from [0, size) the way the apiserver's service IP and node port allocators
 * do: random picks prefer the upper band, leaving the lower "static" band for requested values.
 * Each allocation remembers its owner (`namespace/name` of a Service).
 */
export class RangeAllocator {
  private owners = new Map<number, string>();

  constructor(
    readonly size: number,
    private readonly staticBand: number,
    private readonly reserved: ReadonlySet<number> = new Set(),
  ) {}

  owner(n: number): string | undefined {
    return this.owners.get(n);
  }

  /** Take a specific value; false when it is already taken. */
  take(n: number, owner: string): boolean {
    const cur = this.owners.get(n);
    if (cur !== undefined && cur !== owner) return false;
    this.owners.set(n, owner);
    return true;
  }

  /** A random free value, upper band first; undefined when full. */
  random(owner: string): number | undefined {
    const n = this.pick(this.staticBand, this.size) ?? this.pick(0, this.staticBand);
    if (n !== undefined) this.owners.set(n, owner);
    return n;
  }

  release(n: number, owner?: string): void {
    if (owner === undefined || this.owners.get(n) === owner) this.owners.delete(n);
  }

  used(): number {
    return this.owners.size;
  }

  entries(): IterableIterator<[number, string]> {
    return this.owners.entries();
  }

  private free(n: number): boolean {
    return !this.owners.has(n) && !this.reserved.has(n);
  }

  private pick(lo: number, hi: number): number | undefined {
    const span = hi - lo;
    if (span <= 0) return undefined;
    for (let i = 0; i < 32; i++) {
      const n = lo + Math.floor(Math.random() * span);
      if (this.free(n)) return n;
    }
    // Crowded: scan from a random start so picks stay spread out.
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const n = lo + ((start + i) % span);
      if (this.free(n)) return n;
    }
    return undefined;
  }
}
