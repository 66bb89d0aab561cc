import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../helpers/engine.ts';
import { ApiClient } from './client.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export interface ChildEngine {
  proc: ChildProcess;
  pid: number;
  url: string;
  client: ApiClient;
  /** Everything the engine printed (stdout and stderr). */
  output(): string;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Start `skiff engine --home DIR --port 0` (as user `uid` when given) without waiting for it. */
export function startEngineProcess(
  home: string,
  opts: { env?: Record<string, string>; uid?: number } = {},
): ChildProcess {
  return spawn(process.execPath, [join(ROOT, 'bin', 'skiff.js'), 'engine', '--home', home, '--port', '0'], {
    cwd: ROOT,
    env: {
      ...process.env,
      SKIFF_TIME_SCALE: '0.05',
      ...(opts.uid !== undefined ? { HOME: tmpdir() } : {}),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
  });
}

/**
 * Run `skiff engine --home DIR --port 0` as a child process and wait until it serves the API
 * (its engine.json names its own pid: a stale file from a killed engine does not count).
 */
export async function spawnEngine(
  home: string,
  opts: { env?: Record<string, string>; uid?: number } = {},
): Promise<ChildEngine> {
  const proc = startEngineProcess(home, opts);
  let out = '';
  proc.stdout!.on('data', (c) => (out += c));
  proc.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const info = await waitFor(
    () => {
      if (gone) throw new Error(`engine exited before serving:\n${out}`);
      const f = join(home, 'engine.json');
      if (!existsSync(f)) return undefined;
      try {
        const j = JSON.parse(readFileSync(f, 'utf8'));
        return j.pid === proc.pid ? (j as { url: string }) : undefined;
      } catch {
        return undefined;
      }
    },
    90_000,
    'the engine to start',
  ).catch((e) => {
    proc.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${out}`);
  });
  const token = readFileSync(join(home, 'token'), 'utf8').trim();
  const ca = readFileSync(join(home, 'pki', 'ca.crt'), 'utf8');
  const client = new ApiClient(info.url, token, ca);
  return {
    proc,
    pid: proc.pid!,
    url: info.url,
    client,
    output: () => out,
    exited,
    async kill(signal = 'SIGKILL') {
      client.close();
      if (!gone) proc.kill(signal);
      await exited;
    },
  };
}
