// The engine as its own process, as the daemon runs it (its built bundle, its Node flags), so its
// memory and CPU are measured alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { engineLauncher } from '../source/cluster/launcher.ts';
import { distEnv } from './dist.ts';

const ROOT = join(import.meta.dirname, '..');

export interface ChildEngine {
  pid: number;
  url: string;
  token: string;
  ca: string;
  kubeconfig: string;
  json(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** A watch stream: `onEvent` gets each event; call the result to close it. */
  watch(path: string, onEvent: (ev: any) => void): () => void;
  stop(): Promise<void>;
}

/** The Node flags a checkout's daemon runs its engine with (none before it had any). */
async function engineFlags(root: string): Promise<readonly string[]> {
  const file = join(root, 'source', 'cluster', 'engine-flags.ts');
  if (!existsSync(file)) return [];
  return ((await import(pathToFileURL(file).href)) as { ENGINE_NODE_FLAGS: readonly string[] }).ENGINE_NODE_FLAGS;
}

/**
 * Start `skiff engine --home DIR --port 0` as that checkout's daemon runs it: its built engine
 * (dist/bin/engine.cjs, built first for this checkout; another checkout's when its build is
 * fresh, as `cluster up` decides) with its daemon's Node flags, and wait until it serves.
 * `nofile` raises the open-file limit first (each built-in nginx pod holds a socket and a log
 * file); that needs root beyond the hard limit, otherwise the engine runs with what it gets.
 */
export async function childEngine(
  home: string,
  opts: { env?: Record<string, string>; nofile?: number; root?: string; nodeArgs?: string[] } = {},
): Promise<ChildEngine> {
  const root = opts.root ?? ROOT;
  if (root === ROOT) distEnv();
  const argv = [
    process.execPath,
    ...(await engineFlags(root)),
    ...(opts.nodeArgs ?? []),
    engineLauncher(join(root, 'bin', 'skiff.js')),
    'engine',
    '--home',
    home,
    '--port',
    '0',
  ];
  // SKIFF_CHILD_STDOUT=FILE keeps the engine's stdout (e.g. Node's --trace-gc) in FILE.
  const stdout = process.env.SKIFF_CHILD_STDOUT ? openSync(process.env.SKIFF_CHILD_STDOUT, 'w') : 'ignore';
  const script = `ulimit -n ${opts.nofile} 2>/dev/null; exec "$@"`;
  const proc: ChildProcess = opts.nofile
    ? spawn('sh', ['-c', script, 'sh', ...argv], {
        cwd: root,
        env: { ...process.env, ...opts.env },
        stdio: ['ignore', stdout, 'pipe'],
      })
    : spawn(argv[0]!, argv.slice(1), {
        cwd: root,
        env: { ...process.env, ...opts.env },
        stdio: ['ignore', stdout, 'pipe'],
      });
  if (typeof stdout === 'number') closeSync(stdout); // the child has its own copy
  let err = '';
  proc.stderr!.on('data', (c) => (err = (err + c).slice(-4000)));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const deadline = Date.now() + 60_000;
  let info: { pid: number; url: string } | undefined;
  while (!info) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`the engine did not start:\n${err}`);
    try {
      const j = JSON.parse(readFileSync(join(home, 'engine.json'), 'utf8'));
      if (j.pid === proc.pid) info = j;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const token = readFileSync(join(home, 'token'), 'utf8').trim();
  const ca = readFileSync(join(home, 'pki', 'ca.crt'), 'utf8');
  const url = info.url;
  return {
    pid: proc.pid!,
    url,
    token,
    ca,
    kubeconfig: join(home, 'kubeconfig'),
    json: (method, path, body) =>
      new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : JSON.stringify(body);
        const headers: Record<string, string> = {
          Authorization: `Bearer ${token}`,
          ...(data ? { 'Content-Type': 'application/json' } : {}),
        };
        const req = request(url + path, { method, ca, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') }),
          );
        });
        req.on('error', reject);
        req.end(data);
      }),
    watch(path, onEvent) {
      const req = request(url + path, { ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
            onEvent(JSON.parse(buf.slice(0, i)));
            buf = buf.slice(i + 1);
          }
        });
      });
      req.on('error', () => {});
      req.end();
      return () => req.destroy();
    },
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Resident memory of a process in MiB (Linux). */
export function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

/** User + system CPU time of a process in seconds (Linux, USER_HZ = 100). */
export function cpuSeconds(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

/**
 * A fresh SKIFF_HOME with the bundled topology, moved to a service range and pod ranges of its
 * own so a bench never collides with a cluster running beside it.
 */
export function benchHome(prefix: string): string {
  const home = mkdtempSync(join(tmpdir(), `skiff-bench-${prefix}-`));
  let third = 16 + Math.floor(Math.random() * 200);
  const yaml = readFileSync(join(ROOT, 'fixtures', 'cluster.yaml'), 'utf8')
    .replace(/podCIDR: 127\.244\.\d+\.0\/24/g, () => `podCIDR: 127.244.${third++}.0/24`)
    .replace(/serviceCIDR: \S+/, `serviceCIDR: 127.${160 + Math.floor(Math.random() * 40)}.0.0/16`);
  writeFileSync(join(home, 'cluster.yaml'), yaml);
  return home;
}
