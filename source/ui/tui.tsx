import { render } from 'ink';
import { App } from './app.tsx';
import { Controller, type TuiOptions } from './controller.ts';
import { CellPatcherContext } from './screen/cell-patch.ts';
import { FrameWriter } from './screen/frame-writer.ts';
import { enterFullscreen } from './terminal.ts';
import { pickTheme } from './theme.ts';

/**
 * Runs the full-screen explorer until the user quits. The terminal (alternate screen, cursor,
 * raw mode) is restored on quit, on SIGINT/SIGTERM/SIGHUP and on a crash.
 */
export async function runTuiNow(opts: TuiOptions): Promise<void> {
  const stdout = process.stdout;
  const screen = enterFullscreen(stdout);
  let quit!: () => void;
  const quitting = new Promise<void>((r) => (quit = r));
  const controller = new Controller({
    ...opts,
    columns: stdout.columns || 80,
    rows: stdout.rows || 24,
    terminal: { stdin: process.stdin, stdout },
    onQuit: () => quit(),
  });
  // Only changed cells reach the terminal (SKIFF_FULL_REDRAW=1: Ink's own full-frame repaint).
  const writer = stdout.isTTY && process.env.SKIFF_FULL_REDRAW !== '1' ? new FrameWriter(stdout) : undefined;
  const instance = render(
    <CellPatcherContext.Provider value={writer}>
      <App controller={controller} theme={pickTheme()} />
    </CellPatcherContext.Provider>,
    {
      stdout: writer ? (writer as unknown as NodeJS.WriteStream) : stdout,
      exitOnCtrlC: false,
      patchConsole: false,
      // Ink defers a frame asked for within 1000/maxFps ms of the last one: under a busy watch
      // (a frame every 150 ms) a key often came just after a frame and waited up to 17 ms at 60.
      maxFps: 120,
    },
  );

  const teardown = () => {
    controller.dispose();
    instance.unmount();
    writer?.dispose();
    screen.restore();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (signal === 'SIGHUP') {
      // The terminal is gone: restoring it would fail (Node aborts on EIO); die by the signal.
      controller.dispose();
      for (const s of signals) process.off(s, onSignal);
      process.kill(process.pid, 'SIGHUP');
      return;
    }
    teardown();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const onCrash = (err: unknown) => {
    teardown();
    process.stderr.write(`skiff crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);

  try {
    void controller.start();
    await Promise.race([quitting, instance.waitUntilExit()]);
  } finally {
    for (const s of signals) process.off(s, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    teardown();
    await instance.waitUntilExit().catch(() => {});
  }
}
