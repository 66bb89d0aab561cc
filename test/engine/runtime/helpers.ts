import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RealClock } from '../../../source/engine/clock.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../../source/engine/runtime/index.ts';

/** A runtime in a fresh temp dir; `cleanup` stops everything and removes the dir. */
export async function tempRuntime(
  opts: Partial<RuntimeOptions> = {},
): Promise<{ rt: Runtime; dir: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-rt-'));
  const rt = await createRuntime({ rootDir: join(dir, 'pods'), clock: new RealClock(0.05), pullDelayMs: 200, ...opts });
  return {
    rt,
    dir,
    async cleanup() {
      await rt.shutdown(0);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A loopback pod IP unlikely to clash with another test file running at the same time. */
export function podIP(): string {
  // 127.246/16 is used by no engine (bundled and test topologies live in 127.244/16), so no clash.
  return `127.246.${1 + Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
}

export async function collect(it: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const s of it) out += s;
  return out;
}

/** Poll until `fn` returns a truthy value (no fixed sleeps). */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${fn.toString()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function uid(): string {
  return `uid-${Math.random().toString(36).slice(2, 10)}`;
}
