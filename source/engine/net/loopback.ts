import { connect, type OnReadOpts, type Server, type Socket } from 'node:net';
import { isLoopbackV4 } from '../services/cidr.ts';

/** skiff's network rule: every address the engine binds or dials is IPv4 in 127.0.0.0/8. */
export function assertLoopback(host: string, what: string): void {
  if (!isLoopbackV4(host)) throw new Error(`refusing to ${what} ${host}: skiff only uses 127.0.0.0/8`);
}

/** Listen on host:port (port 0 = any free one); rejects with the bind error. */
export function listenLoopback(server: Server, host: string, port: number): Promise<void> {
  assertLoopback(host, 'bind');
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true });
  });
}

/** Dial host:port; the address must be loopback. `onread` reads into a buffer of the caller's (net's option). */
export function connectLoopback(host: string, port: number, onread?: OnReadOpts): Socket {
  assertLoopback(host, 'connect to');
  return connect({ host, port, allowHalfOpen: true, noDelay: true, onread });
}
