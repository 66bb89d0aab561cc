// The shared setup of the TUI end-to-end files: one real engine per file (started in beforeAll,
// stopped in afterAll) and the real CLI in a pty per test (killed after each test).
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { EngineOptions } from '../../source/engine/engine.ts';
import { KEY, spawnTui, type Tui } from '../e2e/pty.ts';
import { startTestEngine, type TestEngine } from './engine.ts';

export interface TuiOptions {
  cols?: number;
  rows?: number;
  /** Extra CLI arguments after `--kubeconfig` (for example `['--command', 'no']`). */
  args?: string[];
}

/** The file's engine (every TestEngine member, valid from beforeAll on) and its TUIs. */
export interface TuiSession extends TestEngine {
  /** Starts the TUI on this engine's kubeconfig with kubectl's fresh HOME; killed after the test. */
  open(opts?: TuiOptions): Tui;
  /** `open`, then waits for the first screen (`ready`, by default the pod list of `default`). */
  opened(opts?: TuiOptions & { ready?: string | RegExp; timeoutMs?: number }): Promise<Tui>;
}

export interface SessionOptions extends TuiOptions {
  /** Runs once after the engine started (create the file's objects here). */
  setup?: (t: TestEngine) => Promise<void>;
  setupTimeoutMs?: number;
  engine?: Partial<EngineOptions>;
}

/** Registers the hooks; call at the top level of a test file. `cols`/`rows` are the file's defaults. */
export function useTuiSession(opts: SessionOptions = {}): TuiSession {
  let engine: TestEngine | undefined;
  const open: Tui[] = [];
  const started = (): TestEngine => {
    if (!engine) throw new Error('the test engine is not running (useTuiSession starts it in beforeAll)');
    return engine;
  };
  beforeAll(async () => {
    engine = await startTestEngine(opts.engine);
    await opts.setup?.(engine);
  }, opts.setupTimeoutMs ?? 180_000);
  afterAll(async () => engine?.stop());
  afterEach(() => {
    for (const tui of open.splice(0)) tui.kill();
  });

  const session: TuiSession = {
    get engine() {
      return started().engine;
    },
    get home() {
      return started().home;
    },
    get kubeHome() {
      return started().kubeHome;
    },
    kubectl: (args, o) => started().kubectl(args, o),
    stop: () => started().stop(),
    open(o = {}) {
      const t = started();
      const tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath, ...(o.args ?? opts.args ?? [])], {
        cols: o.cols ?? opts.cols,
        rows: o.rows ?? opts.rows,
        env: { HOME: t.kubeHome },
      });
      open.push(tui);
      return tui;
    },
    async opened(o = {}) {
      const tui = session.open(o);
      await tui.waitFor(o.ready ?? 'Pods(default)', o.timeoutMs ?? 45_000);
      return tui;
    },
  };
  return session;
}

/** `:text` Enter; with `title`, waits for it and returns the screen. */
export async function runCommand(ui: Tui, text: string, title?: string | RegExp): Promise<string> {
  await ui.press(':');
  await ui.type(text);
  await ui.press(KEY.enter);
  return title === undefined ? ui.screen() : ui.waitFor(title);
}

/** `/filter` Enter, then waits for the filter to show in the title (`</filter>`). */
export async function filterBy(ui: Tui, filter: string): Promise<void> {
  await ui.press('/');
  await ui.type(filter);
  await ui.press(KEY.enter);
  await ui.waitFor(`</${filter}>`);
}
