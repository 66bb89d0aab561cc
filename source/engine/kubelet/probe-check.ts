import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { ExecAction, HTTPGetAction, Probe, TCPSocketAction } from 'kubernetes-types/core/v1.d.ts';
import type { Clock } from '../clock.ts';

export interface ProbeResult {
  ok: boolean;
  /** Why it failed, worded like the kubelet's prober. */
  output: string;
}

/** What a probe can reach: the pod's address, where its ports really listen, exec in the container. */
export interface ProbeTarget {
  podIP: string;
  /** The container's declared ports (named ports resolve against them). */
  ports: Array<{ name?: string; containerPort: number }>;
  /** Where `podIP:port` really listens (a port the runtime had to map elsewhere). */
  dial(host: string, port: number): { host: string; port: number };
  exec(command: string[], signal: AbortSignal): Promise<{ exitCode: number; output: string }>;
}

// Probes time out on the clock, but never faster than this in real time: a time-scaled test must
// not fail a healthy probe because spawning a process took 60 ms.
const MIN_REAL_TIMEOUT_MS = 1000;

/** Run one probe (httpGet, tcpSocket or exec; anything else counts as passing). */
export async function runProbe(probe: Probe, target: ProbeTarget, clock: Clock): Promise<ProbeResult> {
  const timeoutMs = Math.max(1, Number(probe.timeoutSeconds ?? 1)) * 1000;
  const ac = new AbortController();
  const started = Date.now();
  const handle = clock.setTimeout(() => {
    const left = MIN_REAL_TIMEOUT_MS - (Date.now() - started);
    if (left > 0) setTimeout(() => ac.abort(), left).unref();
    else ac.abort();
  }, timeoutMs);
  try {
    if (probe.httpGet) return await httpProbe(probe.httpGet, target, ac.signal);
    if (probe.tcpSocket) return await tcpProbe(probe.tcpSocket, target, ac.signal);
    if (probe.exec) return await execProbe(probe.exec, target, ac.signal);
    return { ok: true, output: '' };
  } finally {
    clock.clearTimeout(handle);
  }
}

export function resolvePort(port: unknown, ports: ProbeTarget['ports']): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string') {
    if (/^\d+$/.test(port)) return Number(port);
    return ports.find((p) => p.name === port)?.containerPort;
  }
  return undefined;
}

function httpProbe(spec: HTTPGetAction, target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
  const scheme = String(spec.scheme ?? 'HTTP').toLowerCase();
  const host = spec.host || target.podIP;
  const port = resolvePort(spec.port, target.ports);
  const path = spec.path ? (String(spec.path).startsWith('/') ? spec.path : `/${spec.path}`) : '/';
  const url = `${scheme}://${host}${port ? `:${port}` : ''}${path}`;
  if (!port) return Promise.resolve({ ok: false, output: `unable to resolve port ${JSON.stringify(spec.port)}` });
  const to = target.dial(host, port);
  const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
  for (const h of spec.httpHeaders ?? []) if (h?.name) headers[h.name] = String(h.value ?? '');
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'host')) headers.Host = port ? `${host}:${port}` : host;
  return new Promise((resolve) => {
    const request = scheme === 'https' ? httpsRequest : httpRequest;
    const req = request(
      { host: to.host, port: to.port, path, method: 'GET', headers, agent: false, signal, rejectUnauthorized: false },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        res.on('error', () => {});
        if (code >= 200 && code < 400) resolve({ ok: true, output: '' });
        else resolve({ ok: false, output: `HTTP probe failed with statuscode: ${code}` });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (signal.aborted)
        resolve({
          ok: false,
          output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
        });
      else resolve({ ok: false, output: `Get "${url}": ${dialError(host, port, err)}` });
    });
    req.end();
  });
}

function tcpProbe(spec: TCPSocketAction, target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
  const host = spec.host || target.podIP;
  const port = resolvePort(spec.port, target.ports);
  if (!port) return Promise.resolve({ ok: false, output: `unable to resolve port ${JSON.stringify(spec.port)}` });
  const to = target.dial(host, port);
  return new Promise((resolve) => {
    const sock = connect({ host: to.host, port: to.port });
    const done = (r: ProbeResult) => {
      signal.removeEventListener('abort', onAbort);
      sock.destroy();
      resolve(r);
    };
    const onAbort = () => done({ ok: false, output: `dial tcp ${host}:${port}: i/o timeout` });
    signal.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => done({ ok: true, output: '' }));
    sock.once('error', (err: NodeJS.ErrnoException) => done({ ok: false, output: dialError(host, port, err) }));
  });
}

async function execProbe(spec: ExecAction, target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
  const command: string[] = Array.isArray(spec.command) ? spec.command.map(String) : [];
  try {
    const r = await target.exec(command, signal);
    if (signal.aborted) return { ok: false, output: `command ${JSON.stringify(command.join(' '))} timed out` };
    if (r.exitCode === 0) return { ok: true, output: r.output };
    return {
      ok: false,
      output: r.output.trim() || `command ${JSON.stringify(command.join(' '))} exited with ${r.exitCode}`,
    };
  } catch (e) {
    return { ok: false, output: (e as Error).message };
  }
}

function dialError(host: string, port: number, err: NodeJS.ErrnoException): string {
  const why =
    err.code === 'ECONNREFUSED'
      ? 'connect: connection refused'
      : err.code === 'ECONNRESET'
        ? 'read: connection reset by peer'
        : err.message;
  return `dial tcp ${host}:${port}: ${why}`;
}
