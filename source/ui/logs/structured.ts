/**
 * Structured log lines (JSON objects, logfmt) read into level, time, message and the other
 * fields, and written back as one aligned line: `INFO  12:00:01.250 started port=80`.
 * Lines that are neither pass through unchanged.
 */

export interface StructuredLine {
  level?: string;
  time?: string;
  msg?: string;
  fields: Array<[key: string, value: string]>;
}

const LEVEL_KEYS = ['level', 'lvl', 'severity', 'log.level', 'loglevel'];
const TIME_KEYS = ['time', 'ts', 'timestamp', '@timestamp', 't'];
const MSG_KEYS = ['msg', 'message', 'log'];

/** Levels from least to most severe; aliases map onto them. */
export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type Level = (typeof LEVELS)[number];
const ALIASES: Record<string, Level> = {
  trc: 'trace',
  dbg: 'debug',
  inf: 'info',
  information: 'info',
  notice: 'info',
  wrn: 'warn',
  warning: 'warn',
  err: 'error',
  crit: 'fatal',
  critical: 'fatal',
  panic: 'fatal',
  dpanic: 'fatal',
  emerg: 'fatal',
  alert: 'fatal',
};

/** `WARNING`, `warn`, `W` → `warn`; undefined when it is no level name. */
export function normalizeLevel(level: string | undefined): Level | undefined {
  if (!level) return undefined;
  const l = level.toLowerCase();
  if ((LEVELS as readonly string[]).includes(l)) return l as Level;
  if (ALIASES[l]) return ALIASES[l];
  // bunyan/pino numeric levels
  const n = Number(l);
  if (Number.isInteger(n) && n >= 10 && n <= 60) return LEVELS[Math.min(5, Math.floor(n / 10) - 1)];
  return undefined;
}

export function levelRank(level: string | undefined): number {
  const l = normalizeLevel(level);
  return l ? LEVELS.indexOf(l) : -1;
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function take(obj: Map<string, string>, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = obj.get(k);
    if (v !== undefined) {
      obj.delete(k);
      return v;
    }
  }
  return undefined;
}

function fromPairs(pairs: Array<[string, string]>): StructuredLine {
  const map = new Map(pairs);
  const level = take(map, LEVEL_KEYS);
  const time = take(map, TIME_KEYS);
  const msg = take(map, MSG_KEYS);
  return { level, time, msg, fields: [...map] };
}

/** A logfmt line: `key=value key="quoted value"`; undefined unless every token is a pair. */
export function parseLogfmt(line: string): Array<[string, string]> | undefined {
  const out: Array<[string, string]> = [];
  const re = /\s*([\w.@/-]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)\s*/y;
  let pos = 0;
  while (pos < line.length) {
    re.lastIndex = pos;
    const m = re.exec(line);
    if (!m) return undefined;
    const raw = m[2]!;
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        value = raw.slice(1, -1);
      }
    }
    out.push([m[1]!, value]);
    pos = re.lastIndex;
  }
  return out;
}

/** JSON object or logfmt with a level or a message; undefined for anything else. */
export function parseStructured(line: string): StructuredLine | undefined {
  const s = line.trim();
  if (s.startsWith('{') && s.endsWith('}')) {
    try {
      const obj: unknown = JSON.parse(s);
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
      return fromPairs(Object.entries(obj).map(([k, v]) => [k, scalar(v)]));
    } catch {
      return undefined;
    }
  }
  if (!s.includes('=')) return undefined;
  const pairs = parseLogfmt(s);
  if (!pairs || pairs.length < 2) return undefined;
  const parsed = fromPairs(pairs);
  return parsed.level !== undefined || parsed.msg !== undefined ? parsed : undefined;
}

/** `2024-05-01T12:00:01.250Z` → `12:00:01.250`; epoch seconds/millis likewise; else as is. */
export function shortTime(time: string | undefined): string {
  if (!time) return '';
  const iso = /^\d{4}-\d\d-\d\d[T ](\d\d:\d\d:\d\d(?:\.\d{1,3})?)/.exec(time);
  if (iso) return iso[1]!;
  if (/^\d{9,13}(\.\d+)?$/.test(time)) {
    const n = Number(time);
    const ms = n < 1e11 ? n * 1000 : n;
    return new Date(ms).toISOString().slice(11, 23);
  }
  return time;
}

const needsQuotes = (v: string) => v === '' || /[\s"=]/.test(v);

/** The aligned text of a structured line: level padded to 5, time, message, then key=value. */
export function formatStructured(s: StructuredLine): string {
  const level = (normalizeLevel(s.level) ?? s.level ?? '').toUpperCase().padEnd(5);
  const parts = [level];
  const time = shortTime(s.time);
  if (time) parts.push(time);
  if (s.msg !== undefined) parts.push(s.msg);
  for (const [k, v] of s.fields) parts.push(`${k}=${needsQuotes(v) ? JSON.stringify(v) : v}`);
  return parts.join(' ');
}

/** What `J` shows for one line: the structured rendering, or the line itself. */
export function renderLine(line: string): string {
  const s = parseStructured(line);
  return s ? formatStructured(s) : line;
}
