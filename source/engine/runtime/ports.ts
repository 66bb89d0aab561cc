import { listenLoopback } from '../net/loopback.ts';
import type { Server } from 'node:net';

/** A container port that could not be bound as asked and listens elsewhere on the pod IP. */
export interface PortMapping {
  containerPort: number;
  hostIP: string;
  hostPort: number;
  /** `privileged`: below 1024 without root; `in-use`: taken; `forced`: asked to map (tests). */
  reason: 'privileged' | 'in-use' | 'forced';
  /** Sentence for an event. */
  message: string;
}

export interface ListenOptions {
  /** Map every port even when it could be bound (to test mapping as root). */
  forceMap?: boolean;
}

const root = process.getuid?.() === 0;
const isRoot = () => root;

/** Bind `server` to ip:port, or to a free port on ip when that cannot be had. */
export async function listenMapped(
  server: Server,
  ip: string,
  port: number,
  opts: ListenOptions = {},
): Promise<PortMapping | undefined> {
  let reason: PortMapping['reason'] | undefined = opts.forceMap
    ? 'forced'
    : port < 1024 && !isRoot()
      ? 'privileged'
      : undefined;
  if (!reason) {
    try {
      await listenLoopback(server, ip, port);
      return undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') reason = 'in-use';
      else if (code === 'EACCES') reason = 'privileged';
      else throw err;
    }
  }
  await listenLoopback(server, ip, 0);
  const hostPort = (server.address() as { port: number }).port;
  const why = reason === 'privileged' ? 'needs root' : reason === 'in-use' ? 'is in use' : 'is mapped on request';
  return {
    containerPort: port,
    hostIP: ip,
    hostPort,
    reason,
    message: `Port ${port} on ${ip} ${why}: container port ${port} listens on ${ip}:${hostPort}`,
  };
}
