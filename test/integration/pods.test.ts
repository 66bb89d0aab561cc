import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { podTarget } from '../../source/engine/proxy/targets.ts';
import { KUBECTL, startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// The real kubectl against a whole engine (scheduler, kubelets, runtime) with time scaled ×0.05.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const pod = (name: string): KObject | undefined => t.engine.ctx.store.get('pods', 'default', name);
const cstatus = (name: string) => pod(name)?.status?.containerStatuses?.[0];
const env = () => ({ HOME: t.kubeHome, KUBECONFIG: t.engine.kubeconfigPath, PATH: process.env.PATH! });

/** GET / from a pod, wherever its port 80 really listens (fails after 5 s, whatever the stage). */
function httpGet(name: string, ua = 'skiff-test'): Promise<string> {
  const to = podTarget(pod(name)!, 80)!;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`GET http://${to.host}:${to.port}/ timed out`));
    }, 5000);
    const req = request(
      { host: to.host, port: to.port, path: '/', agent: false, headers: { 'User-Agent': ua } },
      (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => {
          clearTimeout(timer);
          resolve(b);
        });
        res.on('error', () => {});
      },
    );
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end();
  });
}

async function runningAndReady(name: string): Promise<void> {
  await waitFor(
    () => pod(name)?.status?.phase === 'Running' && cstatus(name)?.ready,
    20_000,
    `${name} Running and Ready`,
  );
}

