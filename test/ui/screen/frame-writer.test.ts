import { EventEmitter } from 'node:events';
import xterm from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../../source/ui/screen/frame-writer.ts';

const { Terminal } = xterm;
type Term = InstanceType<typeof Terminal>;

const COLS = 40;
const ROWS = 12;
const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';

class FakeOut extends EventEmitter {
  columns = COLS;
  rows = ROWS;
  writableLength = 0;
  chunks: string[] = [];
  write(s: string, cb?: () => void): boolean {
    this.chunks.push(s);
    cb?.();
    return true;
  }
  take(): string {
    const s = this.chunks.join('');
    this.chunks = [];
    return s;
  }
}

const write = (t: Term, s: string) => new Promise<void>((r) => t.write(s, r));

/** Every cell of the screen with its attributes, so two terminals can be compared exactly. */
function cells(t: Term): string[] {
  const buf = t.buffer.active;
  const out: string[] = [];
  for (let y = 0; y < t.rows; y++) {
    const line = buf.getLine(y)!;
    for (let x = 0; x < t.cols; x++) {
      const c = line.getCell(x)!;
      out.push(
        [
          y,
          x,
          c.getChars() || ' ',
          c.getWidth(),
          c.getFgColorMode(),
          c.getFgColor(),
          c.getBgColorMode(),
          c.getBgColor(),
          c.isBold(),
          c.isDim(),
          c.isInverse(),
          c.isUnderline(),
          c.isItalic(),
        ].join(','),
      );
    }
  }
  return out;
}

// Log-update's way of replacing `count` lines (ansi-escapes eraseLines).
const eraseLines = (count: number) => (count ? '\x1b[2K\x1b[1A'.repeat(count - 1) + '\x1b[2K\x1b[G' : '');

/** Writes frames the way Ink 6.8 does: BSU, erase the previous frame, the frame and a newline, ESU. */
function inkLike(w: FrameWriter) {
  let prev = 0;
  return (lines: string[]) => {
    w.write(BSU);
    const s = lines.join('\n') + '\n';
    w.write(eraseLines(prev) + s);
    prev = lines.length + 1;
    w.write(ESU);
  };
}

function rng(seed: number) {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

const STYLES: Array<[string, string]> = [
  ['', ''],
  ['\x1b[33m', '\x1b[39m'],
  ['\x1b[1m', '\x1b[22m'],
  ['\x1b[44m', '\x1b[49m'],
  ['\x1b[7m', '\x1b[27m'],
  ['\x1b[2m', '\x1b[22m'],
  ['\x1b[38;5;208m', '\x1b[39m'],
  ['\x1b[38;2;10;200;30m\x1b[48;2;1;2;3m', '\x1b[49m\x1b[39m'],
];
const WORDS = ['a', 'bc', ' ', '  ', 'xyz', '…', '世界', 'é', 'e\u0301', '5s', '6s', '─'];

type Tok = [word: number, style: number];

function randomLine(r: () => number): Tok[] {
  const toks: Tok[] = [];
  for (let i = 0; i < 14; i++) toks.push([Math.floor(r() * WORDS.length), Math.floor(r() * STYLES.length)]);
  return toks;
}

/** Small edits, like a table between two frames: a word or a style here and there. */
function mutate(r: () => number, toks: Tok[]): Tok[] {
  const out = toks.map((t): Tok => [...t]);
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const t = out[Math.floor(r() * out.length)];
    if (r() < 0.5) t[0] = Math.floor(r() * WORDS.length);
    else t[1] = Math.floor(r() * STYLES.length);
  }
  return out;
}

const wordWidth = (w: string) => (w === '世界' ? 4 : w === 'e\u0301' ? 1 : w.length);

/** The tokens as rendered text, cut to the width; lines ending in '|' fill it to the last column. */
function render(toks: Tok[]): string {
  let s = '';
  let width = 0;
  for (const [w, st] of toks) {
    const word = WORDS[w];
    if (width + wordWidth(word) > COLS) break;
    s += STYLES[st][0] + word + STYLES[st][1];
    width += wordWidth(word);
  }
  if (toks[0][0] % 2 === 0) s += '\x1b[44m' + '|'.repeat(COLS - width) + '\x1b[49m';
  return s;
}

