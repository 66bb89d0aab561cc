import type WebSocket from 'ws';

function envMs(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export interface KeepAliveOptions {
  /** A ping this often keeps proxies and NATs from dropping an idle shell. */
  intervalMs?: number;
  /** Nothing from the server (no pong, no output) for this long: the connection is dead. */
  deadMs?: number;
  onDead: (silentMs: number) => void;
}

/**
 * Pings a streaming WebSocket (exec, attach) as kubectl's WebSocket executor does, and ends it
 * when the server stops answering: after a laptop sleeps or a VPN switches, TCP alone would
 * leave the shell hanging with no error for many minutes. Returns a stop function.
 */
export function keepAlive(ws: WebSocket, opts: KeepAliveOptions): () => void {
  const intervalMs = opts.intervalMs ?? envMs('SKIFF_WS_PING_MS', 15_000);
  const deadMs = opts.deadMs ?? envMs('SKIFF_WS_DEAD_MS', 4 * intervalMs);
  let lastSeen = Date.now();
  const seen = () => (lastSeen = Date.now());
  ws.on('pong', seen);
  ws.on('message', seen);
  const timer = setInterval(
    () => {
      const silent = Date.now() - lastSeen;
      if (silent >= deadMs) {
        stop();
        opts.onDead(silent);
        ws.terminate();
        return;
      }
      try {
        ws.ping();
      } catch {
        // not open any more: the close handler stops the timer
      }
    },
    Math.min(intervalMs, deadMs),
  );
  timer.unref?.();
  const stop = () => {
    clearInterval(timer);
    ws.off('pong', seen);
    ws.off('message', seen);
  };
  ws.once('close', stop);
  return stop;
}
