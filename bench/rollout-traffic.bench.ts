// Failed requests during a rolling update: 4 nginx replicas behind a NodePort, 20 requests/s (a
// new connection each) from `kubectl set image` until the rollout is complete and 2 s more.
import { execa } from 'execa';
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { benchHome, childEngine } from './child.ts';
import { summarize, type Figure } from './lib.ts';

const KUBECTL = process.env.SKIFF_KUBECTL ?? '/usr/bin/kubectl';
const NODE_IP = '127.0.1.2';
const RATE = 20;
const ROLLOUTS = Number(process.env.SKIFF_BENCH_ROLLOUTS ?? 5);

function get(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** Requests at RATE per second until `until` settles; resolves with [sent, failed]. */
async function traffic(url: string, until: Promise<unknown>): Promise<[number, number]> {
  let done = false;
  void until.finally(() => setTimeout(() => (done = true), 2000));
  const replies: Array<Promise<boolean>> = [];
  const t0 = performance.now();
  for (let i = 0; !done; i++) {
    replies.push(get(url));
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + ((i + 1) * 1000) / RATE - performance.now())));
  }
  const ok = await Promise.all(replies);
  return [ok.length, ok.filter((x) => !x).length];
}

export async function run(): Promise<Figure[]> {
  const home = benchHome('roll');
  const e = await childEngine(home, { env: { SKIFF_PULL_DELAY_MS: '100' } });
  const kubectl = async (...args: string[]) =>
    String((await execa(KUBECTL, args, { env: { HOME: home, KUBECONFIG: e.kubeconfig, PATH: process.env.PATH }, extendEnv: false, timeout: 300_000 })).stdout);
  try {
    await kubectl('create', 'deployment', 'roll', '--image=nginx:1.25', '--replicas=4');
    await kubectl('expose', 'deployment', 'roll', '--type=NodePort', '--port=80');
    await kubectl('rollout', 'status', 'deployment/roll', '--timeout=120s');
    const port = (await kubectl('get', 'service', 'roll', '-o', 'jsonpath={.spec.ports[0].nodePort}')).trim();
    const url = `http://${NODE_IP}:${port}/`;
    const [, warm] = await traffic(url, new Promise((r) => setTimeout(r, 1000)));
    if (warm) throw new Error(`${warm} requests failed before any rollout`);
    const failed: number[] = [];
    const sent: number[] = [];
    for (let i = 0; i < ROLLOUTS; i++) {
      const rollout = (async () => {
        await kubectl('set', 'image', 'deployment/roll', `nginx=${i % 2 ? 'nginx:1.25' : 'nginx:1.9.1'}`);
        await kubectl('rollout', 'status', 'deployment/roll', '--timeout=300s');
      })();
      const [n, bad] = await traffic(url, rollout);
      await rollout;
      sent.push(n);
      failed.push(bad);
    }
    return [
      summarize('failed requests during a rolling update (4 replicas, 20 req/s via NodePort)', 'requests', failed, {
        anchor: 'Kubernetes: 0 with readiness probes and a preStop delay',
        note: `of ${sent.join(' / ')} sent per rollout; 25 % surge / 25 % unavailable, no probes`,
      }),
    ];
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
  }
}
