import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Channel } from './channel.ts';
import { parseEntry, parseTime, type LogEntry, type LogWriter } from './log-file.ts';

/** The options of `GET …/pods/NAME/log` that reach the runtime. */
export interface LogReadOptions {
  /** Only the last N lines (before following). */
  tailLines?: number;
  /** Lines written at or after this time: RFC3339 text or epoch milliseconds. */
  sinceTime?: string | number;
  /** Lines of the last N seconds (on the runtime's clock). */
  sinceSeconds?: number;
  /** Prefix each line with its RFC3339Nano time. */
  timestamps?: boolean;
  /** Stop after this many bytes, even mid-line. */
  limitBytes?: number;
  /** Keep yielding lines as they are written, until the container exits. */
  follow?: boolean;
  /** Ends a followed stream (e.g. when the HTTP client goes away). */
  signal?: AbortSignal;
}

/**
 * Read a container instance's log files (oldest first) as output lines, newline included. With
 * `follow` and a live writer, new lines follow until the writer closes.
 */
export function readLogs(
  files: string[],
  live: LogWriter | undefined,
  opts: LogReadOptions,
  nowMs: number,
): Channel<string> {
  const out = new Channel<string>();
  const since = sinceNs(opts, nowMs);
  let budget = opts.limitBytes && opts.limitBytes > 0 ? opts.limitBytes : Infinity;
  let pending: LogEntry | undefined;

  const emit = (first: LogEntry, content: string, terminated: boolean) => {
    if (out.isEnded || (since !== undefined && first.ns < since)) return;
    let text = (opts.timestamps ? `${first.time} ` : '') + content + (terminated ? '\n' : '');
    let bytes = Buffer.byteLength(text);
    if (bytes > budget) {
      text = Buffer.from(text).subarray(0, budget).toString();
      bytes = budget;
    }
    budget -= bytes;
    if (text) out.push(text);
    if (budget <= 0) out.end();
  };
  /** Join partial entries into lines; returns a finished line or undefined. */
  const join = (e: LogEntry): [LogEntry, string] | undefined => {
    if (pending) {
      pending = { ...pending, content: pending.content + e.content, partial: e.partial };
    } else {
      pending = e;
    }
    if (pending.partial) return undefined;
    const line: [LogEntry, string] = [pending, pending.content];
    pending = undefined;
    return line;
  };

  const catchUp = (texts: string[], finished: boolean) => {
    const lines: [LogEntry, string, boolean][] = [];
    for (const text of texts) {
      for (const raw of text.split('\n')) {
        const e = raw ? parseEntry(raw) : undefined;
        const line = e && join(e);
        if (line) lines.push([line[0], line[1], true]);
      }
    }
    if (finished && pending) {
      lines.push([pending, pending.content, false]);
      pending = undefined;
    }
    const kept = since === undefined ? lines : lines.filter(([e]) => e.ns >= since);
    const tail =
      opts.tailLines !== undefined && opts.tailLines >= 0
        ? kept.slice(Math.max(0, kept.length - opts.tailLines))
        : kept;
    for (const [e, content, terminated] of tail) emit(e, content, terminated);
  };

  if (opts.follow && live && !live.closed) {
    // Read and subscribe in the same tick: the writer writes synchronously, so nothing slips between.
    catchUp(files.map(readOrEmpty), false);
    const onEntry = (e: LogEntry) => {
      const line = join(e);
      if (line) emit(line[0], line[1], true);
    };
    const onClose = () => {
      if (pending) emit(pending, pending.content, false);
      out.end();
    };
    live.on('entry', onEntry);
    live.once('close', onClose);
    const onAbort = () => out.end();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) out.end();
    out.finally(() => {
      live.off('entry', onEntry);
      live.off('close', onClose);
      opts.signal?.removeEventListener('abort', onAbort);
    });
  } else {
    void Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => ''))).then((texts) => {
      catchUp(texts, !live || live.closed);
      out.end();
    });
  }
  return out;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function sinceNs(opts: LogReadOptions, nowMs: number): bigint | undefined {
  if (opts.sinceSeconds !== undefined) return BigInt(nowMs - opts.sinceSeconds * 1000) * 1_000_000n;
  if (typeof opts.sinceTime === 'number') return BigInt(Math.floor(opts.sinceTime)) * 1_000_000n;
  if (typeof opts.sinceTime === 'string') return parseTime(opts.sinceTime);
  return undefined;
}