describe('pods that really run, with kubectl', () => {
  it('kubectl run nginx: Running and 1/1 Ready, serves the page, logs the request', async () => {
    expect((await t.kubectl(['run', 'my-nginx', '--image=nginx'])).stdout).toContain('pod/my-nginx created');
    await runningAndReady('my-nginx');
    const row = (await t.kubectl(['get', 'pod', 'my-nginx', '-o', 'wide'])).stdout;
    expect(row).toMatch(/my-nginx\s+1\/1\s+Running\s+0\s+\S+\s+127\.244\.\d+\.\d+\s+node\d/);
    expect(await httpGet('my-nginx')).toContain('<title>Welcome to nginx!</title>');
    const logs = await waitFor(async () => {
      const out = (await t.kubectl(['logs', 'my-nginx'])).stdout;
      return out.includes('"GET / HTTP/1.1" 200') && out;
    });
    expect(logs).toMatch(/^127\.0\.0\.1 - - \[.+\] "GET \/ HTTP\/1\.1" 200 615 "-" "skiff-test" "-"$/m);
  });

  it('kubectl logs -f shows a new request as it happens', async () => {
    const follow = execa(KUBECTL, ['logs', '-f', 'my-nginx', '--tail=1'], {
      env: env(),
      extendEnv: false,
      reject: false,
    });
    let out = '';
    follow.stdout!.on('data', (d) => (out += d));
    try {
      await waitFor(() => out.length > 0, 20_000, 'the tail line');
      // The built-in nginx can miss an access line when the client hangs up first: ask until one shows.
      await waitFor(
        async () => (await httpGet('my-nginx', 'follow-me')) && out.includes('"follow-me"'),
        20_000,
        'the new access line',
      );
    } finally {
      follow.kill();
    }
  });

  it('kubectl exec runs a command in the container', async () => {
    const r = await t.kubectl(['exec', 'my-nginx', '--', 'cat', '/usr/share/nginx/html/index.html']);
    expect(r.stdout).toContain('<h1>Welcome to nginx!</h1>');
    const fail = await t.kubectl(['exec', 'my-nginx', '--', 'sh', '-c', 'echo oops >&2; exit 4'], { reject: false });
    expect(fail.exitCode).toBe(4);
    expect(fail.stderr).toContain('oops');
    expect(fail.stderr).toContain('command terminated with exit code 4');
  });

  it('kubectl exec -it: a shell in a pty, hostname, index.html of this pod only, exit code', async () => {
    await t.kubectl(['run', 'other-nginx', '--image=nginx']);
    await runningAndReady('other-nginx');
    const p = pty.spawn(KUBECTL, ['exec', '-it', 'my-nginx', '--', '/bin/sh'], {
      cols: 100,
      rows: 30,
      env: { ...env(), TERM: 'xterm' },
    });
    let screen = '';
    p.onData((d) => (screen += d));
    const exited = new Promise<number>((r) => p.onExit((e) => r(e.exitCode)));
    await waitFor(() => screen.includes('#'), 15_000, 'the prompt');
    p.write('hostname\r');
    await waitFor(() => /\r\nmy-nginx\r\n/.test(screen), 10_000, `hostname in ${JSON.stringify(screen)}`);
    p.write('stty size\r');
    await waitFor(() => screen.includes('30 100'), 10_000, 'the terminal size');
    p.write('echo "hello from $(hostname)" > /usr/share/nginx/html/index.html\r');
    await waitFor(async () => (await httpGet('my-nginx')) === 'hello from my-nginx\n', 10_000, 'the new page');
    expect(await httpGet('other-nginx')).toContain('Welcome to nginx!');
    p.write('exit 3\r');
    const code = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r(`still running; screen: ${JSON.stringify(screen)}`), 15_000)),
    ]);
    if (code !== 3) p.kill();
    expect(code).toBe(3);
    expect(screen).toContain('command terminated with exit code 3');
  }, 120_000);

  it('kubectl run bad --image=nginx:abc: ErrImagePull, then ImagePullBackOff, pulls at growing intervals', async () => {
    const flips: number[] = [];
    let last = '';
    const w = t.engine.ctx.store.watch('pods', { fieldSelector: 'metadata.name=bad' }, (ev) => {
      const reason = ev.object.status?.containerStatuses?.[0]?.state?.waiting?.reason ?? '';
      if (reason === 'ErrImagePull' && last !== reason) flips.push(Date.now());
      last = reason;
    });
    try {
      await t.kubectl(['run', 'bad', '--image=nginx:abc']);
      await waitFor(() => flips.length >= 4, 30_000, 'four failed pulls');
    } finally {
      w.stop();
    }
    const gaps = flips.slice(1).map((f, i) => f - flips[i]!);
    // Back-off windows of 10 s, 20 s, 40 s (× 0.05).
    expect(gaps[1]!).toBeGreaterThan(gaps[0]! * 1.5);
    expect(gaps[2]!).toBeGreaterThan(gaps[1]! * 1.5);
    await waitFor(
      async () => (await t.kubectl(['get', 'pod', 'bad'])).stdout.match(/bad\s+0\/1\s+ImagePullBackOff\s+0/),
      10_000,
      'ImagePullBackOff',
    );
    const logs = await t.kubectl(['logs', 'bad'], { reject: false });
    expect(logs.stderr).toMatch(
      /container "bad" in pod "bad" is waiting to start: (image can't be pulled|trying and failing to pull image)/,
    );
    const describe = (await t.kubectl(['describe', 'pod', 'bad'])).stdout;
    expect(describe).toMatch(
      /Failed to pull image "nginx:abc": rpc error: code = NotFound desc = failed to pull and unpack image "docker\.io\/library\/nginx:abc"/,
    );
    expect(describe).toMatch(/Normal\s+BackOff\s+.*Back-off pulling image "nginx:abc"/);
    expect(describe).toMatch(/Warning\s+Failed\s+.*Error: ImagePullBackOff/);
  });

  it('kubectl run crash: CrashLoopBackOff, restarts counting up, logs --previous prints boom', async () => {
    await t.kubectl(['run', 'crash', '--image=busybox', '--', 'sh', '-c', 'echo boom; exit 1']);
    await waitFor(
      () =>
        (cstatus('crash')?.restartCount ?? 0) >= 3 && cstatus('crash')?.state?.waiting?.reason === 'CrashLoopBackOff',
      30_000,
      'three restarts',
    );
    // The state flips between back-off and short runs: ask kubectl until it shows the back-off.
    await waitFor(
      async () =>
        /crash\s+0\/1\s+CrashLoopBackOff\s+([3-9]|\d\d) \(.+ ago\)/.test(
          (await t.kubectl(['get', 'pod', 'crash'])).stdout,
        ),
      20_000,
      'CrashLoopBackOff in kubectl get',
    );
    expect((await t.kubectl(['logs', 'crash', '--previous'])).stdout).toBe('boom');
    // A just-restarted instance may not have written yet.
    await waitFor(
      async () => (await t.kubectl(['logs', 'crash'])).stdout === 'boom',
      10_000,
      'boom in the current log',
    );
    const describe = (await t.kubectl(['describe', 'pod', 'crash'])).stdout;
    expect(describe).toMatch(/Last State:\s+Terminated\s+Reason:\s+Error\s+Exit Code:\s+1/);
    expect(describe).toMatch(/Warning\s+BackOff\s+.*Back-off restarting failed container crash in pod crash_default/);
  });

  it('kubectl run ticker: logs grow; kubectl delete pod ends the process', async () => {
    await t.kubectl(['run', 'ticker', '--image=busybox', '--', 'sh', '-c', 'while true; do date; sleep 1; done']);
    await runningAndReady('ticker');
    const lines = async () => (await t.kubectl(['logs', 'ticker'])).stdout.split('\n').filter(Boolean).length;
    const first = await waitFor(lines, 10_000, 'a first line');
    await waitFor(async () => (await lines()) > first, 10_000, 'more lines');
    const pidFile = join(t.home, 'pods', pod('ticker')!.metadata.uid!, 'ticker', 'pid');
    const pid = Number(readFileSync(pidFile, 'utf8').split(' ')[0]);
    expect(alive(pid)).toBe(true);
    expect((await t.kubectl(['delete', 'pod', 'ticker'])).stdout).toContain('pod "ticker" deleted');
    expect(pod('ticker')).toBeUndefined();
    await waitFor(() => !alive(pid), 10_000, 'the process to end');
    expect(existsSync(pidFile)).toBe(false);
  });

  it('kubectl describe pod shows containers, state, IP, node and the events', async () => {
    const d = (await t.kubectl(['describe', 'pod', 'my-nginx'])).stdout;
    const p = pod('my-nginx')!;
    expect(d).toMatch(new RegExp(`Node:\\s+${p.spec.nodeName}/${p.status.hostIP.replace(/\./g, '\\.')}`));
    expect(d).toMatch(new RegExp(`IP:\\s+${p.status.podIP.replace(/\./g, '\\.')}`));
    expect(d).toMatch(/Status:\s+Running/);
    expect(d).toMatch(/Container ID:\s+containerd:\/\/[0-9a-f]{64}/);
    expect(d).toMatch(/Image ID:\s+docker\.io\/library\/nginx@sha256:[0-9a-f]{64}/);
    expect(d).toMatch(/State:\s+Running\s+Started:/);
    expect(d).toMatch(/Ready:\s+True\s+Restart Count:\s+0/);
    expect(d).toMatch(/Normal\s+Scheduled\s+.*Successfully assigned default\/my-nginx to node\d/);
    expect(d).toMatch(
      /Normal\s+Pulled\s+.*(Successfully pulled image "nginx" in|Container image "nginx" already present)/,
    );
    expect(d).toMatch(/Normal\s+Created\s+.*kubelet\s+Created container: my-nginx/);
    expect(d).toMatch(/Normal\s+Started\s+.*kubelet\s+Started container my-nginx/);
  });

  it('kubectl port-forward reaches the pod', async () => {
    const pf = execa(KUBECTL, ['port-forward', 'pod/my-nginx', ':80'], { env: env(), extendEnv: false, reject: false });
    let out = '';
    pf.stdout!.on('data', (d) => (out += d));
    const port = await waitFor(() => out.match(/Forwarding from 127\.0\.0\.1:(\d+) -> 80/)?.[1], 15_000, 'the forward');
    const body = await new Promise<string>((resolve, reject) =>
      request({ host: '127.0.0.1', port: Number(port), path: '/', agent: false }, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve(b));
      })
        .on('error', reject)
        .end(),
    );
    pf.kill();
    expect(body).toBe('hello from my-nginx\n');
  });

  it('refuses exec into a container that is not running, with the reason', async () => {
    const r = await t.kubectl(['exec', 'bad', '--', 'ls'], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('container not found ("bad")');
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\S+ \S+ Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
  } catch {
    return false;
  }
}
