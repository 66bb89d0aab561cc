// The service proxy's CPU per proxied request (issue 17): a figure the machine's load moves far
// less than throughput. The proxy runs as a process of its own (bench/proxy-engine.ts: store,
// EndpointSlice controller, ServiceProxy) in front of a process pod (a Node HTTP server started
// at the pods' niceness); wrk goes through the NodePort, with keep-alive and with a new connection
// per request, and the proxy's CPU seconds (/proc/PID/stat) over the run are divided by the
// requests wrk counted. The pod's CPU per request is read the same way: on two cores the
// proxy's share of the CPU a request costs is what bounds NodePort / direct throughput. Each round
// also runs wrk against the pod directly, for the throughput ratio under the same load.
// `SKIFF_PROXY_TREES=main=/path/to/checkout,branch=.` runs several versions of the proxy side by
// side on the same pod, taken in turn round by round (`label=path;VAR=value` sets a variable for one).
import { execa, type ResultPromise } from 'execa';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_POD_NICENESS, nicePrefix, podNiceness } from '../source/engine/runtime/niceness.ts';
import { summarize, type Figure } from './lib.ts';
import { waitListening } from './node-port-pod.ts';
import { roundOrder } from './paired.ts';

const POD_IP = '127.244.1.70';
/** The node IP the proxy process's NodePorts listen on (bench/proxy-engine.ts). */
const PROXY_NODE_IP = '127.0.1.2';
const POD_PORT = 8080;
const SECONDS = Number(process.env.SKIFF_BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.SKIFF_BENCH_ROUNDS ?? 3);
const TICKS_PER_SECOND = 100;

interface Side {
  label: string;
  proc: ChildProcess;
  nodePort: number;
}

interface Run {
  rps: number;
  requests: number;
  errors: number;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

async function wrk(url: string, close: boolean): Promise<Run> {
  const args = ['-t1', '-c32', `-d${SECONDS}s`, ...(close ? ['-H', 'Connection: close'] : []), url];
  const out = (await execa('wrk', args)).stdout;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? NaN);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const errors = non2xx + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  if (!Number.isFinite(requests)) throw new Error(`could not read wrk output:\n${out}`);
  return { rps, requests, errors };
}

/** wrk against `url` while reading the CPU time of the processes in `pids`: µs per request each. */
async function measured(url: string, close: boolean, pids: number[]): Promise<Run & { usPerRequest: number[] }> {
  const before = pids.map(cpuSeconds);
  const run = await wrk(url, close);
  const used = pids.map((pid, i) => cpuSeconds(pid) - before[i]!);
  return { ...run, usPerRequest: used.map((s) => (run.requests > 0 ? (1e6 * s) / run.requests : NaN)) };
}

/** A proxy process running the service proxy of checkout `tree` in front of the pod. */
async function startSide(label: string, tree: string, env: Record<string, string>): Promise<Side> {
  const proc = spawn(
    process.execPath,
    [
      ...(process.env.SKIFF_PROXY_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      'tsx',
      join(import.meta.dirname, 'proxy-engine.ts'),
      `${POD_IP}:${POD_PORT}`,
    ],
    {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, ...env, SKIFF_PROXY_TREE: resolve(tree) },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((res, rej) => {
    createInterface({ input: proc.stdout! }).once('line', res);
    proc.once('exit', (code) => rej(new Error(`proxy process of ${label} exited (${code})`)));
  });
  const nodePort = (JSON.parse(line) as { nodePorts: number[] }).nodePorts[0]!;
  await waitListening(PROXY_NODE_IP, nodePort);
  return { label, proc, nodePort };
}

/** The sides to run: `label=path[;VAR=value…]` entries of SKIFF_PROXY_TREES, each with its own environment. */
function trees(): Array<{ label: string; tree: string; env: Record<string, string> }> {
  const raw = process.env.SKIFF_PROXY_TREES;
  if (!raw) return [{ label: 'this checkout', tree: join(import.meta.dirname, '..'), env: {} }];
  return raw.split(',').map((e) => {
    const i = e.indexOf('=');
    const [tree, ...vars] = e.slice(i + 1).split(';');
    const env = Object.fromEntries(vars.map((v) => [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]));
    return { label: e.slice(0, i), tree: tree!, env };
  });
}

export async function run(): Promise<Figure[]> {
  const [file, ...args] = [
    ...nicePrefix(podNiceness() ?? DEFAULT_POD_NICENESS),
    'node',
    '-e',
    `require('http').createServer((q, r) => r.end('hello from the pod\\n')).listen(${POD_PORT}, '${POD_IP}')`,
  ];
  const pod: ResultPromise = execa(file!, args, { reject: false });
  const sides: Side[] = [];
  try {
    await waitListening(POD_IP, POD_PORT);
    for (const t of trees()) sides.push(await startSide(t.label, t.tree, t.env));
    const figures: Figure[] = [];
    for (const close of [false, true]) {
      const mode = close ? 'new connection per request' : '32 keep-alive connections';
      const proxyUs = sides.map((): number[] => []);
      const podUs = sides.map((): number[] => []);
      const ratio = sides.map((): number[] => []);
      const errors = sides.map(() => 0);
      const directUs: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const direct = await measured(`http://${POD_IP}:${POD_PORT}/`, close, [pod.pid!]);
        directUs.push(direct.usPerRequest[0]!);
        for (const k of roundOrder(round, sides.length)) {
          const s = sides[k]!;
          const r = await measured(`http://${PROXY_NODE_IP}:${s.nodePort}/`, close, [s.proc.pid!, pod.pid!]);
          proxyUs[k]!.push(r.usPerRequest[0]!);
          podUs[k]!.push(r.usPerRequest[1]!);
          if (direct.rps > 0) ratio[k]!.push((100 * r.rps) / direct.rps);
          errors[k]! += r.errors;
        }
      }
      figures.push(summarize(`pod CPU per request, direct (process pod, ${mode})`, 'µs', directUs));
      for (const [k, s] of sides.entries()) {
        const who = sides.length > 1 ? `${s.label}: ` : '';
        figures.push(
          summarize(`${who}proxy CPU per proxied request (process pod, ${mode})`, 'µs', proxyUs[k]!, {
            note: errors[k] ? `${errors[k]} failed requests` : undefined,
          }),
          summarize(`${who}pod CPU per request through the NodePort (process pod, ${mode})`, 'µs', podUs[k]!),
          summarize(`${who}NodePort / direct throughput, same round (process pod, ${mode})`, '%', ratio[k]!),
        );
      }
    }
    return figures;
  } finally {
    for (const s of sides) {
      s.proc.stdin!.end();
      await new Promise((r) => (s.proc.exitCode !== null ? r(null) : s.proc.once('exit', r)));
    }
    pod.kill();
    await pod;
  }
}

// `npx tsx bench/proxy-cpu.bench.ts` runs just this one.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await run())
    console.log(`${f.name}: ${f.median} ${f.unit} (min ${f.min}, max ${f.max})${f.note ? ` — ${f.note}` : ''}`);
}
