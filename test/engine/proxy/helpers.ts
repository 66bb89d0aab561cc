import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';

/** An HTTP server on ip:port answering its name: a stand-in for a pod's container. */
export function backend(name: string, ip: string, port: number): Promise<Server & { hits: number }> {
  const server = createServer((_req, res) => {
    s.hits++;
    res.end(name);
  }) as Server & { hits: number };
  const s = server;
  s.hits = 0;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ip, () => resolve(s));
  });
}

/** GET / on a new connection; resolves to the body. */
export function fetchBody(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host, port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(3000, () => req.destroy(new Error('timeout')));
  });
}

export async function count(host: string, port: number, n: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const b = await fetchBody(host, port);
    out[b] = (out[b] ?? 0) + 1;
  }
  return out;
}

export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 2000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export function closeAll(servers: Server[]): Promise<void> {
  return Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((r) => {
          s.closeAllConnections?.();
          s.close(() => r());
        }),
    ),
  ).then(() => undefined);
}

/** `a.b.c.d:port` from /proc/net/tcp's little-endian hex form. */
function decodeV4(hex: string): string {
  const [addr, port] = hex.split(':');
  const n = parseInt(addr!, 16);
  return `${n & 255}.${(n >>> 8) & 255}.${(n >>> 16) & 255}.${n >>> 24}:${parseInt(port!, 16)}`;
}

function decodeV6(hex: string): string {
  const [addr, port] = hex.split(':');
  const words = addr!.match(/.{8}/g)!;
  if (words[0] === '00000000' && words[1] === '00000000' && words[2] === 'FFFF0000')
    return `::ffff:${decodeV4(`${words[3]}:${port}`)}`;
  return `[${addr}]:${parseInt(port!, 16)}`;
}

/** Listening TCP sockets (or bound UDP ones) owned by this process, read from the OS. */
export function ownListeningSockets(protocol: 'tcp' | 'udp' = 'tcp'): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {}
  }
  const out: string[] = [];
  for (const [file, decode] of [
    [`/proc/net/${protocol}`, decodeV4],
    [`/proc/net/${protocol}6`, decodeV6],
  ] as const) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // 0A = LISTEN; every bound UDP socket counts.
      if (f.length < 10 || (protocol === 'tcp' && f[3] !== '0A')) continue;
      if (inodes.has(f[9]!)) out.push(decode(f[1]!));
    }
  }
  return out;
}
