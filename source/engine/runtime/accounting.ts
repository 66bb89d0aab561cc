import type { Socket } from 'node:net';

/**
 * What the engine spends on one in-engine container (built-in nginx, pause): the CPU time of
 * the synchronous work done for its requests, measured with process.cpuUsage() around it, and
 * the bytes buffered in its open connections. Asynchronous completions (file reads, socket
 * writes the kernel does) are not attributed: the figure is a lower bound.
 */
export class EngineAccounting {
  private cpuMicros = 0;
  /** Made with the first connection: most pause containers never get one. */
  private sockets?: Set<Socket>;

  /** Run `fn`, adding the CPU time it took to this container. */
  measure<T>(fn: () => T): T {
    const start = process.cpuUsage();
    try {
      return fn();
    } finally {
      const d = process.cpuUsage(start);
      this.cpuMicros += d.user + d.system;
    }
  }

  track(socket: Socket): void {
    const sockets = (this.sockets ??= new Set());
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  }

  /** Cumulative CPU time in nanoseconds. */
  cpuNanos(): number {
    return this.cpuMicros * 1000;
  }

  /** Bytes waiting in the container's connections, both ways. */
  bufferedBytes(): number {
    let n = 0;
    for (const s of this.sockets ?? []) n += s.writableLength + s.readableLength;
    return n;
  }
}

/** Burn `ms` of CPU time (not wall time) in this thread: the documented load knob of built-in nginx. */
export function burnCpu(ms: number): void {
  const start = process.cpuUsage();
  const goal = Math.min(ms, 1000) * 1000;
  let x = 0;
  for (;;) {
    for (let i = 0; i < 20_000; i++) x = (x * 31 + i) % 1_000_003;
    const d = process.cpuUsage(start);
    if (d.user + d.system >= goal) break;
  }
  if (x < 0) throw new Error('unreachable');
}

/** `SKIFF_CPU_MS_PER_REQUEST` of a built-in nginx container: CPU milliseconds each request costs. */
export const CPU_PER_REQUEST_ENV = 'SKIFF_CPU_MS_PER_REQUEST';

export function cpuPerRequestMs(env: Record<string, string>): number {
  const v = Number(env[CPU_PER_REQUEST_ENV]);
  return Number.isFinite(v) && v > 0 ? Math.min(v, 1000) : 0;
}
