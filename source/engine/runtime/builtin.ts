import { createServer, type RequestListener, type Server } from 'node:http';
import { BaseContainer, type ContainerContext, type ExitInfo } from './container.ts';
import { nginxHandler } from './nginx.ts';
import { shutdownNotices, startupNotices } from './nginx-log.ts';
import { inRootfs } from './paths.ts';
import { listenMapped, type ListenOptions } from './ports.ts';

/**
 * A container served by the engine itself: HTTP servers on the pod IP, no process. Stopping is
 * graceful: listeners close at once, requests in flight finish, idle keep-alive connections
 * close; whatever is still open when the grace period ends is cut.
 */
abstract class ServerContainer extends BaseContainer {
  private servers: Server[] = [];
  private stopping?: Promise<ExitInfo>;
  private graceTimer: unknown;

  protected async listen(port: number, handler: RequestListener, opts: ListenOptions): Promise<void> {
    const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
      if (this.stopping) res.setHeader('Connection', 'close');
      res.on('finish', () => this.stopping && server.closeIdleConnections());
      handler(req, res);
    });
    this.servers.push(server);
    const mapping = await listenMapped(server, this.ctx.podIP, port, opts);
    if (mapping) this.portMappings.push(mapping);
  }

  /** Close whatever listened (a failed start). */
  protected abort(): void {
    for (const s of this.servers) {
      s.close();
      s.closeAllConnections();
    }
  }

  protected onStop(): void {}

  stop(graceMs: number): Promise<ExitInfo> {
    if (this.exit) return Promise.resolve(this.exit);
    if (this.stopping) return this.stopping;
    this.onStop();
    this.stopping = Promise.all(
      this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    ).then(() => {
      this.ctx.clock.clearTimeout(this.graceTimer);
      this.finish(0);
      return this.exit!;
    });
    for (const s of this.servers) s.closeIdleConnections();
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
    for (const s of this.servers) {
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
    const c = new NginxContainer(ctx);
    const { log, clock, image } = ctx;
    for (const l of image.startupLog) log.line(l.stream, l.line);
    const handler = nginxHandler({
      htmlDir: inRootfs(ctx.layout.rootfs, '/usr/share/nginx/html'),
      version: image.version,
      now: () => clock.now(),
      access: (line) => log.line('stdout', line),
      error: (line) => log.line('stderr', line),
    });
    try {
      for (const port of ports) await c.listen(port, handler, opts);
    } catch (err) {
      c.abort();
      log.close();
      throw err;
    }
    for (const line of startupNotices(clock.now(), image.version)) log.line('stderr', line);
    return c;
  }

  protected override onStop(): void {
    for (const line of shutdownNotices(this.ctx.clock.now())) this.ctx.log.line('stderr', line);
  }
}

/** A system image that only needs to stay up (pause, CoreDNS-like, kube-proxy-like), answering fixed endpoints. */
export class IdleContainer extends ServerContainer {
  readonly kind = 'builtin-idle' as const;

  static async start(ctx: ContainerContext, opts: ListenOptions): Promise<IdleContainer> {
    const c = new IdleContainer(ctx);
    for (const l of ctx.image.startupLog) ctx.log.line(l.stream, l.line);
    const ports = [...new Set(ctx.image.image.http.map((h) => h.port))];
    try {
      for (const port of ports) {
        const endpoints = ctx.image.image.http.filter((h) => h.port === port);
        await c.listen(
          port,
          (req, res) => {
            const path = (req.url ?? '/').split('?')[0];
            const ep = endpoints.find((e) => e.path === path);
            const body = ep ? ep.body.replaceAll('{{version}}', ctx.image.version) : '404 page not found\n';
            res.writeHead(ep ? ep.status : 404, { 'Content-Type': 'text/plain; charset=utf-8' });
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
