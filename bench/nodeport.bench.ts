// NodePort throughput and latency against hitting the pod directly, side by side with wrk, for
// the two kinds of pod: a process pod (a separate Node process on its pod IP: the proxy splices
// two sockets) and an in-engine pod (an HTTP server in this process, like built-in nginx: the
// proxy hands it the accepted socket). The proxy runs in this process.
import { execa, type ResultPromise } from 'execa';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { FakeClock } from '../source/engine/clock.ts';
import type { EngineContext } from '../source/engine/context.ts';
import { endpointSlicesController } from '../source/engine/controllers/endpointslices.ts';
import { EventRecorder } from '../source/engine/events.ts';
import { ServiceProxy } from '../source/engine/proxy/service-proxy.ts';
import { createRegistry } from '../source/engine/resources/index.ts';
import { registerInProcess, unregisterInProcess } from '../source/engine/runtime/in-process.ts';
import { installServiceAllocations } from '../source/engine/services/allocations.ts';
import { Store } from '../source/engine/store/store.ts';
import { summarize, type Figure } from './lib.ts';

const POD_IP = '127.244.1.50';
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
  if (!rps) throw new Error(`could not read wrk output:\n${out}`);
  return { rps, p50, p99 };
}

function waitListening(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const attempt = () => {
      const s = connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () =>
        Date.now() > deadline ? reject(new Error(`${host}:${port} never listened`)) : setTimeout(attempt, 50),
      );
    };
    attempt();
  });
}

/** A store with two pods, a NodePort service in front of each, the slice controller and the proxy. */
function engine(): {
  ctx: EngineContext;
  stop(): void;
  nodePort: number;
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
  store.create('pods', {
    metadata: { name: 'bench', namespace: 'default', labels: { app: 'bench' } },
    spec: { nodeName: 'node1', containers: [{ name: 'c', image: 'x' }] },
  });
  store.mutate(
    'pods',
    'default',
    'bench',
    (p) => {
      p.status = { phase: 'Running', podIP: POD_IP, conditions: [{ type: 'Ready', status: 'True' }] };
    },
    { subresource: 'status' },
  );
  const svc = store.create('services', {
    metadata: { name: 'bench', namespace: 'default' },
    spec: { type: 'NodePort', selector: { app: 'bench' }, ports: [{ port: 80, targetPort: POD_PORT }] },
  });
  const inEngine = store.create('pods', {
    metadata: { name: 'in-engine', namespace: 'default', labels: { app: 'in-engine' } },
    spec: { nodeName: 'node1', containers: [{ name: 'c', image: 'nginx' }] },
  });
  store.mutate(
    'pods',
    'default',
    'in-engine',
    (p) => {
      p.status = { phase: 'Running', podIP: IN_ENGINE_IP, conditions: [{ type: 'Ready', status: 'True' }] };
    },
    { subresource: 'status' },
  );
  const svc2 = store.create('services', {
    metadata: { name: 'in-engine', namespace: 'default' },
    spec: { type: 'NodePort', selector: { app: 'in-engine' }, ports: [{ port: 80, targetPort: POD_PORT }] },
  });
  return {
    ctx,
    nodePort: svc.spec.ports[0].nodePort,
    inEngineNodePort: svc2.spec.ports[0].nodePort,
    inEngineUid: inEngine.metadata.uid!,
    stop: () => (proxy.stop(), slices.stop()),
  };
}

export async function run(): Promise<Figure[]> {
  const pod: ResultPromise = execa(
    'node',
    ['-e', `require('http').createServer((q, r) => r.end('hello from the pod\\n')).listen(${POD_PORT}, '${POD_IP}')`],
    { reject: false },
  );
  const e = engine();
  // The in-engine pod: served by this process, registered under its pod UID as the runtime does.
  const inEngine = createServer({ keepAliveTimeout: 65_000 }, (q, r) => r.end('hello from the pod\n'));
  await new Promise<void>((r) => inEngine.listen(POD_PORT, IN_ENGINE_IP, r));
  registerInProcess(e.inEngineUid, POD_PORT, inEngine);
  try {
    await waitListening(POD_IP, POD_PORT);
    await waitListening(NODE_IP, e.nodePort);
    await waitListening(NODE_IP, e.inEngineNodePort);
    const figures: Figure[] = [];
    const cases = [
      {
        kind: 'process pod',
        close: false,
        direct: `http://${POD_IP}:${POD_PORT}/`,
        proxied: `http://${NODE_IP}:${e.nodePort}/`,
      },
      {
        kind: 'process pod',
        close: true,
        direct: `http://${POD_IP}:${POD_PORT}/`,
        proxied: `http://${NODE_IP}:${e.nodePort}/`,
      },
      {
        kind: 'in-engine pod',
        close: false,
        direct: `http://${IN_ENGINE_IP}:${POD_PORT}/`,
        proxied: `http://${NODE_IP}:${e.inEngineNodePort}/`,
      },
      {
        kind: 'in-engine pod',
        close: true,
        direct: `http://${IN_ENGINE_IP}:${POD_PORT}/`,
        proxied: `http://${NODE_IP}:${e.inEngineNodePort}/`,
      },
    ];
    for (const c of cases.filter(
      (x) => !process.env.SKIFF_BENCH_CASE || `${x.kind}${x.close ? ' close' : ''}` === process.env.SKIFF_BENCH_CASE,
    )) {
      const close = c.close;
      const direct: WrkResult[] = [];
      const viaNodePort: WrkResult[] = [];
      // Alternate the two sides round by round, so machine load hits both alike.
      for (let i = 0; i < ROUNDS; i++) {
        direct.push(await wrk(c.direct, close));
        viaNodePort.push(await wrk(c.proxied, close));
      }
      const mode = `${c.kind}, ${close ? 'new connection per request' : '32 keep-alive connections'}`;
      const ratios = direct.map((d, i) => (100 * viaNodePort[i]!.rps) / d.rps);
      figures.push(
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
          { note: `p99 ${direct.map((r) => r.p99).sort((a, b) => a - b)[1]} ms` },
        ),
        summarize(
          `NodePort latency p50 (${mode})`,
          'ms',
          viaNodePort.map((r) => r.p50),
          { note: `p99 ${viaNodePort.map((r) => r.p99).sort((a, b) => a - b)[1]} ms` },
        ),
      );
    }
    return figures;
  } finally {
    unregisterInProcess(e.inEngineUid, POD_PORT, inEngine);
    inEngine.closeAllConnections();
    inEngine.close();
    e.stop();
    pod.kill();
    await pod;
  }
}

// `npx tsx bench/nodeport.bench.ts` runs just this one.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await run())
    console.log(`${f.name}: ${f.median} ${f.unit} (min ${f.min}, max ${f.max})${f.note ? ` — ${f.note}` : ''}`);
}
