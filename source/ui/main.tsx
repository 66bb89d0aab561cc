import { register } from 'node:module';
import type { TuiOptions } from './controller.ts';

export type { TuiOptions } from './controller.ts';

/** True in the bundled TUI of dist/ (scripts/build.mjs), whose dependencies are rewritten already. */
declare const SKIFF_BUNDLED: boolean;

let hooked = typeof SKIFF_BUNDLED !== 'undefined' && SKIFF_BUNDLED;

/**
 * Runs the full-screen explorer until the user quits (see tui.tsx). React and Ink are loaded
 * only after the process is set up for long sessions: Ink's text caches bounded (by a module
 * hook when running from source; built in when bundled), React in production mode. Both would
 * otherwise grow the heap without end.
 */
export async function runTui(opts: TuiOptions): Promise<void> {
  if (!hooked) {
    hooked = true;
    register('./ink-cache-hook.mjs', import.meta.url);
  }
  // React's development build records a performance entry per render in Node's unbounded
  // timeline buffer (and is slower); the TUI wants the production build.
  process.env.NODE_ENV = 'production';
  const { runTuiNow } = await import('./tui.tsx');
  return runTuiNow(opts);
}
