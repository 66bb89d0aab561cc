import { EventEmitter } from 'node:events';
import { diffFrame, emptyScreen, type Screen } from './diff.ts';

const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';
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
 */
export class FrameWriter extends EventEmitter {
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
    const { screen, out } = diffFrame(this.screen ?? emptyScreen(), lines, this.out.columns || Infinity);
    this.screen = screen;
    const clear = full ? '\x1b[0m\x1b[H\x1b[2J' : '';
    if (!out && !clear && !modes) return;
    this.out.write(BSU + modes + clear + out + ESU);
  }
}
