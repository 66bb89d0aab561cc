// Failed requests during a rolling update: 4 nginx replicas behind a NodePort, requests (a new
// connection each) from `kubectl set image` until the rollout is complete and 2 s more — at
// 20 requests/s with neither probes nor preStop, and at 200 requests/s with a readiness probe
// and a preStop sleep, as the Kubernetes docs advise for zero-downtime rollouts.
import { execa } from 'execa';
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { benchHome, childEngine } from './child.ts';
import { summarize, type Figure } from './lib.ts';

const KUBECTL = process.env.SKIFF_KUBECTL ?? '/usr/bin/kubectl';
const NODE_IP = '127.0.1.2';
const ROLLOUTS = Number(process.env.SKIFF_BENCH_ROLLOUTS ?? 5);

/** One GET on a new connection: '' when it answered 200, else why not (timeout, ECONNRESET, 503…). */
function get(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? '' : String(res.statusCode)));
      res.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    let connected = false;
    req.on('socket', (sock) => sock.once('connect', () => (connected = true)));
    // Whether the connection was made says which side held the request: the handshake or the reply.
    const code = () => (connected ? 'timeout (connected, no reply)' : 'timeout (connecting)');
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: code() })));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    req.end();
  });
}

/** Requests at RATE per second until `until` settles; resolves with [sent, failed]. */
async function traffic(
  url: string,
  until: Promise<unknown>,
  RATE: number,
  why?: Map<string, number>,
  windows?: string[],
): Promise<[number, number]> {
  let done = false;
  void until.finally(() => setTimeout(() => (done = true), 2000));
  const replies: Array<Promise<string>> = [];
  const t0 = performance.now();
  for (let i = 0; !done; i++) {
    replies.push(get(url));
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + ((i + 1) * 1000) / RATE - performance.now())));
  }
  const results = await Promise.all(replies);
  const errors = results.filter((x) => x);
  for (const e of errors) why?.set(e, (why.get(e) ?? 0) + 1);
  if (errors.length && windows) windows.push(failureWindow(results, RATE));
  return [replies.length, errors.length];
}

/**
 * When the failures were sent and what share of the requests sent then failed: all of them
 * points at the whole path stalling, one in N at one of N endpoints.
 */
function failureWindow(results: string[], rate: number): string {
  const failed = results.flatMap((r, i) => (r ? [i] : []));
  const first = failed[0]!;
  const last = failed.at(-1)!;
  const share = Math.round((100 * failed.length) / (last - first + 1));
  return `${failed.length} sent ${(first / rate).toFixed(1)}–${(last / rate).toFixed(1)} s in (${share} % of those sent then)`;
}

/** The deployment of a variant: bare, or with a readiness probe and a preStop delay. */
function deployment(name: string, probes: boolean): string {
  const extra = probes
    ? `
          readinessProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 1 }
          lifecycle: { preStop: { sleep: { seconds: 2 } } }`
    : '';
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: 4
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      terminationGracePeriodSeconds: 10
      containers:
        - name: nginx
          image: nginx:1.25
          ports: [{ containerPort: 80 }]${extra}
`;
}

const VARIANTS = [
  { name: 'roll', rate: 20, probes: false, label: '4 replicas, 20 req/s via NodePort', note: 'no probes' },
  {
    name: 'roll-probed',
    rate: 200,
    probes: true,
    label: '4 replicas, 200 req/s via NodePort, readiness probe + preStop',
    note: 'readiness probe every 1 s, preStop sleep 2 s',
  },
];

export async function run(): Promise<Figure[]> {
  const home = benchHome('roll');
  const e = await childEngine(home, { env: { SKIFF_PULL_DELAY_MS: '100' } });
  const kubectl = async (input: string | undefined, ...args: string[]) =>
    String(
      (
        await execa(KUBECTL, args, {
          input,
          env: { HOME: home, KUBECONFIG: e.kubeconfig, PATH: process.env.PATH },
          extendEnv: false,
          timeout: 300_000,
        })
      ).stdout,
    );
  const figures: Figure[] = [];
  try {
    for (const v of VARIANTS.filter(
      (x) => !process.env.SKIFF_BENCH_RATE || String(x.rate) === process.env.SKIFF_BENCH_RATE,
    )) {
      await kubectl(deployment(v.name, v.probes), 'apply', '-f', '-');
      await kubectl(undefined, 'expose', 'deployment', v.name, '--type=NodePort', '--port=80');
      await kubectl(undefined, 'rollout', 'status', `deployment/${v.name}`, '--timeout=120s');
      const port = (
        await kubectl(undefined, 'get', 'service', v.name, '-o', 'jsonpath={.spec.ports[0].nodePort}')
      ).trim();
      const url = `http://${NODE_IP}:${port}/`;
      const warmWhy = new Map<string, number>();
      const [, warm] = await traffic(url, new Promise((r) => setTimeout(r, 1000)), v.rate, warmWhy);
      if (warm)
        throw new Error(
          `${warm} requests failed before any rollout: ${[...warmWhy].map(([k, n]) => `${n} ${k}`).join(', ')}`,
        );
      const failed: number[] = [];
      const sent: number[] = [];
      const why = new Map<string, number>();
      const windows: string[] = [];
      for (let i = 0; i < ROLLOUTS; i++) {
        const rollout = (async () => {
          await kubectl(
            undefined,
            'set',
            'image',
            `deployment/${v.name}`,
            `nginx=${i % 2 ? 'nginx:1.25' : 'nginx:1.9.1'}`,
          );
          await kubectl(undefined, 'rollout', 'status', `deployment/${v.name}`, '--timeout=300s');
        })();
        const [n, bad] = await traffic(url, rollout, v.rate, why, windows);
        await rollout;
        sent.push(n);
        failed.push(bad);
      }
      figures.push(
        summarize(`failed requests during a rolling update (${v.label})`, 'requests', failed, {
          anchor: 'Kubernetes: 0 with readiness probes and a preStop delay',
          note: `of ${sent.join(' / ')} sent per rollout; 25 % surge / 25 % unavailable, ${v.note}${why.size ? `; failures: ${[...why].map(([k, n]) => `${n} ${k}`).join(', ')}; ${windows.join('; ')}` : ''}`,
        }),
      );
    }
    return figures;
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

// `npx tsx bench/rollout-traffic.bench.ts` runs just this one (SKIFF_BENCH_RATE=200 for one variant).
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await run())
    console.log(`${f.name}: ${f.median} ${f.unit} (min ${f.min}, max ${f.max})${f.note ? ` — ${f.note}` : ''}`);
}
