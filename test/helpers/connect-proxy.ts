import http from 'node:http';
import net from 'node:net';

export interface ConnectProxy {
  url: string;
  port: number;
  /** Tunnels opened (CONNECT requests answered 200). */
  readonly tunnels: number;
  /** The `host:port` each CONNECT asked for, in order. */
  readonly targets: string[];
  close(): Promise<void>;
}

/**
 * An HTTP CONNECT proxy on 127.0.0.1 that counts its tunnels (tests assert that traffic went
 * through it). It only ever connects to loopback: whatever host is asked for, it dials
 * 127.0.0.1 on the asked port — so a server name no resolver knows is reachable only through it.
 */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const targets: string[] = [];
  let tunnels = 0;
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405, { 'content-type': 'text/plain' });
    res.end('this test proxy only tunnels (CONNECT)\n');
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? '';
    targets.push(target);
    const port = Number(target.slice(target.lastIndexOf(':') + 1));
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const upstream = net.connect({ host: '127.0.0.1', port }, () => {
      tunnels++;
      client.write('HTTP/1.1 200 Connection established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get tunnels() {
      return tunnels;
    },
    targets,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
