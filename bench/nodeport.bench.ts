// NodePort throughput and latency against hitting the pod directly, side by side with wrk, for
// the two kinds of pod: a process pod (a separate Node process on its pod IP: the proxy splices
// two sockets) and an in-engine pod (an HTTP server in this process, like built-in nginx: the
// proxy hands it the accepted socket). The proxy runs in this process. Process pods run at the
// niceness the runtime gives a pod requesting a whole CPU (0) and a BestEffort one (10), side by
// side (SKIFF_BENCH_NICENESS=0,5,10,19 for others).
import { execa, type ResultPromise } from 'execa';
import { createServer } from 'node:http';
import { availableParallelism } from 'node:os';
import { FakeClock } from '../source/engine/clock.ts';
import type { EngineContext } from '../source/engine/context.ts';
import { endpointSlicesController } from '../source/engine/controllers/endpointslices.ts';
import { EventRecorder } from '../source/engine/events.ts';
import { ServiceProxy } from '../source/engine/proxy/service-proxy.ts';
import { createRegistry } from '../source/engine/resources/index.ts';
import { registerInProcess, unregisterInProcess } from '../source/engine/runtime/in-process.ts';
import { nicePrefix, nicenessForRequest, podNiceness } from '../source/engine/runtime/niceness.ts';
import { installServiceAllocations } from '../source/engine/services/allocations.ts';
import { Store } from '../source/engine/store/store.ts';
import { summarize, type Figure } from './lib.ts';
import { podBehindNodePort, waitListening } from './node-port-pod.ts';

const IN_ENGINE_IP = '127.244.1.51';
const POD_PORT = 8080;
const NODE_IP = '127.0.1.2';
const SECONDS = Number(process.env.SKIFF_BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.SKIFF_BENCH_ROUNDS ?? 3);

interface WrkResult {
  rps: number;
  p50: number;
  p99: number;
}

function ms(v: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(v.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

async function wrk(url: string, close: boolean): Promise<WrkResult> {
  const args = ['-t1', '-c32', `-d${SECONDS}s`, '--latency', ...(close ? ['-H', 'Connection: close'] : []), url];
  const out = (await execa('wrk', args)).stdout;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const p50 = ms(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const p99 = ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '');
  // Nothing answered in the whole run (a starved pod on a loaded machine): a measurement of 0.
  if (/^\s*0 requests in/m.test(out)) return { rps: 0, p50: NaN, p99: NaN };
  if (!rps) throw new Error(`could not read wrk output:\n${out}`);
  return { rps, p50, p99 };
}

/** A store with the pods, a NodePort service in front of each, the slice controller and the proxy. */
function engine(processPodIPs: string[]): {
  ctx: EngineContext;
  stop(): void;
  processNodePorts: number[];
  inEngineNodePort: number;
  inEngineUid: string;
} {
  const clock = new FakeClock();
  const store = new Store(createRegistry(), clock);
  store.create('namespaces', { metadata: { name: 'default' } });
  const config = {
    serviceCIDR: '127.96.0.0/16',
    nodePortRange: [30000, 32767] as [number, number],
    nodes: [
      {
        name: 'node1',
        role: 'worker' as const,
        ip: NODE_IP,
        podCIDR: '127.244.1.0/24',
        cpu: '2',
        memory: '2Gi',
        pods: '110',
      },
    ],
  };
  installServiceAllocations(store, config);
  const ctx = {
    store,
    clock,
    config: config as any,
    recorder: new EventRecorder(store, clock),
    log: () => {},
  } as EngineContext;
  const slices = endpointSlicesController();
  const proxy = new ServiceProxy();
  slices.start(ctx);
  proxy.start(ctx);
  const processNodePorts = processPodIPs.map(
    (ip, i) =>
      podBehindNodePort(store, { name: `bench-${i}`, image: 'x', ip, node: 'node1', targetPort: POD_PORT }).nodePort,
  );
  const inEngine = podBehindNodePort(store, {
    name: 'in-engine',
    image: 'nginx',
    ip: IN_ENGINE_IP,
    node: 'node1',
    targetPort: POD_PORT,
  });
  return {
    ctx,
    processNodePorts,
    inEngineNodePort: inEngine.nodePort,
    inEngineUid: inEngine.uid,
    stop: () => (proxy.stop(), slices.stop()),
  };
}

/**
 * The niceness levels to run process pods at, side by side: what the runtime gives a pod that
 * requests a whole CPU and one without a request (BestEffort), or SKIFF_POD_NICENESS when set,
 * or SKIFF_BENCH_NICENESS (e.g. `0,5,10,19`).
 */
function nicenessLevels(): number[] {
  const raw = process.env.SKIFF_BENCH_NICENESS;
  const fixed = podNiceness();
  const levels = raw
    ? raw.split(',').map(Number)
    : fixed !== undefined
      ? [fixed]
      : [nicenessForRequest(1000), nicenessForRequest(0)];
  return [...new Set(levels)];
}

/** What gives a process pod niceness `n` by default. */
function why(n: number): string {
  if (podNiceness() !== undefined || process.env.SKIFF_BENCH_NICENESS) return '';
  return n === nicenessForRequest(1000) ? ', requests.cpu 1' : n === nicenessForRequest(0) ? ', BestEffort' : '';
}

interface Case {
  kind: string;
  close: boolean;
  direct: string;
  proxied: string;
}

export async function run(): Promise<Figure[]> {
  const levels = nicenessLevels();
  const podIPs = levels.map((_, i) => `127.244.1.${60 + i}`);
  // Process pods start as the runtime starts a container: through `nice -n N` (niceness.ts).
  const pods: ResultPromise[] = levels.map((n, i) => {
    const [file, ...args] = [
      ...nicePrefix(n),
      'node',
      '-e',
      `require('http').createServer((q, r) => r.end('hello from the pod\\n')).listen(${POD_PORT}, '${podIPs[i]}')`,
    ];
    return execa(file!, args, { reject: false });
  });
  const e = engine(podIPs);
  // The in-engine pod: served by this process, registered under its pod UID as the runtime does.
  const inEngine = createServer({ keepAliveTimeout: 65_000 }, (q, r) => r.end('hello from the pod\n'));
  await new Promise<void>((r) => inEngine.listen(POD_PORT, IN_ENGINE_IP, r));
  registerInProcess(e.inEngineUid, POD_PORT, inEngine);
  try {
    for (const [i, ip] of podIPs.entries()) {
      await waitListening(ip, POD_PORT);
      await waitListening(NODE_IP, e.processNodePorts[i]!);
    }
    await waitListening(NODE_IP, e.inEngineNodePort);
    const figures: Figure[] = [];
    // Process pods at each niceness are measured round by round in turn, so load hits all alike.
    const groups: Case[][] = [false, true].map((close) =>
      levels.map((n, i) => ({
        kind: `process pod, nice ${n}${why(n)}`,
        close,
        direct: `http://${podIPs[i]}:${POD_PORT}/`,
        proxied: `http://${NODE_IP}:${e.processNodePorts[i]}/`,
      })),
    );
    for (const close of [false, true])
      groups.push([
        {
          kind: 'in-engine pod',
          close,
          direct: `http://${IN_ENGINE_IP}:${POD_PORT}/`,
          proxied: `http://${NODE_IP}:${e.inEngineNodePort}/`,
        },
      ]);
    const wanted = process.env.SKIFF_BENCH_CASE;
    for (const group of groups) {
      const cases = group.filter(
        (x) => !wanted || wanted.split(',').some((w) => `${x.kind}${x.close ? ' close' : ''}`.startsWith(w)),
      );
      if (!cases.length) continue;
      const direct = cases.map((): WrkResult[] => []);
      const viaNodePort = cases.map((): WrkResult[] => []);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [k, c] of cases.entries()) {
          direct[k]!.push(await wrk(c.direct, c.close));
          viaNodePort[k]!.push(await wrk(c.proxied, c.close));
        }
      }
      for (const [k, c] of cases.entries()) figures.push(...caseFigures(c, direct[k]!, viaNodePort[k]!));
    }
    if (!wanted || wanted.split(',').includes('hog'))
      figures.push(...(await withHungryPod(levels, e.processNodePorts)));
    return figures;
  } finally {
    unregisterInProcess(e.inEngineUid, POD_PORT, inEngine);
    inEngine.closeAllConnections();
    inEngine.close();
    e.stop();
    for (const pod of pods) pod.kill();
    await Promise.all(pods);
  }
}

