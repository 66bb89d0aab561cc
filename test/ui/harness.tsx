import { render } from 'ink-testing-library';
import { App } from '../../source/ui/app.tsx';
import { Controller, type TuiOptions } from '../../source/ui/controller.ts';
import { CellPatcherContext, type CellPatcher } from '../../source/ui/screen/cell-patch.ts';
import { noColorTheme } from '../../source/ui/theme.ts';

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

export interface AppHarness {
  controller: Controller;
  quit: { called: boolean };
  frame(): string;
  /** How many frames Ink has rendered so far. */
  frameCount(): number;
  /** Polls the last frame until it contains `text` (or matches); fails with the frame. */
  waitFor(match: string | RegExp | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Sends one key and yields so Ink re-subscribes its handler before the next one. */
  press(...keys: string[]): Promise<void>;
  type(text: string): Promise<void>;
  unmount(): void;
}

export const KEYS = {
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  backspace: '\x7f',
  down: '\x1b[B',
  up: '\x1b[A',
  ctrlD: '\x04',
  ctrlK: '\x0b',
};

const tick = () => new Promise<void>((r) => setImmediate(r));

export function renderApp(
  opts: TuiOptions & { columns?: number; rows?: number; configDir?: string; patcher?: CellPatcher },
): AppHarness {
  const quit = { called: false };
  const controller = new Controller({
    ...opts,
    columns: opts.columns ?? 120,
    rows: opts.rows ?? 30,
    coalesceMs: 20,
    // Not the developer's ~/.config/skiff.
    configDir: opts.configDir ?? '/nonexistent/skiff-test-config',
    connectTimeoutMs: 3000,
    onQuit: () => (quit.called = true),
  });
  const r = render(
    <CellPatcherContext.Provider value={opts.patcher}>
      <App controller={controller} theme={noColorTheme} />
    </CellPatcherContext.Provider>,
  );
  void controller.start();
  const frame = () => (r.lastFrame() ?? '').replace(ANSI, '');
  return {
    controller,
    quit,
    frame,
    frameCount: () => r.frames.length,
    async waitFor(match, timeoutMs = 10_000) {
      const test =
        typeof match === 'string'
          ? (f: string) => f.includes(match)
          : match instanceof RegExp
            ? (f: string) => match.test(f)
            : match;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const f = frame();
        if (test(f)) return f;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(match)}; last frame:\n${f}`);
        await tick();
        await new Promise((res) => setTimeout(res, 5));
      }
    },
    async press(...keys) {
      for (const k of keys) {
        r.stdin.write(k);
        await tick();
        await tick();
      }
    },
    async type(text) {
      for (const c of text) await this.press(c);
    },
    unmount() {
      controller.dispose();
      r.unmount();
      r.cleanup();
    },
  };
}
