import { LEVELS, levelRank, parseStructured } from './structured.ts';

/** What the logs filter prompt asks for: `-C 2 -L warn timeout|refused`. */
export interface LogFilterSpec {
  text: string;
  pattern?: RegExp;
  /** Lines kept before and after each matching line (grep -C). */
  context: number;
  /** Structured lines below this level are dropped (and lines that have no level). */
  minLevel?: number;
}

/** A regex, case-insensitive; text that is not a valid regex is matched literally. */
export function toPattern(text: string): RegExp | undefined {
  if (!text) return undefined;
  try {
    return new RegExp(text, 'i');
  } catch {
    return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  }
}

export function parseLogFilter(text: string): LogFilterSpec | string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let context = 0;
  let minLevel: number | undefined;
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let m: RegExpExecArray | null;
    if ((m = /^(?:-C|--context=?)(\d*)$/.exec(w))) {
      const n = m[1] || words[++i];
      if (!n || !/^\d+$/.test(n)) return '-C takes a number of lines';
      context = Number(n);
    } else if ((m = /^(?:-L|--level=?)(\w*)$/.exec(w))) {
      const name = m[1] || words[++i];
      const rank = levelRank(name);
      if (rank < 0) return `-L takes a level: ${LEVELS.join(', ')}`;
      minLevel = rank;
    } else rest.push(w);
  }
  const pattern = toPattern(rest.join(' '));
  return { text: text.trim(), pattern, context, minLevel };
}

/** The part of a line a filter looks at: multi-pod lines start with their source (`pod/container `). */
export function lineBody(line: string, prefixed: boolean): string {
  if (!prefixed) return line;
  const sp = line.indexOf(' ');
  return sp < 0 ? '' : line.slice(sp + 1);
}

const QUICK_LEVEL = /^\s*\{.*?"(?:level|lvl|severity)"\s*:\s*"?(\w+)|(?:^|\s)(?:level|lvl)=(\w+)/;

/** A structured line's level; a regex first, since parsing every JSON line is ten times slower. */
export function levelOf(body: string): string | undefined {
  const m = QUICK_LEVEL.exec(body);
  if (m) return m[1] ?? m[2];
  return parseStructured(body)?.level;
}

export function lineMatches(line: string, spec: LogFilterSpec, prefixed: boolean): boolean {
  const body = lineBody(line, prefixed);
  if (spec.minLevel !== undefined && levelRank(levelOf(body)) < spec.minLevel) return false;
  return !spec.pattern || spec.pattern.test(body);
}

/**
 * The lines a filter keeps, fed one line at a time by absolute number (lines that fell off the
 * ring keep their numbers): every match plus `context` lines either side, each once, in order.
 */
export class LineSelector {
  readonly kept: number[] = [];
  private after = 0;

  constructor(
    readonly spec: LogFilterSpec,
    private readonly prefixed: boolean,
    /** Earlier lines, for context before a match; undefined once they are gone. */
    private readonly lineAt: (abs: number) => string | undefined,
  ) {}

  feed(abs: number, line: string): void {
    const last = this.kept.length ? this.kept[this.kept.length - 1]! : -1;
    if (lineMatches(line, this.spec, this.prefixed)) {
      for (let j = Math.max(last + 1, abs - this.spec.context); j < abs; j++) {
        if (this.lineAt(j) !== undefined) this.kept.push(j);
      }
      this.kept.push(abs);
      this.after = this.spec.context;
    } else if (this.after > 0) {
      this.kept.push(abs);
      this.after--;
    }
  }

  /** Forgets lines before `abs` (they fell off the ring). */
  trim(abs: number): void {
    let n = 0;
    while (n < this.kept.length && this.kept[n]! < abs) n++;
    if (n) this.kept.splice(0, n);
  }
}
