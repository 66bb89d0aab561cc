/** IPv4 helpers for the service CIDR and the loopback rule. */

export function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255) || m.slice(1).some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface Cidr {
  text: string;
  base: number; // network address
  size: number; // addresses in the block
}

export function parseCidr(text: string): Cidr {
  const [ip, bits] = text.split('/');
  const base = ipToInt(ip ?? '');
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30)
    throw new Error(`invalid CIDR ${text}`);
  const size = 2 ** (32 - prefix);
  return { text, base: base - (base % size), size };
}

export function inCidr(c: Cidr, ip: string): boolean {
  const n = ipToInt(ip);
  return n !== undefined && n >= c.base && n < c.base + c.size;
}

/** True for an IPv4 address in 127.0.0.0/8 (also accepts the `::ffff:127.x.y.z` form). */
export function isLoopbackV4(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  const n = ipToInt(v4);
  return n !== undefined && n >>> 24 === 127;
}
