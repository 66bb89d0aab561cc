import { Agent, request } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:tls';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface Req {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
  /** undefined: the engine's token; null: no Authorization header; a string: that token. */
  token?: string | null;
  timeoutMs?: number;
}

/** A small HTTPS client for the engine: keep-alive, the engine's CA, its bearer token. */
export class ApiClient {
  readonly host: string;
  readonly port: number;
  private agent: Agent;

  constructor(
    url: string,
    readonly token: string,
    readonly ca: string,
    maxSockets = 16,
  ) {
    const u = new URL(url);
    this.host = u.hostname;
    this.port = Number(u.port);
    this.agent = new Agent({ ca, keepAlive: true, maxSockets });
  }

  request(r: Req): Promise<Reply> {
    const headers: Record<string, string | number> = { ...(r.headers ?? {}) };
    const token = r.token === undefined ? this.token : r.token;
    if (token !== null) headers.Authorization = `Bearer ${token}`;
    if (r.body !== undefined && headers['Content-Length'] === undefined && headers['Transfer-Encoding'] === undefined) {
      headers['Content-Length'] = Buffer.byteLength(r.body);
    }
    return new Promise((resolve, reject) => {
      const req = request(
        { host: this.host, port: this.port, method: r.method ?? 'GET', path: r.path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.setTimeout(r.timeoutMs ?? 15_000, () =>
        req.destroy(new Error(`timed out: ${r.method ?? 'GET'} ${r.path.slice(0, 200)}`)),
      );
      req.on('error', reject);
      // The engine may answer (413) before the whole body is sent and then close; that is fine.
      req.end(r.body);
    });
  }

  /**
   * A streaming GET (a watch): `onLine` gets each newline-terminated line. Resolves with the
   * HTTP status once headers arrive; `close()` cuts the connection; `ended` settles when it ends.
   */
  stream(
    path: string,
    onLine: (line: string) => void,
  ): { status: Promise<number>; ended: Promise<void>; close(): void } {
    let close = () => {};
    let endedResolve!: () => void;
    const ended = new Promise<void>((r) => (endedResolve = r));
    const status = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          path,
          headers: { Authorization: `Bearer ${this.token}` },
          agent: this.agent,
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            buf += c;
            let i: number;
            while ((i = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, i);
              buf = buf.slice(i + 1);
              if (line) onLine(line);
            }
          });
          res.on('end', endedResolve);
          res.on('close', endedResolve);
          res.on('error', endedResolve);
        },
      );
      req.on('error', (e) => {
        reject(e);
        endedResolve();
      });
      req.on('close', endedResolve);
      close = () => req.destroy();
      req.end();
    });
    status.catch(() => {});
    return { status, ended, close: () => close() };
  }

  async json(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const r = await this.request({
      method,
      path,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: r.text ? JSON.parse(r.text) : undefined };
  }

  /**
   * Send bytes the HTTP client would refuse to produce (NUL in the request line, oversized
   * headers, smuggling) over a fresh TLS connection. Resolves with the raw answer: once a
   * response with a Content-Length is complete, or when the engine closes ('' if it said nothing).
   */
  raw(bytes: Buffer | string, timeoutMs = 15_000): Promise<string> {
    return new Promise((resolve, reject) => {
      let data = Buffer.alloc(0);
      const s = connect({ host: this.host, port: this.port, ca: this.ca }, () => s.write(bytes));
      const done = () => {
        resolve(data.toString('latin1'));
        s.destroy();
      };
      s.setTimeout(timeoutMs, () => s.destroy(new Error('raw request timed out')));
      s.on('data', (c: Buffer) => {
        data = Buffer.concat([data, c]);
        const text = data.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        const len = text.slice(0, end).match(/\r\ncontent-length:\s*(\d+)/i);
        if (end >= 0 && len && data.length >= end + 4 + Number(len[1])) done();
      });
      s.on('close', done);
      s.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' || e.code === 'EPIPE' ? done() : reject(e)));
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Parse a raw HTTP/1.1 answer (as from `raw`) into a Reply. */
export function parseRaw(text: string): Reply | undefined {
  const m = text.match(/^HTTP\/1\.[01] (\d{3}) [^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/);
  if (!m) return undefined;
  const headers: IncomingHttpHeaders = {};
  for (const line of m[2]!.split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status: Number(m[1]), headers, text: Buffer.from(m[3]!, 'latin1').toString('utf8') };
}

/** Why a reply is not a well-formed Kubernetes failure Status matching its HTTP code, or undefined. */
export function statusProblem(r: Reply): string | undefined {
  let s: any;
  try {
    s = JSON.parse(r.text);
  } catch {
    return `body is not JSON: ${r.text.slice(0, 200)}`;
  }
  if (!String(r.headers['content-type'] ?? '').startsWith('application/json'))
    return `content-type ${r.headers['content-type']}`;
  if (s?.kind !== 'Status' || s.apiVersion !== 'v1') return `not a Status: ${r.text.slice(0, 200)}`;
  if (s.status !== 'Failure') return `status is ${s.status}`;
  if (s.code !== r.status) return `Status.code ${s.code} != HTTP ${r.status}`;
  if (typeof s.reason !== 'string' || typeof s.message !== 'string') return 'Status without reason/message';
  return undefined;
}
