import { rmSync, writeFileSync } from 'node:fs';
import { startEngine } from '../engine/engine.ts';
import { startHeapGrowth } from './heap-growth.ts';
import { files, skiffHome } from './home.ts';
import { startIdleCompaction } from './idle-compaction.ts';
import { signalReady } from './ready-signal.ts';

const UP_ASKS_WITHIN_MS = 2000;

function firstAnswerOrAfter(answered: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([answered, new Promise<void>((r) => (timer = setTimeout(r, ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/**
 * `skiff engine`: the local control plane in this process, until SIGTERM/SIGINT; the entry of the
 * daemon's bundle (dist/engine.cjs). engine.json is written, and `cluster up` told, as soon as
 * the API serves with the nodes registered; `started` runs once every component has started too.
 */
export async function runEngine(opts: { home?: string; port?: number; started?: () => void }): Promise<void> {
  const home = skiffHome(opts.home);
  startHeapGrowth();
  const starting = startEngine({
    home,
    port: opts.port,
    onServing: ({ url, port, firstResponse }) => {
      writeFileSync(files(home).engineInfo, JSON.stringify({ pid: process.pid, url, port }), { mode: 0o600 });
      if (!signalReady()) return;
      // `up` asks for the nodes next, over a new TLS connection: starting the components (they
      // create the first pods) took turns of the event loop between its round trips, and doubled
      // the wait. Bounded, in case `up` is gone.
      return firstAnswerOrAfter(firstResponse, UP_ASKS_WITHIN_MS);
    },
  });
  let stopping = false;
  // From the start: `cluster down` may come while the components are still starting.
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const engine = await starting.catch(() => undefined);
    await engine?.stop();
    rmSync(files(home).engineInfo, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // A daemon outlives the terminal that started it.
  process.on('SIGHUP', () => {});
  await starting;
  if (process.env.SKIFF_IDLE_COMPACTION !== '0') startIdleCompaction();
  opts.started?.();
}
