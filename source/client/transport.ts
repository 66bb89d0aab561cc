import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { KubeConfig } from '@kubernetes/client-node';
import { Credentials } from './credentials.ts';
import { KubeError } from './errors.ts';
import { limiterFromEnv, type RateLimiter } from './rate-limit.ts';
import { MAX_RETRY_AFTER_MS, isRetryable, parseRetryAfter } from './retry-after.ts';
import { ServerClock } from './server-clock.ts';

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
/** GETs answered 429 (or 5xx with Retry-After) are retried this often before the caller sees it. */
const MAX_RETRIES = 3;

/**
 * HTTP to one API server with the kubeconfig's auth (see Credentials: exec plugins, proxies and
 * the one shared agent). Requests go through node:http(s) so watches and logs can be streamed and
 * aborted.
 */
export class Transport {
  readonly server: string;
  readonly credentials: Credentials;
  /** The server's clock as seen through `Date` headers: use `serverClock.now()` for ages. */
  readonly serverClock = new ServerClock();
  private readonly limiter: RateLimiter = limiterFromEnv();
  /** `SKIFF_DISABLE_COMPRESSION=1` as kubectl's `disable-compression` (for measuring). */
  private readonly gzip = !process.env.SKIFF_DISABLE_COMPRESSION;

  constructor(
    private readonly kc: KubeConfig,
    opts: ConstructorParameters<typeof Credentials>[1] = {},
  ) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new KubeError(`context "${kc.getCurrentContext()}" has no cluster`, 0);
    this.server = cluster.server.replace(/\/+$/, '');
    this.credentials = new Credentials(kc, opts);
  }

  url(path: string, query?: Query): URL {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    }
    return url;
  }

  /** Headers, TLS options and the shared agent for a request; also used for WebSockets. */
  authOptions(): Promise<https.RequestOptions> {
    return this.credentials.requestOptions();
  }

  async json<T>(opts: RequestOptions): Promise<T> {
    const { body } = await this.send({ accept: 'application/json', ...opts });
    return (body ? JSON.parse(body) : {}) as T;
  }

  async text(opts: RequestOptions): Promise<string> {
    return (await this.send({ accept: '*/*', ...opts })).body;
  }

  /**
   * One request, body buffered. Non-2xx responses reject with a KubeError. Reads (GET) answered
   * 429, or 5xx with `Retry-After`, are retried after the wait the server asked for.
   */
  async send(opts: RequestOptions): Promise<{ code: number; body: string; contentType: string }> {
    const idempotent = (opts.method ?? 'GET') === 'GET';
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.sendOnce(opts);
      } catch (err) {
        const e = err as KubeError;
        // An expired exec-plugin credential: run the plugin again and retry once, as kubectl does.
        if (e instanceof KubeError && e.code === 401 && !refreshed && this.credentials.rejected()) {
          refreshed = true;
          continue;
        }
        if (!idempotent || attempt >= MAX_RETRIES || !(e instanceof KubeError) || !isRetryable(e.code, e.retryAfterMs))
          throw err;
        await sleep(Math.min(e.retryAfterMs ?? 1000, MAX_RETRY_AFTER_MS), opts.signal);
      }
    }
  }

  private async sendOnce(opts: RequestOptions): Promise<{ code: number; body: string; contentType: string }> {
    const req = await this.open(opts);
    const sentAt = Date.now();
    return new Promise((resolve, reject) => {
      const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      req.setTimeout(timeout, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
      req.on('error', (err) => reject(this.wrap(err)));
      req.on('response', (res) => {
        this.serverClock.observe(res.headers.date, sentAt, Date.now());
        const chunks: Buffer[] = [];
        const body = decoded(res);
        body.on('data', (c: Buffer) => chunks.push(c));
        body.on('error', (err) => reject(this.wrap(err)));
        body.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          if (code < 200 || code >= 300)
            reject(KubeError.fromResponse(code, text, parseRetryAfter(res.headers['retry-after'])));
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
      const sentAt = Date.now();
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
          this.serverClock.observe(res.headers.date, sentAt, Date.now());
          const code = res.statusCode ?? 0;
          const body = decoded(res);
          if (code < 200 || code >= 300) {
            const chunks: Buffer[] = [];
            body.on('data', (c: Buffer) => chunks.push(c));
            body.on('end', () => {
              resolveEnded();
              // The caller retries the stream; the retry asks an exec plugin for a new credential.
              if (code === 401) this.credentials.rejected();
              reject(
                KubeError.fromResponse(
                  code,
                  Buffer.concat(chunks).toString('utf8'),
                  parseRetryAfter(res.headers['retry-after']),
                ),
              );
            });
            body.on('error', () => resolveEnded());
            return;
          }
          // Silence after the headers is the caller's to judge (a watch may be quiet for minutes).
          req.setTimeout(0);
          body.on('data', (c: Buffer) => opts.onData(c));
          body.on('end', () => resolveEnded());
          res.on('close', () => resolveEnded());
          body.on('error', () => resolveEnded());
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
    await this.limiter.take();
    const base = await this.authOptions();
    const headers: http.OutgoingHttpHeaders = { ...(base.headers as http.OutgoingHttpHeaders) };
    headers['accept'] = opts.accept ?? 'application/json';
    headers['user-agent'] = 'skiff/0.1';
    if (this.gzip) headers['accept-encoding'] = 'gzip';
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
    this.credentials.close();
  }
}

/** The response body, gunzipped when the server compressed it. */
function decoded(res: http.IncomingMessage): Readable {
  if (String(res.headers['content-encoding'] ?? '').toLowerCase() !== 'gzip') return res;
  // Flush per input chunk so a compressed watch stream still delivers events as they come.
  const gunzip = zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH });
  res.on('error', (err) => gunzip.destroy(err));
  return res.pipe(gunzip);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new KubeError('aborted', 0, 'Aborted'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new KubeError('aborted', 0, 'Aborted'));
      },
      { once: true },
    );
  });
}

function bodyData(body: unknown): string | Buffer {
  return typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
}

function writeBody(req: http.ClientRequest, opts: RequestOptions): void {
  if (opts.body === undefined) return void req.end();
  req.end(bodyData(opts.body));
}
