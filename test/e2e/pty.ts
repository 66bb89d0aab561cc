// Runs the real CLI in a pseudo-terminal and reads the screen through a headless xterm.
import pty from 'node-pty';
import xterm from '@xterm/headless';
import { join } from 'node:path';

const { Terminal } = xterm;
const ROOT = join(import.meta.dirname, '..', '..');

export interface Tui {
  /** The visible screen, one string per row (right-trimmed), as it is right now. */
  lines(): string[];
  /** The screen rows once the frame being drawn is complete. */
  frame(): Promise<string[]>;
  screen(): string;
  /** Waits until the screen contains the text (or the predicate holds); fails with the screen. */
  waitFor(match: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Waits until no output arrived for `ms`. */
  waitQuiet(ms?: number, timeoutMs?: number): Promise<void>;
  press(...keys: string[]): Promise<void>;
  type(text: string): Promise<void>;
  resize(cols: number, rows: number): void;
  /** Screen rows whose second cell is drawn with a background colour or inverse (the selection). */
  highlightedRows(): number[];
  /** Everything the app wrote, raw. */
  output(): string;
  readonly term: InstanceType<typeof Terminal>;
  /** The child's process id (the node process running skiff). */
  readonly pid: number;
  readonly exited: Promise<number>;
  kill(): void;
}

export const KEY = {
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  backspace: '\x7f',
  up: '\x1b[A',
  down: '\x1b[B',
  ctrlC: '\x03',
  ctrlD: '\x04',
};

/** `nodeArgs` go to node before the script (for example `--cpu-prof`, not allowed in NODE_OPTIONS). */
export function spawnTui(
  args: string[],
  opts: { cols?: number; rows?: number; env?: Record<string, string>; nodeArgs?: string[]; root?: string } = {},
): Tui {
  const cols = opts.cols ?? 120;
  const rows = opts.rows ?? 30;
  const env: Record<string, string> = {};
  // No CI (Ink would draw nothing) and none of the developer's own skiff configuration.
  const skip = (k: string) =>
    k === 'CI' || k.startsWith('VITEST') || k === 'XDG_CONFIG_HOME' || k === 'SKIFF_CONFIG_DIR';
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !skip(k)) env[k] = v;
  Object.assign(env, { TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', ...opts.env });
  const term = new Terminal({ cols, rows, allowProposedApi: true });
  // `root`: another checkout's launcher (benchmarks compare a baseline build side by side).
  const root = opts.root ?? ROOT;
  const p = pty.spawn(process.execPath, [...(opts.nodeArgs ?? []), join(root, 'bin', 'skiff.js'), ...args], {
    name: 'xterm-256color',
    cols,
    rows,
    cwd: root,
    env,
  });
  let raw = '';
  let lastData = Date.now();
  let parsed: Promise<void> = Promise.resolve();
  p.onData((d) => {
    raw += d;
    lastData = Date.now();
    parsed = new Promise((r) => term.write(d, r));
  });
  // Answer terminal queries (cursor position, device attributes) like a real emulator.
  term.onData((d) => p.write(d));
  const exited = new Promise<number>((r) => p.onExit(({ exitCode }) => r(exitCode)));
  let dead = false;
  void exited.then(() => (dead = true));

  // Ink wraps each frame in synchronized-output markers; a screen read between them would see
  // half a frame, so reads wait until the last frame is complete.
  const BSU = '\x1b[?2026h';
  const ESU = '\x1b[?2026l';
  const midFrame = () => raw.lastIndexOf(BSU) > raw.lastIndexOf(ESU);
  const lines = () => {
    const buf = term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < term.rows; i++) out.push(buf.getLine(buf.viewportY + i)?.translateToString(true) ?? '');
    return out;
  };
  const highlightedRows = () => {
    const buf = term.buffer.active;
    const out: number[] = [];
    for (let i = 0; i < term.rows; i++) {
      const cell = buf.getLine(buf.viewportY + i)?.getCell(2);
      if (cell && (cell.isInverse() || !cell.isBgDefault())) out.push(i);
    }
    return out;
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const tui: Tui = {
    term,
    pid: p.pid,
    exited,
    lines,
    async frame() {
      await tui.waitFor(() => true);
      return lines();
    },
    highlightedRows,
    screen: () => lines().join('\n'),
    async waitFor(match, timeoutMs = 30_000) {
      const test =
        typeof match === 'string'
          ? (s: string) => s.includes(match)
          : match instanceof RegExp
            ? (s: string) => match.test(s)
            : match;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await parsed;
        const s = tui.screen();
        if (!midFrame() && test(s)) return s;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(match)}; screen:\n${s}`);
        await sleep(20);
      }
    },
    async waitQuiet(ms = 300, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() - lastData < ms && Date.now() < deadline) await sleep(20);
      await parsed;
    },
    async press(...keys) {
      for (const k of keys) {
        p.write(k);
        await sleep(30);
      }
    },
    async type(text) {
      for (const c of text) await tui.press(c);
    },
    resize(c, r) {
      p.resize(c, r);
      term.resize(c, r);
    },
    output: () => raw,
    kill() {
      if (!dead) p.kill();
      term.dispose();
    },
  };
  return tui;
}
