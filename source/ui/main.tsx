import { register } from 'node:module';
import { setFlagsFromString } from 'node:v8';
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
  // Once the TUI has started and gone idle, V8's memory reducer gives start-up's garbage back
  // (about 15 MB) with a full GC, and then always runs a second one, which finds nothing more to
  // free here; one is enough (the flag is read when the reducer decides, so setting it now works).
  setFlagsFromString('--memory-reducer-single-gc');
  const early = await beginEarly(opts);
  const { runTuiNow } = await import('./tui.tsx');
  return runTuiNow(early);
}

/**
 * Starts what the first screen waits for before the UI's code loads (compiling and running it is
 * most of the time to the first frame): the local engine's check, the kubeconfig read, and the
 * server's version and discovery. The controller takes them over (TuiOptions.early).
 */
async function beginEarly(opts: TuiOptions): Promise<TuiOptions> {
  const { EarlyConnection } = await import('../client/early-connection.ts');
  const { localEngineSource } = await import('../client/kubeconfig.ts');
  const ensure = opts.ensureLocalCluster;
  if (opts.context || opts.kubeconfigPath || !ensure) {
    const early = new EarlyConnection({ path: opts.kubeconfigPath, context: opts.context });
    return { ...opts, early: Promise.resolve(early) };
  }
  // The controller's first ensureLocalCluster() gets this answer; a retry asks again.
  let first: Promise<string> | undefined = ensure();
  const early = first.then(
    (kubeconfig) => new EarlyConnection(localEngineSource(kubeconfig)),
    () => undefined, // the controller reports it
  );
  const ensureLocalCluster = () => {
    const answer = first ?? ensure();
    first = undefined;
    return answer;
  };
  return { ...opts, ensureLocalCluster, early };
}
