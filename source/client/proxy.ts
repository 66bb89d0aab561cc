import { isIP } from 'node:net';
import type http from 'node:http';
import type https from 'node:https';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { KubeError } from './errors.ts';

/**
 * The proxy for requests to `server`, chosen as kubectl (Go's net/http) chooses: the cluster's
 * `proxy-url` always; else HTTPS_PROXY (https) or HTTP_PROXY (http) unless NO_PROXY matches —
 * and never for localhost or a loopback address, which Go does not proxy from the environment.
 */
export function proxyFor(
  server: URL,
  proxyUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): URL | undefined {
  if (proxyUrl) return parseProxy(proxyUrl);
  const fromEnv =
    server.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  if (!fromEnv) return undefined;
  if (!useEnvProxy(server, env.NO_PROXY ?? env.no_proxy ?? '')) return undefined;
  return parseProxy(fromEnv);
}

function parseProxy(raw: string): URL {
  try {
    // Go assumes http:// for a proxy given without a scheme.
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new KubeError(`invalid proxy URL "${raw}"`, 0, 'BadProxy');
  }
}

function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1';
  return false;
}

/** NO_PROXY matching (golang.org/x/net/http/httpproxy): `*`, IPs, CIDRs, domains and `.domains`, optional ports. */
function useEnvProxy(server: URL, noProxy: string): boolean {
  const host = bareHost(server.hostname);
  const port = server.port || (server.protocol === 'https:' ? '443' : '80');
  if (isLoopback(host)) return false;
  for (let entry of noProxy
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean)) {
    if (entry === '*') return false;
    if (entry.includes('/')) {
      if (isIP(host) && inCidr(host, entry)) return false;
      continue;
    }
    let entryPort = '';
    const m = /^(.*):(\d+)$/.exec(entry);
    if (m && !isIP(entry)) [, entry, entryPort] = m as unknown as [string, string, string];
    entry = bareHost(entry);
    if (entryPort && entryPort !== port) continue;
    if (isIP(entry)) {
      if (entry === host) return false;
      continue;
    }
    if (entry.startsWith('*.')) entry = entry.slice(1);
    if (entry.startsWith('.')) {
      if (host.endsWith(entry)) return false;
    } else if (host === entry || host.endsWith(`.${entry}`)) return false;
  }
  return true;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (isIP(ip) !== 4 || isIP(base ?? '') !== 4 || !(bits >= 0 && bits <= 32)) return false;
  const n = (a: string) => a.split('.').reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (n(ip) & mask) === (n(base!) & mask);
}

/** The SOCKS agent's module, loaded for a SOCKS proxy only: dozens of modules (ip-address, socks, debug). */
let socks: typeof import('socks-proxy-agent') | undefined;

/** Loads what proxyAgent() needs to tunnel through `proxy`. */
export async function loadProxyAgent(proxy: URL | undefined): Promise<void> {
  if (proxy?.protocol.startsWith('socks')) socks ??= await import('socks-proxy-agent');
}

/** An agent that tunnels to `server` through `proxy` (HTTP CONNECT, or SOCKS5); loadProxyAgent() first. */
export function proxyAgent(server: URL, proxy: URL, tls: https.AgentOptions): http.Agent {
  if (proxy.protocol.startsWith('socks')) {
    if (!socks) throw new Error('proxyAgent: loadProxyAgent() was not awaited for a SOCKS proxy');
    return new socks.SocksProxyAgent(proxy, { ...tls, keepAlive: true });
  }
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new KubeError(`unsupported proxy scheme "${proxy.protocol}" (http, https, socks5)`, 0, 'BadProxy');
  }
  const opts = { ...tls, keepAlive: true, proxy };
  return server.protocol === 'https:' ? new HttpsProxyAgent(opts) : new HttpProxyAgent(opts);
}
