import { EventEmitter } from 'node:events';
import {
  closeSync,
  existsSync,
  fstat,
  fstatSync,
  open,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { StringDecoder } from 'node:string_decoder';
import type { Clock } from '../clock.ts';

export type Stream = 'stdout' | 'stderr';

/** One record of a container log file, in the CRI format the kubelet reads: `<time> <stream> <P|F> <text>`. */
export interface LogEntry {
  /** RFC3339Nano, as written. */
  time: string;
  /** Nanoseconds since the epoch, for comparisons. */
  ns: bigint;
  stream: Stream;
  /** A piece of a line that goes on in the next entry (P), or its end (F). */
  partial: boolean;
  content: string;
}

export interface LogLimits {
  /** Rotate the file past this size. */
  maxBytes: number;
  /** Files kept per container instance, the current one included. */
  maxFiles: number;
}

/** Longer lines are split into partial entries, as containerd does. */
const MAX_LINE = 16 * 1024;

/** RFC3339 with up to nine fractional digits, trailing zeros dropped (Go's time.RFC3339Nano). */
export function rfc3339Nano(ns: bigint): string {
  return rfc3339NanoOf(Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n));
}

/** rfc3339Nano of `second` (since the epoch) and `frac` nanoseconds into it. */
function rfc3339NanoOf(second: number, frac: number): string {
  // Entries written in the same second share the date part (a container's start writes 15).
  if (second !== nanoSecond) {
    nanoSecond = second;
    nanoPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  if (!frac) return `${nanoPrefix}Z`;
  let digits = 9;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  return `${nanoPrefix}.${String(frac).padStart(digits, '0')}Z`;
}
let nanoSecond = NaN;
let nanoPrefix = '';

/** Parse an RFC3339 timestamp (any fraction, `Z` or an offset) to nanoseconds. */
export function parseTime(text: string): bigint | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

export function parseEntry(line: string): LogEntry | undefined {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  const c = line.indexOf(' ', b + 1);
  if (a < 0 || b < 0 || c < 0) return undefined;
  const time = line.slice(0, a);
  const ns = parseTime(time);
  const stream = line.slice(a + 1, b);
  const tag = line.slice(b + 1, c);
  if (ns === undefined || (stream !== 'stdout' && stream !== 'stderr') || (tag !== 'P' && tag !== 'F'))
    return undefined;
  return { time, ns, stream, partial: tag === 'P', content: line.slice(c + 1) };
}

/**
 * Appends one container instance's output to its log file. Writes are synchronous so that the
 * file always holds every entry emitted so far: a follower reads the file and subscribes in
 * one tick without losing or repeating a line. Emits `entry` (LogEntry), `raw` (stream, Buffer)
 * and `close`.
 */
type LogEvent = 'raw' | 'entry' | 'close';
type Listener = ((stream: Stream, data: Buffer) => void) | ((entry: LogEntry) => void) | (() => void);
type EmitterListener = Parameters<EventEmitter['on']>[1];

export class LogWriter {
  /**
   * Made by the first subscriber (a follower, an attach): most containers' logs are never
   * followed, and an emitter's listener table was ~0.2 KB of each running container.
   */
  private emitter?: EventEmitter;
  private fd: number;
  private size: number;
  private lastNs = 0n;
  /** Unfinished lines; made by the first write (a built-in container that only logs whole lines never needs it). */
  private rest?: Record<Stream, string>;
  /** Made on the first raw write: built-in containers only write whole lines (two decoders were ~0.5 KB a pod). */
  private decoders?: Record<Stream, StringDecoder>;
  closed = false;

  constructor(
    readonly path: string,
    private clock: Clock,
    private limits: LogLimits,
    opened?: { fd: number; size: number; lastNs?: bigint },
  ) {
    this.fd = opened?.fd ?? openSync(path, 'a');
    this.size = opened?.size ?? fstatSync(this.fd).size;
    this.lastNs = opened?.lastNs ?? 0n;
  }

  /** Like the constructor, with the file opened off the main thread (a container start awaits it anyway). */
  static async open(path: string, clock: Clock, limits: LogLimits): Promise<LogWriter> {
    const fd = await openAsync(path, 'a');
    try {
      return new LogWriter(path, clock, limits, { fd, size: (await fstatAsync(fd)).size });
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  private subscribers(): EventEmitter {
    if (this.emitter) return this.emitter;
    const e = new EventEmitter();
    e.setMaxListeners(0);
    return (this.emitter = e);
  }

  on(event: LogEvent, fn: Listener): this {
    this.subscribers().on(event, fn as EmitterListener);
    return this;
  }

  once(event: LogEvent, fn: Listener): this {
    this.subscribers().once(event, fn as EmitterListener);
    return this;
  }

  off(event: LogEvent, fn: Listener): this {
    this.emitter?.off(event, fn as EmitterListener);
    return this;
  }

  listenerCount(event: LogEvent): number {
    return this.emitter?.listenerCount(event) ?? 0;
  }

  private emit(event: LogEvent, ...args: unknown[]): void {
    this.emitter?.emit(event, ...args);
  }

  /** Raw output: split into lines; an unfinished line waits for the rest. */
  write(stream: Stream, chunk: Buffer | string): void {
    if (this.closed) return;
    // Attached clients get the bytes as they come, prompts without a newline included.
    if (this.listenerCount('raw')) this.emit('raw', stream, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const rest = (this.rest ??= { stdout: '', stderr: '' });
    const text = rest[stream] + (typeof chunk === 'string' ? chunk : this.decoder(stream).write(chunk));
    const lines = text.split('\n');
    rest[stream] = lines.pop()!;
    for (const line of lines) this.line(stream, line);
    while (rest[stream].length > MAX_LINE) {
      this.record(stream, true, rest[stream].slice(0, MAX_LINE));
      rest[stream] = rest[stream].slice(MAX_LINE);
    }
  }

  private decoder(stream: Stream): StringDecoder {
    this.decoders ??= { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    return this.decoders[stream];
  }

  /** One whole line (without its newline). */
  line(stream: Stream, text: string): void {
    if (this.closed) return;
    let t = text;
    while (t.length > MAX_LINE) {
      this.record(stream, true, t.slice(0, MAX_LINE));
      t = t.slice(MAX_LINE);
    }
    this.record(stream, false, t);
  }

  /** Whole lines, written to the file at once (a container's start-up output). */
  lines(lines: ReadonlyArray<{ stream: Stream; line: string }>): void {
    if (this.closed) return;
    if (lines.some((l) => l.line.length > MAX_LINE)) {
      for (const l of lines) this.line(l.stream, l.line);
      return;
    }
    this.writeAll(this.entries(lines));
  }

  private writeAll(entries: LogEntry[]): void {
    const buf = Buffer.from(entriesText(entries));
    // Rotation goes entry by entry: a batch that would cross the limit is written one by one.
    if (this.size + buf.length > this.limits.maxBytes) {
      for (const e of entries) this.write1(e);
      return;
    }
    writeSync(this.fd, buf);
    this.size += buf.length;
    for (const e of entries) this.emit('entry', e);
  }

  /** Write out unfinished lines (as partial entries: they had no newline) and stop. */
  close(): void {
    if (this.closed) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = (this.rest?.[stream] ?? '') + (this.decoders?.[stream].end() ?? '');
      if (rest) this.record(stream, true, rest);
    }
    this.closed = true;
    closeSync(this.fd);
    this.emit('close');
  }

  /** The instance's files, oldest first. */
  files(): string[] {
    return logFiles(this.path, this.limits.maxFiles);
  }

  private entry(stream: Stream, partial: boolean, content: string): LogEntry {
    const ns = this.stamp();
    return { time: rfc3339Nano(ns), ns, stream, partial, content };
  }

  /** A time after the last entry's: the clock's millisecond, nanoseconds from the monotonic clock. */
  private stamp(): bigint {
    let ns = BigInt(this.clock.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
    if (ns <= this.lastNs) ns = this.lastNs + 1n;
    this.lastNs = ns;
    return ns;
  }

  private entries(lines: ReadonlyArray<{ stream: Stream; line: string }>): LogEntry[] {
    const stamped = stampLines(this.clock, this.lastNs, lines);
    this.lastNs = stamped.lastNs;
    return stamped.entries;
  }

  private record(stream: Stream, partial: boolean, content: string): void {
    this.write1(this.entry(stream, partial, content));
  }

  private write1(entry: LogEntry): void {
    const buf = Buffer.from(entryText(entry));
    writeSync(this.fd, buf);
    this.size += buf.length;
    if (this.size > this.limits.maxBytes) this.rotate();
    this.emit('entry', entry);
  }

  private rotate(): void {
    closeSync(this.fd);
    const keep = this.limits.maxFiles - 1;
    if (keep < 1) {
      rmSync(this.path, { force: true });
    } else {
      rmSync(`${this.path}.${keep}`, { force: true });
      for (let i = keep - 1; i >= 1; i--) {
        if (existsSync(`${this.path}.${i}`)) renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
      }
      renameSync(this.path, `${this.path}.1`);
    }
    this.fd = openSync(this.path, 'a');
    this.size = 0;
  }
}

const openAsync = promisify(open);
const fstatAsync = promisify(fstat);

function entryText(e: LogEntry): string {
  return `${e.time} ${e.stream} ${e.partial ? 'P' : 'F'} ${e.content}\n`;
}

/**
 * Whole lines logged at one instant, after `lastNs`: one clock reading, a nanosecond apart, their
 * times made from numbers. The clock's millisecond, nanoseconds from the monotonic clock.
 */
export function stampLines(
  clock: Clock,
  lastNs: bigint,
  lines: ReadonlyArray<{ stream: Stream; line: string }>,
): { entries: LogEntry[]; lastNs: bigint } {
  if (!lines.length) return { entries: [], lastNs };
  let first = BigInt(clock.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
  if (first <= lastNs) first = lastNs + 1n;
  const second = Number(first / 1_000_000_000n);
  const frac = Number(first % 1_000_000_000n);
  const out = new Array<LogEntry>(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const ns = i ? first + BigInt(i) : first;
    out[i] = {
      // Past the second's last nanosecond (rare), the slower way.
      time: frac + i < 1_000_000_000 ? rfc3339NanoOf(second, frac + i) : rfc3339Nano(ns),
      ns,
      stream: lines[i]!.stream,
      partial: false,
      content: lines[i]!.line,
    };
  }
  return { entries: out, lastNs: first + BigInt(lines.length - 1) };
}

/** The entries' lines as one flat string, without a string per entry on the way. */
export function entriesText(entries: LogEntry[]): string {
  const parts: string[] = [];
  for (const e of entries)
    parts.push(e.time, e.stream === 'stdout' ? ' stdout ' : ' stderr ', e.partial ? 'P ' : 'F ', e.content, '\n');
  return parts.join('');
}

/** `<n>.log.<k>` … `<n>.log.1`, `<n>.log`: the files of one instance that exist, oldest first. */
export function logFiles(path: string, maxFiles: number): string[] {
  const files: string[] = [];
  for (let i = maxFiles - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) files.push(`${path}.${i}`);
  if (existsSync(path)) files.push(path);
  return files;
}

/**
 * A container's instances (attempts) that have a log, ascending, each with the path of its
 * `.log`: `<container>.<n>.log` in the pod's directory, or `<n>.log` in `legacyDir` (where skiff
 * kept them before; the pod's directory wins when both have one).
 */
export function containerLogs(podDir: string, container: string, legacyDir: string): Map<number, string> {
  return logsIn(podDir, container, listSync(podDir), legacyDir, listSync(legacyDir));
}

/** containerLogs off the main thread. */
export async function containerLogsAsync(
  podDir: string,
  container: string,
  legacyDir: string,
): Promise<Map<number, string>> {
  const [names, legacy] = await Promise.all([listAsync(podDir), listAsync(legacyDir)]);
  return logsIn(podDir, container, names, legacyDir, legacy);
}

function listSync(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

async function listAsync(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

function logsIn(
  podDir: string,
  container: string,
  names: string[],
  legacyDir: string,
  legacy: string[],
): Map<number, string> {
  const found: Array<[number, string]> = [];
  for (const f of legacy) {
    const n = /^(\d+)\.log$/.exec(f)?.[1];
    if (n !== undefined) found.push([Number(n), [legacyDir, f].join('/')]);
  }
  const prefix = `${container}.`;
  for (const f of names) {
    if (!f.startsWith(prefix)) continue;
    const n = /^(\d+)\.log$/.exec(f.slice(prefix.length))?.[1];
    if (n !== undefined) found.push([Number(n), [podDir, f].join('/')]);
  }
  // Stable sort: for one attempt the pod directory's entry comes last and wins.
  return new Map(found.sort((a, b) => a[0] - b[0]));
}

export function removeLogFiles(path: string, maxFiles: number): void {
  for (const f of logFiles(path, maxFiles)) rmSync(f, { force: true });
}