describe('FrameWriter: only changed cells reach the terminal', () => {
  it('leaves the terminal exactly as a full repaint would, over random frames', async () => {
    const r = rng(7);
    const out = new FakeOut();
    const writer = new FrameWriter(out as unknown as NodeJS.WriteStream);
    const frame = inkLike(writer);
    const diffed = new Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
    const full = new Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
    let toks = Array.from({ length: ROWS - 1 }, () => randomLine(r));
    for (let i = 0; i < 150; i++) {
      // Edit a few rows, now and then replace one or change the frame height.
      toks = toks.map((t) => (r() < 0.3 ? mutate(r, t) : r() < 0.05 ? randomLine(r) : t));
      if (r() < 0.1) toks = toks.slice(0, 2 + Math.floor(r() * (ROWS - 3)));
      while (toks.length < ROWS - 1 && r() < 0.5) toks.push(randomLine(r));
      const lines = toks.map(render);
      frame(lines);
      await write(diffed, out.take());
      await write(full, '\x1b[0m\x1b[H\x1b[2J' + lines.join('\x1b[0m\r\n') + '\x1b[0m');
      expect(cells(diffed)).toEqual(cells(full));
    }
    writer.dispose();
  });

  it('writes a handful of bytes when one cell changes, nothing when nothing does', () => {
    const out = new FakeOut();
    const writer = new FrameWriter(out as unknown as NodeJS.WriteStream);
    const frame = inkLike(writer);
    const row = (age: string) => ` web-${'x'.repeat(20)}   \x1b[32mRunning\x1b[39m   ${age}`;
    frame([row('5s'), row('5s'), '']);
    expect(out.take()).toContain('web-');
    frame([row('5s'), row('5s'), '']);
    expect(out.take()).toBe('');
    frame([row('6s'), row('5s'), '']);
    const diff = out.take();
    expect(diff).toBe(`${BSU}\x1b[1;${row('').replace(/\x1b\[\d+m/g, '').length + 1}H6${ESU}`);
    // A column of ages ticking: each row costs the digit and a step down (VT, backspace).
    frame([row('7s'), row('6s'), '']);
    expect(out.take()).toBe(`${BSU}\x1b[1;${row('').replace(/\x1b\[\d+m/g, '').length + 1}H7\v\b6${ESU}`);
    writer.dispose();
  });

  it('repaints in full after a resize and after an empty (suspended) frame', () => {
    const out = new FakeOut();
    const writer = new FrameWriter(out as unknown as NodeJS.WriteStream);
    const frame = inkLike(writer);
    let resized = 0;
    writer.on('resize', () => resized++);
    frame(['one', 'two']);
    out.take();
    out.emit('resize');
    expect(resized).toBe(1);
    frame(['one', 'two']);
    expect(out.take()).toContain('\x1b[2J');
    frame([]);
    out.take();
    frame(['one', 'two']);
    const again = out.take();
    expect(again).toContain('\x1b[2J');
    expect(again).toContain('one');
    writer.dispose();
  });

  it('passes other output through and treats a bare erase as a reason to repaint', () => {
    const out = new FakeOut();
    const writer = new FrameWriter(out as unknown as NodeJS.WriteStream);
    const frame = inkLike(writer);
    writer.write('\x1b[?25h');
    expect(out.take()).toBe('\x1b[?25h');
    frame(['one']);
    out.take();
    writer.write(eraseLines(2));
    expect(out.take()).toBe('');
    frame(['one']);
    expect(out.take()).toContain('\x1b[2J');
    writer.dispose();
  });
});

