import { createServer, type Server, type Socket } from 'node:net';
import { listenLoopback } from './loopback.ts';

export interface FrontendHooks {
  onConnection(socket: Socket): void;
  /** The port could not be bound as asked (below 1024 without root) and listens here instead. */
  onMapped?(port: number): void;
  onError?(err: Error): void;
  /** Schedule a retry of a failed bind. */
  retryLater(fn: () => void): void;
}

/**
 * One listening address of a service (ClusterIP:port, NodeIP:nodePort). It is open only while
 * the service has endpoints: closed, the address refuses connections like kube-proxy's REJECT.
 */
export class Frontend {
  private server?: Server;
  private want = false;
  private busy = false;
  private disposed = false;
  private failed = false;
  /** Where a privileged port was mapped to; reused when reopening. */
  mappedPort?: number;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly hooks: FrontendHooks,
    private readonly mapLowPorts: boolean,
  ) {}

  get listening(): boolean {
    return !!this.server;
  }

  /** The port clients should use (the mapped one when the asked port could not be bound). */
  get effectivePort(): number {
    return this.mappedPort ?? this.port;
  }

  setOpen(open: boolean): void {
    this.want = open && !this.disposed;
    void this.reconcile();
  }

  dispose(): void {
    this.disposed = true;
    this.setOpen(false);
  }

  /** Resolves once the listener matches what was asked (tests). */
  async settled(): Promise<void> {
    while (this.busy) await new Promise((r) => setImmediate(r));
  }

  private async reconcile(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.want !== !!this.server && !(this.want && this.failed)) {
        if (this.want) await this.open();
        else this.close();
      }
    } finally {
      this.busy = false;
    }
  }

  private async open(): Promise<void> {
    const server = createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, (s) => this.hooks.onConnection(s));
    server.on('error', (e) => this.hooks.onError?.(e));
    try {
      if (this.mappedPort === undefined) {
        try {
          if (this.mapLowPorts && this.port < 1024) throw Object.assign(new Error('mapped on request'), { code: 'EACCES' });
          await listenLoopback(server, this.host, this.port);
          this.server = server;
          return;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EACCES' || this.port >= 1024) throw e;
        }
      }
      await this.listenMapped(server);
      this.server = server;
    } catch (e) {
      this.hooks.onError?.(e as Error);
      this.failed = true;
      this.hooks.retryLater(() => {
        this.failed = false;
        void this.reconcile();
      });
    }
  }

  private async listenMapped(server: Server): Promise<void> {
    if (this.mappedPort !== undefined) {
      try {
        await listenLoopback(server, this.host, this.mappedPort);
        return;
      } catch {
        // Taken meanwhile: take another one.
      }
    }
    await listenLoopback(server, this.host, 0);
    this.mappedPort = (server.address() as { port: number }).port;
    this.hooks.onMapped?.(this.mappedPort);
  }

  private close(): void {
    // Stop accepting at once; connections already spliced carry on.
    this.server?.close();
    this.server = undefined;
  }
}
