import { lineBody } from './filter.ts';
import { normalizeLevel } from './structured.ts';

/** A run of text in one style. Colours are Ink colour names. */
export interface Segment {
  text: string;
  color?: string;
  dim?: boolean;
  inverse?: boolean;
}

/** Colours for the sources of a multi-pod log (stern-style): the same pod always gets the same one. */
const PALETTE = [
  'cyan',
  'magenta',
  'green',
  'yellow',
  'blue',
  'redBright',
  'cyanBright',
  'magentaBright',
  'greenBright',
  'yellowBright',
  'blueBright',
];

export function sourceColor(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

const LEVEL_COLOR: Record<string, string> = {
  trace: 'gray',
  debug: 'gray',
  info: 'green',
  warn: 'yellow',
  error: 'red',
  fatal: 'redBright',
};

/** A line's styled runs: its source coloured, in structured mode the level coloured and keys dimmed. */
export function baseSegments(line: string, opts: { prefixed: boolean; structured: boolean }): Segment[] {
  const out: Segment[] = [];
  let body = line;
  if (opts.prefixed) {
    body = lineBody(line, true);
    const source = line.slice(0, line.length - body.length);
    out.push({ text: source, color: sourceColor(source.split('/')[0]!.trim()) });
  }
  if (!opts.structured) {
    out.push({ text: body });
    return out;
  }
  const lvl = /^(\S+)(\s+)/.exec(body);
  const level = lvl && normalizeLevel(lvl[1]);
  if (lvl && level) {
    out.push({ text: lvl[1]!, color: LEVEL_COLOR[level] });
    out.push({ text: lvl[2]! });
    body = body.slice(lvl[0].length);
  }
  // key= in dim; the rest plain.
  const re = /(^|\s)([\w.@/-]+=)/g;
  let pos = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    const start = m.index + m[1]!.length;
    if (start > pos) out.push({ text: body.slice(pos, start) });
    out.push({ text: m[2]!, dim: true });
    pos = start + m[2]!.length;
  }
  if (pos < body.length) out.push({ text: body.slice(pos) });
  return out;
}

/** Marks every match of `pattern` inverse, splitting runs where matches start and end. */
export function highlight(segments: Segment[], pattern: RegExp | undefined): Segment[] {
  if (!pattern) return segments;
  const text = segments.map((s) => s.text).join('');
  const g = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g');
  const ranges: Array<[number, number]> = [];
  for (let m = g.exec(text); m; m = g.exec(text)) {
    if (m[0].length === 0) {
      g.lastIndex++;
      continue;
    }
    ranges.push([m.index, m.index + m[0].length]);
  }
  if (!ranges.length) return segments;
  const out: Segment[] = [];
  let offset = 0;
  for (const s of segments) {
    const end = offset + s.text.length;
    let pos = offset;
    for (const [a, b] of ranges) {
      if (b <= pos || a >= end) continue;
      if (a > pos) out.push({ ...s, text: text.slice(pos, a) });
      const hb = Math.min(b, end);
      out.push({ ...s, text: text.slice(Math.max(a, pos), hb), inverse: true });
      pos = hb;
    }
    if (pos < end) out.push({ ...s, text: text.slice(pos, end) });
    offset = end;
  }
  return out;
}
