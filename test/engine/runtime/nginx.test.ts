import { createServer } from 'node:net';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../source/engine/runtime/index.ts';
import { collect, podIP, tempRuntime, uid, waitFor } from './helpers.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(
  host: string,
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host, port, path, method, headers: { 'User-Agent': 'curl/7.88.1', ...headers }, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('built-in nginx', () => {
  let rt: Runtime;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ rt, cleanup } = await tempRuntime());
  });
  afterAll(() => cleanup());

  it('serves the welcome page on podIP:80 and logs the access line', async () => {
    const ip = podIP();
    const pod = uid();
    const c = await rt.start({
      podUid: pod,
      podName: 'my-nginx',
      container: 'my-nginx',
      image: 'nginx:1.25',
      podIP: ip,
    });
    expect(c.kind).toBe('builtin-nginx');
    expect(c.portMappings).toEqual([]);
    const r = await get(ip, 80, '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Welcome to nginx!</title>');
    expect(r.headers.server).toBe('nginx/1.25.5');
    expect(r.headers['content-type']).toBe('text/html');
    expect(r.headers['content-length']).toBe('615');
    expect(r.headers.etag).toMatch(/^"[0-9a-f]+-267"$/);

    const log = await waitFor(async () => {
      const out = await collect(rt.logs({ podUid: pod, container: 'my-nginx' }));
      return out.includes('"GET / HTTP/1.1"') && out;
    });
    expect(log).toMatch(
      /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/7\.88\.1" "-"$/m,
    );
    expect(log).toContain('Configuration complete; ready for start up');
  });

  it("logs the image's start-up lines, then its notices, in order, by the time start returns", async () => {
    const pod = uid();
    await rt.start({ podUid: pod, podName: 'boot', container: 'boot', image: 'nginx:1.25', podIP: podIP() });
    const entries = (await collect(rt.logs({ podUid: pod, container: 'boot', timestamps: true })))
      .split('\n')
      .filter(Boolean);
    const lines = entries.map((l) => l.slice(l.indexOf(' ') + 1));
    expect(lines[0]).toMatch(/^\/docker-entrypoint\.sh: /);
    const complete = lines.indexOf('/docker-entrypoint.sh: Configuration complete; ready for start up');
    expect(complete).toBeGreaterThan(0);
    expect(lines.filter((l) => l.endsWith('Configuration complete; ready for start up'))).toHaveLength(1);
    expect(lines.slice(complete + 1).some((l) => /\[notice\] 1#1: start worker processes$/.test(l))).toBe(true);
    const times = entries.map((l) => Date.parse(l.slice(0, l.indexOf(' '))));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
  });

  it('answers HEAD, 404, 304 and redirects like nginx', async () => {
    const ip = podIP();
    const pod = uid();
    await rt.start({ podUid: pod, podName: 'web', container: 'web', image: 'nginx:1.7.9', podIP: ip });
    const head = await get(ip, 80, '/index.html', {}, 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers.server).toBe('nginx/1.7.9');

    const missing = await get(ip, 80, '/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<center><h1>404 Not Found</h1></center>');
    expect(missing.body).toContain('nginx/1.7.9');

    const again = await get(ip, 80, '/', { 'If-None-Match': String(head.headers.etag) });
    expect(again.status).toBe(304);
    const since = await get(ip, 80, '/', { 'If-Modified-Since': String(head.headers['last-modified']) });
    expect(since.status).toBe(304);

    expect((await get(ip, 80, '/../../etc/passwd')).status).toBe(400);
    expect((await get(ip, 80, '/50x.html')).body).toContain('An error occurred.');
    expect((await get(ip, 80, '/', {}, 'POST')).status).toBe(405);

    const log = await collect(rt.logs({ podUid: pod, container: 'web' }));
    expect(log).toContain('"GET /nope HTTP/1.1" 404');
    expect(log).toContain('open() "/usr/share/nginx/html/nope" failed (2: No such file or directory)');
    expect(log).toMatch(/"HEAD \/index.html HTTP\/1.1" 200 0 /);
  });

  it('maps a port that is taken, and on request', async () => {
    const ip = podIP();
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(80, ip, r));
    try {
      const c = await rt.start({ podUid: uid(), podName: 'p', container: 'c', image: 'nginx', podIP: ip });
      expect(c.portMappings).toHaveLength(1);
      const m = c.portMappings[0]!;
      expect(m).toMatchObject({ containerPort: 80, hostIP: ip, reason: 'in-use' });
      expect(m.message).toContain(`${ip}:${m.hostPort}`);
      expect((await get(ip, m.hostPort, '/')).status).toBe(200);
    } finally {
      blocker.close();
    }

    const forced = await tempRuntime({ forceMapPorts: true });
    try {
      const ip2 = podIP();
      const c = await forced.rt.start({
        podUid: uid(),
        podName: 'p',
        container: 'c',
        image: 'nginx',
        podIP: ip2,
        ports: [{ containerPort: 8080 }],
      });
      expect(c.portMappings.map((m) => [m.containerPort, m.reason])).toEqual([
        [80, 'forced'],
        [8080, 'forced'],
      ]);
      expect((await get(ip2, c.portMappings[1]!.hostPort, '/')).status).toBe(200);
    } finally {
      await forced.cleanup();
    }
  });

  it('stops gracefully: no new connections, exit 0, shutdown logged', async () => {
    const ip = podIP();
    const pod = uid();
    const c = await rt.start({ podUid: pod, podName: 'p', container: 'c', image: 'nginx', podIP: ip });
    expect((await get(ip, 80, '/')).status).toBe(200);
    const exit = await c.stop(30_000);
    expect(exit).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(c.running).toBe(false);
    await expect(get(ip, 80, '/')).rejects.toThrow(/ECONNREFUSED/);
    const log = await collect(rt.logs({ podUid: pod, container: 'c' }));
    expect(log).toContain('signal 3 (SIGQUIT) received, shutting down');
  });

  it('runs a built-in idle image with its health endpoints', async () => {
    const ip = podIP();
    const pod = uid();
    const c = await rt.start({
      podUid: pod,
      podName: 'coredns-1',
      container: 'coredns',
      image: 'registry.k8s.io/coredns/coredns:v1.11.1',
      podIP: ip,
      args: ['-conf', '/etc/coredns/Corefile'],
    });
    expect(c.kind).toBe('builtin-idle');
    expect(await get(ip, 8080, '/health')).toMatchObject({ status: 200, body: 'OK' });
    // No cluster DNS in this runtime: /ready names what is not ready, as CoreDNS's ready plugin does.
    expect(await get(ip, 8181, '/ready')).toMatchObject({ status: 503, body: 'cluster-dns\n' });
    expect((await get(ip, 8181, '/nope')).status).toBe(404);
    expect(await collect(rt.logs({ podUid: pod, container: 'coredns' }))).toContain('CoreDNS-1.11.1');
    expect(await c.stop(1000)).toMatchObject({ exitCode: 0 });
  });
});
