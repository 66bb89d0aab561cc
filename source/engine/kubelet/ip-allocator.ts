/**
 * Pod IPs of one node from its podCIDR (`127.244.1.0/24`): the network address and `.1` (the
 * bridge's, on a real node) are never handed out. Lowest free address first, so addresses are
 * reused after a pod goes.
 */
export class IpAllocator {
  private readonly base: number;
  private readonly size: number;
  private byUid = new Map<string, number>();
  private used = new Set<number>();
  private cursor = 2;

  constructor(readonly cidr: string) {
    const [ip, bitsText] = cidr.split('/');
    const bits = Number(bitsText ?? 32);
    if (!ip || !/^\d+\.\d+\.\d+\.\d+$/.test(ip) || !(bits >= 8 && bits <= 30))
      throw new Error(`invalid podCIDR ${cidr}`);
    const n = ip.split('.').reduce((acc, x) => acc * 256 + Number(x), 0);
    this.size = 2 ** (32 - bits);
    this.base = n - (n % this.size);
  }

  contains(ip: string): boolean {
    const off = this.offset(ip);
    return off !== undefined && off >= 2 && off < this.size - 1;
  }

  /** The pod's address: the one it has, else `preferred` when free and in range, else the lowest free. */
  allocate(uid: string, preferred?: string): string {
    const have = this.byUid.get(uid);
    if (have !== undefined) return this.toIp(have);
    let off = preferred && this.contains(preferred) ? this.offset(preferred) : undefined;
    if (off === undefined || this.used.has(off)) off = this.lowestFree();
    this.byUid.set(uid, off);
    this.used.add(off);
    return this.toIp(off);
  }

  release(uid: string): void {
    const off = this.byUid.get(uid);
    if (off === undefined) return;
    this.byUid.delete(uid);
    this.used.delete(off);
    if (off < this.cursor) this.cursor = off;
  }

  get inUse(): number {
    return this.used.size;
  }

  private lowestFree(): number {
    for (let off = this.cursor; off < this.size - 1; off++) {
      if (!this.used.has(off)) {
        this.cursor = off + 1;
        return off;
      }
    }
    throw new Error(`no free pod IP left in ${this.cidr}`);
  }

  private offset(ip: string): number | undefined {
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    const off = parts.reduce((acc, x) => acc * 256 + x, 0) - this.base;
    return off >= 0 && off < this.size ? off : undefined;
  }

  private toIp(off: number): string {
    const v = this.base + off;
    return [Math.floor(v / 2 ** 24) % 256, Math.floor(v / 65536) % 256, Math.floor(v / 256) % 256, v % 256].join('.');
  }
}