describe('FrameWriter.patch: cells written between frames', () => {
  // A table as TableView draws it: a border, a name, a status in the row's colour, the AGE cell.
  const TOP = 2; // rows above the table (a header), changed by the test to shift the table
  const ROW_STYLES = ['\x1b[33m', '\x1b[32m', '\x1b[7m', '\x1b[30;43m'];
  const AGE_COL = 24;
  const ageText = (s: number) => (s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${s % 60}s`).padEnd(6);
  const rowLine = (i: number, status: string, age: string) =>
    `│${ROW_STYLES[i % ROW_STYLES.length]}${` pod-${i}`.padEnd(11)}${status.padEnd(12)}${age}\x1b[0m │`;

  it('leaves the terminal as a full repaint of the current ages would, whatever Ink draws next', async () => {
    const r = rng(11);
    const out = new FakeOut();
    const writer = new FrameWriter(out as unknown as NodeJS.WriteStream);
    const frame = inkLike(writer);
    const diffed = new Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
    const full = new Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true });
    const born = [0, 3, 40, 55, 58, 59];
    const status = born.map(() => 'Running');
    let t = 60;
    let header = TOP;
    let footer = 'ok';
    // What Ink's last render holds: ages as of `rendered`, with the header and footer of then.
    let rendered = t;
    let inkHeader = header;
    const lines = (ages: number, top: number, foot: string) => [
      ...Array.from({ length: top }, (_, k) => `header ${k}`),
      ...born.map((b, i) => rowLine(i, status[i], ageText(ages - b))),
      foot,
    ];
    // The line Ink draws for row i sits at `top + i`: AGE_COL cells in (the border is one cell).
    const shown = born.map((b) => ageText(rendered - b));
    const check = async () => {
      await write(diffed, out.take());
      const truth = lines(t, header, footer);
      await write(full, '\x1b[0m\x1b[H\x1b[2J' + truth.join('\x1b[0m\r\n') + '\x1b[0m');
      expect(cells(diffed)).toEqual(cells(full));
    };
    frame(lines(t, header, footer));
    await check();
    let patches = 0;
    for (let step = 0; step < 300; step++) {
      const p = r();
      if (p < 0.5) {
        // A tick: the rows whose age changed, each whole as the screen shows it (as TableView does).
        t += 1 + Math.floor(r() * 3);
        const plain = (line: string) => line.replace(/\x1b\[[0-9;]*m/g, '');
        const edits = born
          .map((b, i) => ({
            row: inkHeader + i,
            col: 0,
            before: plain(rowLine(i, status[i], shown[i])),
            after: plain(rowLine(i, status[i], ageText(t - b))),
            // Half the ticks say where the age is (TableView does); the rest leave it to the patcher.
            ...(step % 2 ? { span: [AGE_COL, AGE_COL + 6] as const } : {}),
          }))
          .filter((e) => e.before !== e.after);
        if (edits.length === 0) continue;
        if (inkHeader !== header) {
          // The table moved in a frame it did not draw: the rows are not where it thinks, the patch
          // is refused and it renders instead.
          expect(writer.patch(edits)).toBe(false);
          rendered = t;
          inkHeader = header;
          for (let i = 0; i < born.length; i++) shown[i] = ageText(t - born[i]);
          frame(lines(t, header, footer));
        } else {
          expect(writer.patch(edits)).toBe(true);
          patches++;
          for (let i = 0; i < born.length; i++) shown[i] = ageText(t - born[i]);
        }
      } else if (p < 0.7) {
        // Ink draws a frame in which the table did not re-render: its rows as of `rendered`.
        footer = `footer ${step}`;
        if (r() < 0.3) header = Math.floor(r() * 3);
        frame(lines(rendered, header, footer));
        // The screen shows the ages patched: `shown` is still right.
      } else {
        // The table re-renders: every row with the ages of now, maybe a status changed.
        if (r() < 0.3) status[Math.floor(r() * born.length)] = r() < 0.5 ? 'Pending' : 'Running';
        rendered = t;
        inkHeader = header;
        for (let i = 0; i < born.length; i++) shown[i] = ageText(t - born[i]);
        frame(lines(t, header, footer));
      }
      await check();
    }
    expect(patches).toBeGreaterThan(50);
    writer.dispose();
  });

  it('refuses (writing nothing) what the screen does not show, texts of another width, and an unknown screen', () => {
    const out = new FakeOut();
    const writer = new FrameWriter(out as unknown as NodeJS.WriteStream);
    const frame = inkLike(writer);
    expect(writer.patch([{ row: 0, col: 0, before: 'a', after: 'b' }])).toBe(false);
    frame(['name  5s', '']);
    out.take();
    expect(writer.patch([{ row: 0, col: 6, before: '4s', after: '6s' }])).toBe(false);
    expect(writer.patch([{ row: 0, col: 6, before: '5s', after: '10s' }])).toBe(false);
    expect(writer.patch([{ row: 0, col: 6, before: '5s', after: '6…' }])).toBe(false);
    expect(writer.patch([{ row: 5, col: 0, before: ' ', after: 'x' }])).toBe(false);
    // All or nothing: the first edit is right, the second is not.
    expect(
      writer.patch([
        { row: 0, col: 6, before: '5s', after: '6s' },
        { row: 0, col: 0, before: 'nope', after: 'yeah' },
      ]),
    ).toBe(false);
    expect(out.take()).toBe('');
    expect(writer.patch([{ row: 0, col: 6, before: '5s', after: '6s' }])).toBe(true);
    expect(out.take()).toBe('\x1b[1;7H6');
    expect(writer.patch([{ row: 0, col: 6, before: '5s', after: '7s' }])).toBe(false);
    out.emit('resize');
    expect(writer.patch([{ row: 0, col: 6, before: '6s', after: '7s' }])).toBe(false);
    expect(out.take()).toBe('');
    writer.dispose();
  });

  it('with a span: compares only its cells, refuses a change outside it or a row of wide characters', () => {
    const out = new FakeOut();
    const writer = new FrameWriter(out as unknown as NodeJS.WriteStream);
    const frame = inkLike(writer);
    frame(['pod-a  Running  5s', '名前   Running  5s', '']);
    out.take();
    // The row is checked whole: another row's text at the same place is refused.
    expect(
      writer.patch([{ row: 0, col: 0, before: 'pod-b  Running  5s', after: 'pod-b  Running  6s', span: [16, 18] }]),
    ).toBe(false);
    // A change outside the span is refused, and so is a span outside the texts.
    expect(
      writer.patch([{ row: 0, col: 0, before: 'pod-a  Running  5s', after: 'pod-a  Pending  6s', span: [16, 18] }]),
    ).toBe(false);
    expect(
      writer.patch([{ row: 0, col: 0, before: 'pod-a  Running  5s', after: 'pod-a  Running  6m', span: [16, 17] }]),
    ).toBe(false);
    expect(
      writer.patch([{ row: 0, col: 0, before: 'pod-a  Running  5s', after: 'pod-a  Running  6s', span: [16, 19] }]),
    ).toBe(false);
    // Two cells for each of 名 and 前: the text's offsets are not the screen's columns.
    expect(
      writer.patch([{ row: 1, col: 0, before: '名前   Running  5s', after: '名前   Running  6s', span: [15, 17] }]),
    ).toBe(false);
    expect(out.take()).toBe('');
    expect(
      writer.patch([{ row: 0, col: 0, before: 'pod-a  Running  5s', after: 'pod-a  Running  6s', span: [16, 18] }]),
    ).toBe(true);
    expect(out.take()).toBe('\x1b[1;17H6');
    writer.dispose();
  });

  it('costs a column of ticking ages three bytes a row', () => {
    const out = new FakeOut();
    const writer = new FrameWriter(out as unknown as NodeJS.WriteStream);
    const frame = inkLike(writer);
    frame(Array.from({ length: 8 }, (_, i) => `pod-${i}  \x1b[33m1m5s \x1b[39m│`));
    out.take();
    const edits = Array.from({ length: 8 }, (_, i) => ({ row: i, col: 7, before: '1m5s', after: '1m6s' }));
    expect(writer.patch(edits)).toBe(true);
    expect(out.take()).toBe(`\x1b[1;10H\x1b[0;33m6${'\v\b6'.repeat(7)}\x1b[0m`);
    writer.dispose();
  });
});
