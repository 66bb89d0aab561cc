import { closeSync, openSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A lock shared by every process on this host, for test files that need a fixed host resource
 * (the tutorial's NodePort 32600). Hold it from beforeAll to afterAll. A lock not refreshed for
 * `staleMs` (its holder died) is taken over.
 */
export async function acquireHostLock(name: string, staleMs = 60_000): Promise<() => void> {
  const path = join(tmpdir(), `skiff-lock-${name}`);
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      break;
    } catch {
      try {
        if (Date.now() - statSync(path).mtimeMs > staleMs) rmSync(path, { force: true });
      } catch {
        /* released meanwhile */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const keepAlive = setInterval(() => {
    try {
      utimesSync(path, new Date(), new Date());
    } catch {
      /* released */
    }
  }, staleMs / 4);
  return () => {
    clearInterval(keepAlive);
    rmSync(path, { force: true });
  };
}
