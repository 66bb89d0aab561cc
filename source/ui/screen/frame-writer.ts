import { EventEmitter } from 'node:events';
import type { CellLine } from './cells.ts';
import type { CellEdit, CellPatcher } from './cell-patch.ts';
import { cellsOf, diffFrame, emptyScreen, type Screen } from './diff.ts';

const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';
const PRINTABLE = /^[\x20-\x7e]$/;
// Ink prefixes a frame with cursor moves and line erases (log-update's eraseLines) or a clear.
const LEADING_CONTROL = /^(?:\x1b\[[0-9;?]*[A-HJKST]|\x1b\[\?25[lh])*/;
const ONLY_CONTROL = /^(?:\x1b\[[0-9;?]*[A-HJKST])*$/;

/**
 * The stdout Ink renders to. Ink 6.8 rewrites the whole frame whenever anything in it changed
 * (erase every line, write every line); a table whose AGE column ticks would repaint the screen
 * each second. This stream takes each frame Ink writes (between its synchronized-output markers),
 * compares it with the previous one cell by cell and writes only the cells that changed, at
 * absolute positions (the frame sits at the top of the alternate screen).
 *
 * Anything that may have changed the screen behind our back (a resize, a clear, an empty frame
 * while the terminal is handed to a shell or an editor) makes the next frame a full repaint.
 *
 * `patch` writes a few cells between Ink's frames (a ticking AGE) without a render. Ink does not
 * know: its next frame may carry the lines as they were before the patch. A line of that frame
 * that is exactly the line a patch was applied to is shown patched, wherever it now sits; any
 * other line is Ink's own, newer than the patch.
 */
export class FrameWriter extends EventEmitter implements CellPatcher {
  readonly isTTY = true;
  private screen: Screen | null = null;
  private frame: string | null = null; // the frame being collected between BSU and ESU
  private readonly onResize = () => {
    this.invalidate();
    this.emit('resize');
  };

  constructor(private readonly out: NodeJS.WriteStream) {
    super();
    out.on('resize', this.onResize);
  }

  get columns(): number {
    return this.out.columns;
  }

  get rows(): number {
    return this.out.rows;
  }

  get writableLength(): number {
    return this.out.writableLength;
  }

  /** The next frame is drawn in full on a cleared screen. */
  invalidate(): void {
    this.screen = null;
  }

  dispose(): void {
    this.out.off('resize', this.onResize);
  }

  write(
    chunk: string | Uint8Array,
    encoding?: BufferEncoding | ((err?: Error | null) => void),
    cb?: (err?: Error | null) => void,
  ): boolean {
    const done = typeof encoding === 'function' ? encoding : cb;
    const s = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (s === BSU) {
      this.frame = '';
      done?.();
      return true;
    }
    if (s === ESU) {
      const frame = this.frame ?? '';
      this.frame = null;
      this.draw(frame);
      done?.();
      return true;
    }
    if (this.frame !== null) {
      this.frame += s;
      done?.();
      return true;
    }
    if (s && ONLY_CONTROL.test(s)) {
      // log-update clearing its lines (on a narrowing resize or a clear): repaint next time.
      this.invalidate();
      done?.();
      return true;
    }
    return this.out.write(s, done);
  }

  patch(edits: readonly CellEdit[]): boolean {
    const screen = this.screen;
    if (!screen || this.frame !== null) return false;
    const rows = new Map<number, CellLine>();
    // The columns each row's edits may change: the diff below compares only those cells.
    const spans = new Map<number, [number, number]>();
    for (const e of edits) {
      const n = e.before.length;
      if (n !== e.after.length) return false;
      if (e.row < 0 || e.row >= screen.lines.length || e.col < 0) return false;
      const [lo, hi] = e.span ?? [0, n];
      if (!(lo >= 0 && lo <= hi && hi <= n)) return false;
      if (e.after.slice(0, lo) !== e.before.slice(0, lo) || e.after.slice(hi) !== e.before.slice(hi)) return false;
      let line = rows.get(e.row);
      if (!line) {
        const shown = cellsOf(screen, e.row);
        if (shown.opaque) return false;
        rows.set(e.row, (line = { chars: shown.chars.slice(), styles: shown.styles.slice(), opaque: false }));
      }
      // One cell per character of `before`, as the screen reads (no wide character's empty right
      // half, no cell of several code units); what changes is printable ASCII.
      const cells = line.chars.slice(e.col, e.col + n);
      const text = cells.join('');
      if (text.length !== cells.length || cells.includes('') || text.padEnd(n) !== e.before) return false;
      for (let k = lo; k < hi; k++) {
        if (e.after[k] !== e.before[k] && !PRINTABLE.test(e.after[k])) return false;
      }
      for (let k = lo; k < hi; k++) {
        const x = e.col + k;
        if (e.after[k] === e.before[k] && x < line.chars.length) continue;
        while (line.chars.length < x) {
          line.chars.push(' ');
          line.styles.push('');
        }
        line.chars[x] = e.after[k];
        line.styles[x] ??= '';
      }
      const span = spans.get(e.row);
      spans.set(
        e.row,
        span ? [Math.min(span[0], e.col + lo), Math.max(span[1], e.col + hi)] : [e.col + lo, e.col + hi],
      );
    }
    const next: Screen = { lines: screen.lines, cells: screen.cells.slice(), patched: screen.patched.slice() };
    for (const [y, line] of rows) {
      next.cells[y] = line;
      next.patched[y] = line.chars.join('');
    }
    const { out } = diffFrame(screen, next, this.out.columns || Infinity, spans);
    this.screen = next;
    // No synchronized-output markers (16 of the ~200 bytes a column of ages costs): the cells change
    // in place, nothing is erased first, so a terminal drawing halfway through shows no torn frame.
    if (out) this.out.write(out);
    return true;
  }

  /** Ink's lines as a screen, the patched cells kept on the lines that are the very lines patched. */
  private withPatches(lines: string[]): Screen {
    const next: Screen = { lines, cells: [], patched: [] };
    const prev = this.screen;
    if (!prev || !prev.patched.some((p) => p !== undefined)) return next;
    const kept = new Map<string, number>();
    prev.patched.forEach((p, y) => p !== undefined && kept.set(prev.lines[y], y));
    for (let y = 0; y < lines.length; y++) {
      const from = kept.get(lines[y]);
      if (from === undefined) continue;
      next.cells[y] = prev.cells[from];
      next.patched[y] = prev.patched[from];
    }
    return next;
  }

  private draw(raw: string): void {
    const lead = LEADING_CONTROL.exec(raw)?.[0] ?? '';
    const modes = lead.match(/\x1b\[\?25[lh]/g)?.join('') ?? '';
    let body = raw.slice(lead.length);
    if (body.endsWith('\n')) body = body.slice(0, -1);
    const lines = body === '' ? [] : body.split('\n');
    if (lines.length === 0) {
      // An empty frame (the UI is suspended): whatever comes next starts from a clean screen.
      this.screen = null;
      if (modes) this.out.write(modes);
      return;
    }
    const full = this.screen === null;
    const { screen, out } = diffFrame(
      this.screen ?? emptyScreen(),
      this.withPatches(lines),
      this.out.columns || Infinity,
    );
    this.screen = screen;
    const clear = full ? '\x1b[0m\x1b[H\x1b[2J' : '';
    if (!out && !clear && !modes) return;
    this.out.write(BSU + modes + clear + out + ESU);
  }
}
