import type { Server, Socket } from 'node:net';
import { connectLoopback } from '../net/loopback.ts';
import type { HostPort } from './targets.ts';

/**
 * Give an accepted (paused) connection to a server in this process, as if it had accepted it:
 * its 'connection' handler takes over the socket, then reading starts.
 */
export function handOff(client: Socket, server: Server): void {
  server.emit('connection', client);
  client.resume();
}

/**
 * Splice a client connection to a backend chosen by `pick`. A backend that refuses the
 * connection (a pod that just stopped or has not started listening) is skipped for the next
 * one, up to `attempts` tries; with none left the client gets a reset, as with kube-proxy's REJECT.
 */
export function relay(
  client: Socket,
  pick: () => HostPort | undefined,
  attempts: number,
  track?: (s: Socket) => void,
): void {
  client.setNoDelay(true);
  client.on('error', () => client.destroy());
  const tryNext = (left: number) => {
    const target = left > 0 ? pick() : undefined;
    if (!target || client.destroyed) {
      if (!client.destroyed) client.resetAndDestroy();
      return;
    }
    let backend: Socket;
    try {
      backend = connectLoopback(target.host, target.port);
    } catch {
      return tryNext(left - 1);
    }
    track?.(backend);
    const onEarlyError = () => {
      backend.destroy();
      tryNext(left - 1);
    };
    backend.once('error', onEarlyError);
    backend.once('connect', () => {
      backend.off('error', onEarlyError);
      splice(client, backend);
    });
  };
  tryNext(attempts);
}

/** Copy both ways with half-close; a reset on one side resets the other. */
function splice(a: Socket, b: Socket): void {
  const link = (x: Socket, y: Socket) => {
    x.on('error', () => y.destroy());
    // A side that closed cleanly lets the other flush what it still has, then closes it.
    x.on('close', (hadError) => {
      if (hadError) y.destroy();
      else if (!y.destroyed) y.end(() => y.destroy());
    });
  };
  link(a, b);
  link(b, a);
  a.pipe(b);
  b.pipe(a);
}
