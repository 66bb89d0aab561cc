import { readEngineInfo } from './daemon.ts';

/** Said when the TUI quits on the local engine: the cluster outlives it, as any cluster does. */
export function farewell(home: string): string | undefined {
  const info = readEngineInfo(home);
  if (!info) return undefined;
  try {
    process.kill(info.pid, 0);
  } catch {
    return undefined;
  }
  return `The local cluster keeps running (engine pid ${info.pid}, ${info.url}); kubectl still reaches it.\nStop it with: skiff cluster down   (state is kept; skiff cluster reset wipes it)\n`;
}
