import { KubeError } from './errors.ts';
import { LineSplitter } from './lines.ts';
import type { StreamHandle, Transport } from './transport.ts';

export interface LogOptions {
  namespace: string;
  pod: string;
  container?: string;
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
}

export interface LogStream {
  /** Resolves when the stream ended (pod gone, not following, aborted); rejects on an API error. */
  readonly done: Promise<void>;
  stop(): void;
}

/** `kubectl logs [-f] [-p] [--timestamps] [--tail] [--since]`, one callback per line. */
export function streamLogs(t: Transport, opts: LogOptions, onLine: (line: string) => void): LogStream {
  const splitter = new LineSplitter((l) => onLine(l.endsWith('\r') ? l.slice(0, -1) : l));
  const handle: StreamHandle = t.stream({
    path: `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/pods/${encodeURIComponent(opts.pod)}/log`,
    accept: '*/*',
    query: {
      container: opts.container,
      follow: opts.follow ? 'true' : undefined,
      previous: opts.previous ? 'true' : undefined,
      timestamps: opts.timestamps ? 'true' : undefined,
      tailLines: opts.tailLines,
      sinceSeconds: opts.sinceSeconds,
    },
    onData: (c) => splitter.push(c),
  });
  const done = (async () => {
    await handle.started;
    await handle.ended;
    splitter.flush();
  })();
  done.catch(() => {});
  return {
    done: done.catch((err) => {
      if (err instanceof KubeError && err.reason === 'Aborted') return;
      throw err;
    }),
    stop: () => handle.abort(),
  };
}
