import { createServer, type RequestListener, type Server } from 'node:http';
import { BaseContainer, type ContainerContext, type ExitInfo } from './container.ts';
import { nginxHandler, type NginxSite } from './nginx.ts';
import { shutdownNotices, startupNotices } from './nginx-log.ts';
import { hostPathOf } from './sandbox.ts';
import { listenMapped, type ListenOptions } from './ports.ts';
import { burnCpu, cpuPerRequestMs, EngineAccounting } from './accounting.ts';
import { registerInProcess, unregisterInProcess } from './in-process.ts';

/** What a container that never listened spends: nothing (shared, never written to). */
const NO_ACCOUNTING = new EngineAccounting();

/**
 * A container served by the engine itself: HTTP servers on the pod IP, no process. Stopping is
 * graceful: listeners close at once, requests in flight finish, idle keep-alive connections
 * close; whatever is still open when the grace period ends is cut.
 */
abstract class ServerContainer extends BaseContainer {
  private ownAccounting?: EngineAccounting;
  // Made by the first listen: a pause container has no port.
  private servers?: Server[];
  private registered?: Array<[number, Server]>;
  private stopping?: Promise<ExitInfo>;
  private graceTimer: unknown;

  /** CPU and buffered bytes the engine spends on this container (the metrics API reads them). */
  get accounting(): EngineAccounting {
    return this.ownAccounting ?? NO_ACCOUNTING;
  }

  protected async listen(port: number, handler: RequestListener, opts: ListenOptions): Promise<void> {
    const accounting = (this.ownAccounting ??= new EngineAccounting());
    const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      if (this.stopping) res.setHeader('Connection', 'close');
      res.on('finish', () => this.stopping && server.closeIdleConnections());
      accounting.measure(() => handler(req, res));
    });
    server.on('connection', (socket) => accounting.track(socket));
    (this.servers ??= []).push(server);
    const mapping = await listenMapped(server, this.ctx.podIP, port, opts);
    if (mapping) this.portMappings = [...this.portMappings, mapping];
    // The service proxy hands connections for this pod's port straight to the server.
    registerInProcess(this.ctx.podUid, port, server);
    (this.registered ??= []).push([port, server]);
  }

  private unregister(): void {
    for (const [port, server] of this.registered?.splice(0) ?? []) unregisterInProcess(this.ctx.podUid, port, server);
  }

  /** Close whatever listened (a failed start). */
  protected abort(): void {
    this.unregister();
    for (const s of this.servers ?? []) {
      s.close();
      s.closeAllConnections();
    }
  }

  protected onStop(): void {}

  stop(graceMs: number): Promise<ExitInfo> {
    if (this.exit) return Promise.resolve(this.exit);
    if (this.stopping) return this.stopping;
    this.onStop();
    this.unregister();
    const servers = this.servers ?? [];
    this.stopping = Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(
      () => {
        this.ctx.clock.clearTimeout(this.graceTimer);
        this.finish(0);
        return this.exit!;
      },
    );
    for (const s of servers) s.closeIdleConnections();
    this.graceTimer = this.ctx.clock.setTimeout(() => this.cut(137, 'SIGKILL'), graceMs);
    return this.stopping;
  }

  kill(): Promise<ExitInfo> {
    this.cut(137, 'SIGKILL');
    return this.exited;
  }

  private cut(exitCode: number, signal: NodeJS.Signals): void {
    if (this.exit) return;
    this.ctx.clock.clearTimeout(this.graceTimer);
    this.unregister();
    for (const s of this.servers ?? []) {
      s.close();
      s.closeAllConnections();
    }
    this.finish(exitCode, signal);
  }
}

/** Built-in nginx: serves the container's own /usr/share/nginx/html on port 80 and declared ports. */
export class NginxContainer extends ServerContainer {
  readonly kind = 'builtin-nginx' as const;

  static async start(ctx: ContainerContext, ports: number[], opts: ListenOptions): Promise<NginxContainer> {
    // The runtime wrote the image's start-up lines (runtime/index.ts).
    const c = new NginxContainer(ctx);
    const { log, clock, image } = ctx;
    const burnMs = cpuPerRequestMs(ctx.env);
    const serve = nginxHandler(new ContainerSite(ctx));
    // The load knob (README, "Autoscaling"): each request first costs this much CPU time.
    const handler: RequestListener = burnMs ? (req, res) => (burnCpu(burnMs), serve(req, res)) : serve;
    try {
      for (const port of ports) await c.listen(port, handler, opts);
    } catch (err) {
      c.abort();
      log.close();
      throw err;
    }
    log.lines(startupNotices(clock.now(), image.version));
    return c;
  }

  protected override onStop(): void {
    this.ctx.log.lines(shutdownNotices(this.ctx.clock.now()).map((line) => ({ stream: 'stderr', line })));
  }
}

/**
 * What built-in nginx serves and logs to, read from the container's context: one small object,
 * where an options object with four closures and their scope was ~0.3 KB of every nginx pod.
 */
class ContainerSite implements NginxSite {
  private dir?: string;

  constructor(private readonly ctx: ContainerContext) {}

  /** A volume mounted there (a ConfigMap of pages) is what nginx serves; found at the first request. */
  get htmlDir(): string {
    return (this.dir ??= hostPathOf('/usr/share/nginx/html', this.ctx.layout, this.ctx.volumes));
  }
  get version(): string {
    return this.ctx.image.version;
  }
  prepare(): void {
    this.ctx.rootfs.ensure();
  }
  now(): number {
    return this.ctx.clock.now();
  }
  access(line: string): void {
    this.ctx.log.line('stdout', line);
  }
  error(line: string): void {
    this.ctx.log.line('stderr', line);
  }
}

/** A system image that only needs to stay up (pause, CoreDNS-like, kube-proxy-like), answering fixed endpoints. */
export class IdleContainer extends ServerContainer {
  readonly kind = 'builtin-idle' as const;

  static async start(
    ctx: ContainerContext,
    opts: ListenOptions,
    checks: Record<string, () => boolean> = {},
  ): Promise<IdleContainer> {
    // The runtime wrote the image's start-up lines (runtime/index.ts).
    const c = new IdleContainer(ctx);
    const ports = [...new Set(ctx.image.image.http.map((h) => h.port))];
    try {
      for (const port of ports) {
        const endpoints = ctx.image.image.http.filter((h) => h.port === port);
        await c.listen(
          port,
          (req, res) => {
            const path = (req.url ?? '/').split('?')[0];
            const ep = endpoints.find((e) => e.path === path);
            const failing = ep?.check !== undefined && !(checks[ep.check]?.() ?? false);
            const body = !ep
              ? '404 page not found\n'
              : failing
                ? `${ep.check}\n`
                : ep.body.replaceAll('{{version}}', ctx.image.version);
            res.writeHead(!ep ? 404 : failing ? 503 : ep.status, { 'Content-Type': 'text/plain; charset=utf-8' });
            res.end(body);
          },
          opts,
        );
      }
    } catch (err) {
      c.abort();
      ctx.log.close();
      throw err;
    }
    return c;
  }
}
