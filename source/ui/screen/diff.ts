import { parseLine, type CellLine } from './cells.ts';

/**
 * What the terminal shows, as far as we know: the raw lines of the last frame and their cells.
 * A row whose cells were patched since its line was drawn (FrameWriter.patch) has the characters
 * it shows now in `patched`: its cells are no longer what `lines` would parse to.
 */
export interface Screen {
  lines: string[];
  cells: Array<CellLine | undefined>;
  patched: Array<string | undefined>;
}

export const emptyScreen = (): Screen => ({ lines: [], cells: [], patched: [] });

const BLANK: CellLine = { chars: [], styles: [], opaque: false };
// Two runs closer than this are written as one: a cursor move costs about as much.
const MERGE_GAP = 6;

const sgr = (style: string) => (style ? `\x1b[0;${style}m` : '\x1b[0m');
const cup = (row: number, col: number) => `\x1b[${row + 1};${col + 1}H`;

/** Horizontal move on the current row: backspaces, forward (CUF) or absolute (CHA), the shortest. */
function across(from: number, to: number): string {
  if (to === from) return '';
  if (to < from) {
    const abs = `\x1b[${to + 1}G`;
    return from - to < abs.length ? '\b'.repeat(from - to) : abs;
  }
  return `\x1b[${to - from}C`;
}

/**
 * The shortest way from a known cursor position to (row, col): on the same row or the row below,
 * else an absolute move. VT moves down one row keeping the column, like LF without the tty's
 * newline translation; the row below is inside the frame, so it never scrolls. `col < 0` means
 * the position is not known.
 */
function moveTo(cur: { row: number; col: number }, row: number, col: number): string {
  const abs = cup(row, col);
  if (cur.col < 0) return abs;
  let rel: string | undefined;
  if (row === cur.row) rel = across(cur.col, col);
  else if (row === cur.row + 1) rel = '\v' + across(cur.col, col);
  return rel !== undefined && rel.length < abs.length ? rel : abs;
}

export function cellsOf(screen: Screen, y: number): CellLine {
  const line = screen.lines[y];
  if (line === undefined) return BLANK;
  let c = screen.cells[y];
  if (!c) screen.cells[y] = c = parseLine(line);
  return c;
}

/**
 * The bytes that turn the terminal from `prev` into `lines` (a frame's rows, top row first, at
 * the top of the screen): only the cells that differ are written, each run after the shortest
 * cursor move, each cell with its full style. `columns` is the terminal's width. Rows only in
 * `prev` are blanked. Returns the new screen and the output ('' when nothing changed). The pen is
 * left at the default style. `lines` may be a Screen whose patched rows carry their cells.
 */
export function diffFrame(
  prev: Screen,
  lines: string[] | Screen,
  columns = Infinity,
  only?: ReadonlyMap<number, readonly [number, number]>,
): { screen: Screen; out: string } {
  const next: Screen = Array.isArray(lines) ? { lines, cells: [], patched: [] } : lines;
  lines = next.lines;
  let out = '';
  let pen = '';
  const cur = { row: 0, col: -1 }; // col -1: unknown
  const rows = Math.max(prev.lines.length, lines.length);
  for (let y = 0; y < rows; y++) {
    if (prev.lines[y] === lines[y] && prev.patched[y] === next.patched[y]) {
      next.cells[y] ??= prev.cells[y];
      continue;
    }
    let a = cellsOf(prev, y);
    const b = cellsOf(next, y);
    if (b.opaque || (a.opaque && next.patched[y] === undefined)) {
      // Rewrite the whole row from its raw text.
      out += `${cup(y, 0)}\x1b[0m\x1b[2K${lines[y] ?? ''}\x1b[0m`;
      pen = '';
      cur.col = -1;
      continue;
    }
    if (a.opaque) {
      // A patched row (its raw line is not what it shows) over an opaque one: blank it, write the cells.
      out += `${cup(y, 0)}\x1b[0m\x1b[2K`;
      pen = '';
      cur.row = y;
      cur.col = 0;
      a = BLANK;
    }
    const span = only?.get(y);
    const width = span ? span[1] : Math.max(a.chars.length, b.chars.length);
    const same = (x: number) =>
      (a.chars[x] ?? ' ') === (b.chars[x] ?? ' ') && (a.styles[x] ?? '') === (b.styles[x] ?? '');
    let x = span ? span[0] : 0;
    while (x < width) {
      if (same(x)) {
        x++;
        continue;
      }
      let start = x;
      let end = x + 1; // exclusive
      for (let gap = 0, k = end; k < width && gap < MERGE_GAP; k++) {
        if (same(k)) gap++;
        else {
          gap = 0;
          end = k + 1;
        }
      }
      // Never start or end inside a wide character, old or new.
      while (start > 0 && (a.chars[start] === '' || b.chars[start] === '')) start--;
      while (end < width && (a.chars[end] === '' || b.chars[end] === '')) end++;
      out += moveTo(cur, y, start);
      for (let k = start; k < end; k++) {
        const ch = b.chars[k] ?? ' ';
        if (ch === '') continue; // the right half of a wide character just written
        const st = b.styles[k] ?? '';
        if (st !== pen) {
          out += sgr(st);
          pen = st;
        }
        out += ch;
      }
      x = end;
      // At the last column the terminal holds a pending wrap: its position is not `end` then.
      cur.row = y;
      cur.col = end < columns ? end : -1;
    }
  }
  if (pen) out += '\x1b[0m';
  return { screen: next, out };
}
