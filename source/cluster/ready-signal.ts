import { closeSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * `cluster up` hands the daemon it spawns the write end of a pipe (its fd number in this
 * variable); the daemon writes one line there once it serves with its nodes registered, so `up`
 * learns it at once instead of polling for engine.json.
 */
export const READY_FD_ENV = 'SKIFF_READY_FD';
const READY = 'ready\n';

/**
 * In the daemon: say it is ready (once) and close the pipe. Nothing to do when not started by `up`.
 * True when `up` was told (it asks the API for the nodes next).
 */
export function signalReady(env: NodeJS.ProcessEnv = process.env): boolean {
  const fd = Number(env[READY_FD_ENV]);
  delete env[READY_FD_ENV]; // not for what the engine spawns
  if (!Number.isInteger(fd) || fd < 3) return false;
  let told = false;
  try {
    writeSync(fd, READY);
    told = true;
  } catch {
    /* `up` is gone (EPIPE): nobody waits */
  }
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
  return told;
}

/**
 * In `up`: resolves true when the daemon said it is ready on `pipe`, false when the pipe closed
 * without it (destroy it when the daemon exits: what it spawned may hold the write end) or
 * `timeoutMs` passed. The pipe is released either way.
 */
export function readySignal(pipe: Readable, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let got = '';
    const done = (ready: boolean) => {
      clearTimeout(timer);
      pipe.removeAllListeners('data');
      pipe.destroy();
      resolve(ready);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => {
      got += chunk;
      if (got.includes(READY)) done(true);
    });
    pipe.once('close', () => done(false)); // ended, or destroyed when the daemon exited
    pipe.once('error', () => done(false));
  });
}
