import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeError } from './errors.ts';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  method?: string;
  path: string;
  query?: Query;
  body?: unknown;
  contentType?: string;
  accept?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface StreamHandle {
  /** Resolves with the HTTP status once headers arrive; rejects on network errors and non-2xx. */
  readonly started: Promise<void>;
  /** Resolves when the body ended (normally, by abort, or by a dropped connection). */
  readonly ended: Promise<void>;
  abort(): void;
}

export interface StreamOptions extends RequestOptions {
  onData(chunk: Buffer): void;
}

const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * HTTP to one API server with the kubeconfig's auth. @kubernetes/client-node computes headers,
 * certificates and exec-plugin tokens; requests go through node:http(s) so watches and logs
 * can be streamed and aborted.
 */
export class Transport {
  readonly server: string;
  private agent?: http.Agent;

  constructor(private readonly kc: KubeConfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new KubeError(`context "${kc.getCurrentContext()}" has no cluster`, 0);
    this.server = cluster.server.replace(/\/+$/, '');
  }

  url(path: string, query?: Query): URL {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    }
    return url;
  }

  /** Headers and TLS options for a request; also used for the exec WebSocket. */
  async authOptions(): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = { headers: {} };
    try {
      await this.kc.applyToHTTPSOptions(opts);
    } catch (err) {
      // client-node refuses plain http unless skipTLSVerify; kubectl allows it (the local
      // engine serves http on loopback). Headers are already applied when it throws.
      if (!this.server.startsWith('http:')) throw err;
    }
    const cluster = this.kc.getCurrentCluster();
    if (!cluster?.proxyUrl) opts.agent = this.sharedAgent(opts);
    return opts;
  }

  private sharedAgent(opts: https.RequestOptions): http.Agent {
    if (!this.agent) {
      this.agent = this.server.startsWith('https:')
        ? new https.Agent({
            keepAlive: true,
            ca: opts.ca,
            cert: opts.cert,
            key: opts.key,
            pfx: opts.pfx,
            passphrase: opts.passphrase,
            servername: opts.servername,
            rejectUnauthorized: opts.rejectUnauthorized,
          })
        : new http.Agent({ keepAlive: true });
    }
    return this.agent;
  }

  async json<T>(opts: RequestOptions): Promise<T> {
    const { body } = await this.send({ accept: 'application/json', ...opts });
    return (body ? JSON.parse(body) : {}) as T;
  }

  async text(opts: RequestOptions): Promise<string> {
    return (await this.send({ accept: '*/*', ...opts })).body;
  }

  /** One request, body buffered. Non-2xx responses reject with a KubeError. */
  async send(opts: RequestOptions): Promise<{ code: number; body: string; contentType: string }> {
    const req = await this.open(opts);
    return new Promise((resolve, reject) => {
      const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      req.setTimeout(timeout, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => reject(this.wrap(err)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(this.wrap(err)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          if (code < 200 || code >= 300) reject(KubeError.fromResponse(code, text));
          else resolve({ code, body: text, contentType: String(res.headers['content-type'] ?? '') });
        });
      });
      writeBody(req, opts);
    });
  }

  /** A long-lived response (watch, log follow). `onData` gets raw chunks. */
  stream(opts: StreamOptions): StreamHandle {
    let abort = () => {};
    let aborted = false;
    let resolveEnded!: () => void;
    const ended = new Promise<void>((r) => (resolveEnded = r));
    const started = (async () => {
      const req = await this.open(opts);
      abort = () => req.destroy();
      if (aborted) req.destroy();
      await new Promise<void>((resolve, reject) => {
        req.setTimeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, () =>
          req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
        );
        req.on('error', (err) => {
          resolveEnded();
          reject(aborted ? new KubeError('aborted', 0, 'Aborted') : this.wrap(err));
        });
        req.on('response', (res) => {
          const code = res.statusCode ?? 0;
          if (code < 200 || code >= 300) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              resolveEnded();
              reject(KubeError.fromResponse(code, Buffer.concat(chunks).toString('utf8')));
            });
            res.on('error', () => resolveEnded());
            return;
          }
          req.setTimeout(0);
          res.on('data', (c: Buffer) => opts.onData(c));
          res.on('end', () => resolveEnded());
          res.on('close', () => resolveEnded());
          res.on('error', () => resolveEnded());
          resolve();
        });
        writeBody(req, opts);
      });
    })();
    started.catch(() => resolveEnded());
    return {
      started,
      ended,
      abort: () => {
        aborted = true;
        abort();
      },
    };
  }

  private async open(opts: RequestOptions): Promise<http.ClientRequest> {
    const url = this.url(opts.path, opts.query);
    const base = await this.authOptions();
    const headers: http.OutgoingHttpHeaders = { ...(base.headers as http.OutgoingHttpHeaders) };
    headers['accept'] = opts.accept ?? 'application/json';
    headers['user-agent'] = 'skiff/0.1';
    if (opts.body !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      // Node sends DELETE bodies without chunked encoding: the length must be explicit.
      headers['content-length'] = Buffer.byteLength(bodyData(opts.body));
    }
    const mod = url.protocol === 'https:' ? https : http;
    try {
      return mod.request(url, { ...base, method: opts.method ?? 'GET', headers, signal: opts.signal });
    } catch (err) {
      throw this.wrap(err);
    }
  }

  private wrap(err: unknown): KubeError {
    return err instanceof KubeError ? err : KubeError.fromNetwork(err, this.server);
  }

  close(): void {
    this.agent?.destroy();
  }
}

function bodyData(body: unknown): string | Buffer {
  return typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
}

function writeBody(req: http.ClientRequest, opts: RequestOptions): void {
  if (opts.body === undefined) return void req.end();
  req.end(bodyData(opts.body));
}
