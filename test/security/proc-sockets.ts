import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface InetSocket {
  proto: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  local: string;
  localPort: number;
  remote: string;
  /** TCP state from the kernel's table (0A = LISTEN, 01 = ESTABLISHED, ...). */
  state: string;
  inode: string;
}

/** Socket inodes held open by a process, read from /proc/PID/fd. */
export function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/);
      if (m) out.add(m[1]!);
    } catch {
      // the fd closed while we listed them
    }
  }
  return out;
}

function ipv4(hex: string): string {
  const n = Number.parseInt(hex, 16);
  // /proc prints the address in host (little-endian) byte order.
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join('.');
}

function ipv6(hex: string): string {
  const words: string[] = [];
  for (let i = 0; i < 32; i += 8) {
    const w = hex
      .slice(i, i + 8)
      .match(/../g)!
      .reverse()
      .join('');
    words.push(w.slice(0, 4), w.slice(4));
  }
  return words.map((w) => w.toLowerCase()).join(':');
}

function parseAddr(v: string, v6: boolean): [string, number] {
  const [a, p] = v.split(':') as [string, string];
  return [v6 ? ipv6(a) : ipv4(a), Number.parseInt(p, 16)];
}

/** Every TCP/UDP socket (v4 and v6) in the process's network namespace whose inode it holds. */
export function inetSockets(pid: number): InetSocket[] {
  const mine = socketInodes(pid);
  const out: InetSocket[] = [];
  for (const proto of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    const v6 = proto.endsWith('6');
    const lines = readFileSync(`/proc/${pid}/net/${proto}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      const inode = f[9]!;
      if (!mine.has(inode)) continue;
      const [local, localPort] = parseAddr(f[1]!, v6);
      const [remote] = parseAddr(f[2]!, v6);
      out.push({ proto, local, localPort, remote, state: f[3]!, inode });
    }
  }
  return out;
}

/** 127.0.0.0/8, also as an IPv4-mapped IPv6 address. */
export function isLoopback4(addr: string): boolean {
  if (/^127\./.test(addr)) return true;
  const m = addr.match(/^0000:0000:0000:0000:0000:ffff:([0-9a-f]{4}):([0-9a-f]{4})$/);
  return !!m && Number.parseInt(m[1]!, 16) >> 8 === 127;
}

export const isUnspecified = (addr: string) => addr === '0.0.0.0' || /^(0000:){7}0000$/.test(addr);
