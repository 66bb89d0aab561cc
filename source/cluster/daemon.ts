import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { NodeList } from 'kubernetes-types/core/v1.d.ts';
import { files, type EngineInfo } from './home.ts';
import { daemonEnv } from './daemon-env.ts';
import { ENGINE_NODE_FLAGS } from './engine-flags.ts';
import { engineLauncher } from './launcher.ts';
import { READY_FD_ENV, readySignal } from './ready-signal.ts';

/** Loaded when used: it brings the yaml package (dozens of files) that the TUI's start-up does without. */
const userKubeconfig = () => import('./user-kubeconfig.ts');

const LAUNCHER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'skiff.js');

export function readEngineInfo(home: string): EngineInfo | undefined {
  try {
    return JSON.parse(readFileSync(files(home).engineInfo, 'utf8')) as EngineInfo;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function token(home: string): string {
  return readFileSync(files(home).token, 'utf8').trim();
}

function caCert(home: string): string {
  return readFileSync(join(home, 'pki', 'ca.crt'), 'utf8');
}

/** GET a JSON document from the engine, trusting only its own CA. `T` is what the caller expects; not checked. */
export function api<T = Record<string, unknown>>(
  home: string,
  url: string,
  path: string,
  method = 'GET',
): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url + path,
      { method, ca: caCert(home), headers: { Authorization: `Bearer ${token(home)}` }, timeout: 3000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          let body = {} as T;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

export interface ClusterStatus {
  running: boolean;
  pid?: number;
  url?: string;
  nodes?: Array<{ name: string; ready: boolean }>;
}

export async function status(home: string): Promise<ClusterStatus> {
  const info = readEngineInfo(home);
  if (!info || !alive(info.pid)) return { running: false };
  try {
    const { status: code, body: list } = await api<NodeList>(home, info.url, '/api/v1/nodes');
    if (code !== 200) throw new Error(`HTTP ${code}`);
    const nodes = (list.items ?? []).map((n) => ({
      name: n.metadata?.name ?? '',
      ready: (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    }));
    return { running: true, pid: info.pid, url: info.url, nodes };
  } catch {
    return { running: true, pid: info.pid, url: info.url };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Start the engine daemon unless it runs; resolve once the API answers and every node is Ready.
 * Writes `$SKIFF_HOME/kubeconfig` and merges a `skiff` context into the user's kubeconfig.
 */
export async function up(
  home: string,
  opts: { port?: number; mergeUserKubeconfig?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<{ alreadyRunning: boolean; url: string; kubeconfig: string; userKubeconfig?: string }> {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const before = await status(home);
  let alreadyRunning = before.running;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let exitCode: number | undefined; // of the daemon spawned here, when it exited
  if (!before.running) {
    rmSync(files(home).engineInfo, { force: true });
    const logFd = openSync(files(home).log, 'a', 0o600);
    const args = [
      ...ENGINE_NODE_FLAGS,
      engineLauncher(LAUNCHER),
      'engine',
      '--home',
      home,
      ...(opts.port !== undefined ? ['--port', String(opts.port)] : []),
    ];
    const child = spawn(process.execPath, args, {
      detached: true,
      stdio: ['ignore', logFd, logFd, 'pipe'],
      env: { ...daemonEnv({ ...process.env, ...opts.env }), [READY_FD_ENV]: '3' },
    });
    child.unref();
    closeSync(logFd);
    // Polling would find it up to a poll period late; without the signal (the daemon died, or an
    // older build) the polling below still decides.
    const pipe = child.stdio[3] as Readable;
    child.once('exit', (code) => {
      exitCode = code ?? -1;
      pipe.destroy();
    });
    await readySignal(pipe, deadline - Date.now());
  }
  for (;;) {
    const s = await status(home);
    if (s.running && s.nodes?.length && s.nodes.every((n) => n.ready)) {
      const kubeconfig = files(home).kubeconfig;
      const merged =
        opts.mergeUserKubeconfig === false
          ? undefined
          : (await userKubeconfig()).mergeIntoUserKubeconfig(s.url!, token(home), caCert(home));
      return { alreadyRunning, url: s.url!, kubeconfig, userKubeconfig: merged };
    }
    if (Date.now() > deadline || (exitCode !== undefined && !s.running)) {
      const tail = existsSync(files(home).log)
        ? readFileSync(files(home).log, 'utf8').split('\n').slice(-15).join('\n')
        : '';
      const what = exitCode === undefined ? 'did not become ready in time' : `exited (code ${exitCode})`;
      throw new Error(`the engine ${what}; last lines of ${files(home).log}:\n${tail}`);
    }
    alreadyRunning &&= s.running;
    await sleep(100);
  }
}

/** Stop the engine (it stops every container it started); state stays until reset. */
export async function down(home: string, timeoutMs = 30_000): Promise<boolean> {
  const info = readEngineInfo(home);
  if (!info || !alive(info.pid)) return false;
  process.kill(info.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive(info.pid)) {
    if (Date.now() > deadline) {
      process.kill(info.pid, 'SIGKILL');
      break;
    }
    await sleep(50);
  }
  rmSync(files(home).engineInfo, { force: true });
  return true;
}

/** Stop the engine and remove every piece of state, including the user's `skiff` context. */
export async function reset(home: string): Promise<void> {
  await down(home);
  const f = files(home);
  for (const p of [f.state, `${f.state}-wal`, `${f.state}-shm`, f.kubeconfig, f.pods, f.engineInfo])
    rmSync(p, { recursive: true, force: true });
  (await userKubeconfig()).removeFromUserKubeconfig();
}