/**
 * The proxy beside a CPU-hungry pod: as many busy loops as cores, started at the niceness under
 * test, while wrk goes through the NodePort to the process pod of the same niceness.
 */
async function withHungryPod(levels: number[], nodePorts: number[]): Promise<Figure[]> {
  const rps = levels.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, n] of levels.entries()) {
      const hogs = Array.from({ length: availableParallelism() }, () => {
        const [file, ...args] = [...nicePrefix(n), 'node', '-e', 'for (;;);'];
        return execa(file!, args, { reject: false });
      });
      try {
        rps[i]!.push((await wrk(`http://${NODE_IP}:${nodePorts[i]}/`, false)).rps);
      } finally {
        for (const h of hogs) h.kill('SIGKILL');
        await Promise.all(hogs);
      }
    }
  }
  return levels.map((n, i) =>
    summarize(`NodePort throughput beside a CPU-hungry pod (process pods at nice ${n}, keep-alive)`, 'req/s', rps[i]!, {
      note: `${availableParallelism()} busy loops in the hungry pod`,
    }),
  );
}

function caseFigures(c: Case, direct: WrkResult[], viaNodePort: WrkResult[]): Figure[] {
  const mode = `${c.kind}, ${c.close ? 'new connection per request' : '32 keep-alive connections'}`;
  const ratios = direct.flatMap((d, i) => (d.rps > 0 ? [(100 * viaNodePort[i]!.rps) / d.rps] : []));
  const p99 = (rs: WrkResult[]) => rs.map((r) => r.p99).sort((a, b) => a - b)[Math.floor(rs.length / 2)];
  return [
    summarize(`NodePort / direct pod throughput (${mode})`, '%', ratios, {
      anchor: 'userspace kube-proxy ≈ 36 %, iptables ≈ 96 %',
    }),
    summarize(
      `direct pod throughput (${mode})`,
      'req/s',
      direct.map((r) => r.rps),
    ),
    summarize(
      `NodePort throughput (${mode})`,
      'req/s',
      viaNodePort.map((r) => r.rps),
    ),
    summarize(
      `direct pod latency p50 (${mode})`,
      'ms',
      direct.map((r) => r.p50),
      { note: `p99 ${p99(direct)} ms` },
    ),
    summarize(
      `NodePort latency p50 (${mode})`,
      'ms',
      viaNodePort.map((r) => r.p50),
      { note: `p99 ${p99(viaNodePort)} ms` },
    ),
  ];
}

// `npx tsx bench/nodeport.bench.ts` runs just this one.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await run())
    console.log(`${f.name}: ${f.median} ${f.unit} (min ${f.min}, max ${f.max})${f.note ? ` — ${f.note}` : ''}`);
}
