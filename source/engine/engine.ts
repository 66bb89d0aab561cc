import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { adminHandler } from './api/admin.ts';
import { createApiServer, type ApiServerHooks } from './api/server.ts';
import { evictPod } from './controllers/eviction.ts';
import { bootstrap } from './bootstrap.ts';
import { RealClock, type Clock } from './clock.ts';
import { installCustomResources } from './apiextensions/crd.ts';
import { loadTopology } from './config.ts';
import { listenLoopback } from './net/loopback.ts';
import type { Component, EngineConfig, EngineContext } from './context.ts';
import { EventRecorder } from './events.ts';
import { createRegistry } from './resources/index.ts';
import { Store } from './store/store.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { ensurePki } from './tls.ts';
import { detectSandboxEarly } from './runtime/sandbox.ts';
import { reapOrphansBeforeServing } from './runtime/orphans.ts';
import { installServiceAllocations } from './services/allocations.ts';
import { installStorageAdmission } from './controllers/storage/admission.ts';
import { ensureIngressClass, installDefaultIngressClass } from './ingress/default-class.ts';
import { authorizationModeFrom, setupAuth, type AuthorizationMode } from './auth/index.ts';
import { outsideRequest, requestUser } from './auth/request-context.ts';

export interface EngineOptions {
  home: string;
  /** 0 = any free port; undefined = 6443 when free, else any. */
  port?: number;
  host?: string;
  timeScale?: number;
  clock?: Clock;
  /** Skip components (controllers, kubelets, proxy): an API server over the store only. */
  apiOnly?: boolean;
  log?: (msg: string) => void;
  /** Cluster DNS settings. */
  dns?: EngineConfig['dns'];
  /** RBAC (default) or AlwaysAllow; `SKIFF_AUTHORIZATION_MODE` when unset. */
  authorizationMode?: AuthorizationMode;
  /**
   * Called once the API serves with the cluster's objects in place (nodes registered, kubeconfig
   * written), before the components start: what waits only for that (`cluster up`) need not wait
   * for them. The returned engine (once they all started) is unchanged. The components start once
   * what it returns settles.
   */
  onServing?: (serving: Serving) => void | Promise<void>;
}

export interface Serving {
  url: string;
  port: number;
  /** Settles once the API has answered its first request. */
  firstResponse: Promise<void>;
}

export interface Engine {
  ctx: EngineContext;
  port: number;
  url: string;
  token: string;
  caCert: string;
  kubeconfigPath: string;
  stop(): Promise<void>;
}

function loadToken(home: string): string {
  const file = join(home, 'token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = randomBytes(24).toString('hex');
  writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}

/** The n-th address of a CIDR (`127.96.0.0/16`, 1 → 127.96.0.1). */
function serviceIP(cidr: string, n: number): string {
  const [a, b, c, d] = cidr.split('/')[0]!.split('.').map(Number) as [number, number, number, number];
  const v = (((a << 24) >>> 0) + (b << 16) + (c << 8) + d + n) >>> 0;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

function firstResponse(server: Server): Promise<void> {
  return new Promise((resolve) =>
    server.once('request', (_req, res: ServerResponse) => {
      res.once('finish', resolve);
      res.once('close', resolve);
    }),
  );
}

async function listen(server: Server, host: string, port: number): Promise<number> {
  await listenLoopback(server, host, port);
  return (server.address() as AddressInfo).port;
}

/** Start the whole local control plane in this process. */
export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const home = opts.home;
  mkdirSync(home, { recursive: true, mode: 0o700 });
  chmodSync(home, 0o700);
  const host = opts.host ?? '127.0.0.1';
  const timeScale = opts.timeScale ?? Number(process.env.SKIFF_TIME_SCALE ?? 1);
  const clock = opts.clock ?? new RealClock(timeScale);
  const config: EngineConfig = {
    home,
    host,
    port: 0,
    token: loadToken(home),
    timeScale,
    ...loadTopology(home),
    pullDelayMs: Number(process.env.SKIFF_PULL_DELAY_MS ?? 1500),
    podEvictionSeconds: Number(process.env.SKIFF_POD_EVICTION_SECONDS ?? 30),
    nodeLeaseSeconds: 40,
    dns: opts.dns,
  };
  const log = opts.log ?? ((m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`));
  // Writes made while serving an API request commit before they return; the rest (controllers,
  // kubelet) commit once per event-loop turn, before any response carries them (api/flushing-response.ts).
  const store = new Store(createRegistry(), clock, {
    path: join(home, 'state.db'),
    acknowledged: () => requestUser() !== undefined,
    isolate: outsideRequest,
  });
  // Service IP/port allocation runs inside writes, so it must be in place before the API listens.
  installServiceAllocations(store, config);
  installStorageAdmission(store);
  installDefaultIngressClass(store);
  installCustomResources(store);
  const ctx: EngineContext = { store, clock, config, recorder: new EventRecorder(store, clock), log };
  const hooks: ApiServerHooks = {
    admin: adminHandler(ctx),
    evict: (ns, name, grace) => void evictPod(store, ns, name, { gracePeriodSeconds: grace }),
  };
  const pki = await ensurePki(home, ['127.0.0.1', serviceIP(config.serviceCIDR, 1), ...config.nodes.map((n) => n.ip)]);
  ctx.auth = await setupAuth({
    store,
    clock,
    home,
    adminToken: config.token,
    caCert: pki.caCert,
    mode: opts.authorizationMode ?? authorizationModeFrom(process.env.SKIFF_AUTHORIZATION_MODE),
  });
  // What a killed engine left running goes before this one serves (the kubelet starts later).
  if (!opts.apiOnly) {
    const reaped = await reapOrphansBeforeServing(join(home, 'pods'));
    if (reaped) log(`killed ${reaped} container process group(s) a previous engine left running`);
  }
  const server = createApiServer(ctx, pki, hooks);
  let port: number;
  if (opts.port !== undefined) port = await listen(server, host, opts.port);
  else port = await listen(server, host, 6443).catch(() => listen(server, host, 0));
  config.port = port;
  bootstrap(ctx);
  if (!opts.apiOnly) ensureIngressClass(store);
  const url = `https://${host}:${port}`;
  const kubeconfigPath = join(home, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, url, config.token, pki.caCert);
  await opts.onServing?.({ url, port, firstResponse: firstResponse(server) });
  // Its bubblewrap runs (child processes) go on while the components before the kubelet start.
  if (!opts.apiOnly) detectSandboxEarly();
  // Loaded only now: nothing before serving needs the components' code (dgram, node-pty, ws, …).
  const components: Component[] = opts.apiOnly ? [] : (await import('./components.ts')).createComponents(config);
  const started: Component[] = [];
  for (const c of components) {
    await c.start(ctx);
    started.push(c);
    // The API already serves: let a request (`cluster up` asking for the nodes) through between starts.
    await new Promise((r) => setImmediate(r));
  }
  log(`skiff engine listening on ${url} (home ${home})`);
  let stopped = false;
  return {
    ctx,
    port,
    url,
    token: config.token,
    caCert: pki.caCert,
    kubeconfigPath,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const c of started.reverse()) {
        try {
          await c.stop();
        } catch (e) {
          log(`stopping ${c.name} failed: ${(e as Error).message}`);
        }
      }
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      ctx.recorder.stop();
      store.close();
    },
  };
}
