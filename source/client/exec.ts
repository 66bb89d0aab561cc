import type http from 'node:http';
import WebSocket from 'ws';
import type { Status } from '../api-types/index.ts';
import { KubeError } from './errors.ts';
import type { Transport } from './transport.ts';
import { keepAlive } from './ws-keepalive.ts';

/** Channel numbers of the Kubernetes streaming protocol (v4/v5.channel.k8s.io). */
export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
const CLOSE = 255;

export interface ExecOptions {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
  tty: boolean;
  stdin: boolean;
}

export interface ExecResult {
  /** The exit code reported by the server (0 on Success), undefined if it was not reported. */
  exitCode?: number;
  status?: Status;
  /** The connection went silent (no pong, no output) and was closed: why, for the user. */
  lost?: string;
}

export interface ExecSession {
  readonly protocol: string;
  write(data: Buffer | string): void;
  resize(cols: number, rows: number): void;
  /** Closes stdin (v5 only); the process sees end of input. */
  closeStdin(): void;
  onOutput(fn: (channel: number, data: Buffer) => void): void;
  readonly done: Promise<ExecResult>;
  close(): void;
}

/** The shell k9s starts: bash when the image has it, else sh. */
export const SHELL_COMMAND = ['sh', '-c', 'command -v bash >/dev/null 2>&1 && exec bash || exec sh'];

/** `kubectl exec [-it]` over a WebSocket, with the kubeconfig's credentials. */
export async function openExec(t: Transport, opts: ExecOptions): Promise<ExecSession> {
  const url = t.url(
    `/api/v1/namespaces/${encodeURIComponent(opts.namespace)}/pods/${encodeURIComponent(opts.pod)}/exec`,
  );
  for (const c of opts.command) url.searchParams.append('command', c);
  if (opts.container) url.searchParams.set('container', opts.container);
  url.searchParams.set('stdout', 'true');
  url.searchParams.set('stderr', String(!opts.tty));
  url.searchParams.set('stdin', String(opts.stdin));
  url.searchParams.set('tty', String(opts.tty));
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';

  let ws: WebSocket;
  try {
    ws = await connectWebSocket(t, url);
  } catch (err) {
    // An exec plugin's credential expired: one retry with a fresh one, as for REST requests.
    if (!(err instanceof KubeError && err.code === 401 && t.credentials.rejected())) throw err;
    ws = await connectWebSocket(t, url);
  }

  const listeners: Array<(channel: number, data: Buffer) => void> = [];
  let result: ExecResult = {};
  ws.on('message', (raw: Buffer, isBinary: boolean) => {
    const msg = isBinary ? raw : Buffer.from(raw);
    if (msg.length === 0) return;
    const channel = msg[0];
    const data = msg.subarray(1);
    if (channel === ERROR) {
      result = parseStatus(data);
      return;
    }
    for (const fn of listeners) fn(channel, data);
  });
  keepAlive(ws, {
    onDead: (ms) =>
      (result = {
        ...result,
        lost: `no answer from the API server for ${Math.round(ms / 1000)}s (network down or the connection dropped)`,
      }),
  });
  const done = new Promise<ExecResult>((resolve) => ws.once('close', () => resolve(result)));
  const send = (channel: number, data: Buffer | string) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    ws.send(Buffer.concat([Buffer.from([channel]), typeof data === 'string' ? Buffer.from(data) : data]));
  };
  return {
    protocol: ws.protocol,
    write: (data) => send(STDIN, data),
    resize: (cols, rows) => send(RESIZE, JSON.stringify({ Width: cols, Height: rows })),
    closeStdin: () => {
      if (ws.protocol === 'v5.channel.k8s.io' && ws.readyState === WebSocket.OPEN) ws.send(Buffer.from([CLOSE, STDIN]));
    },
    onOutput: (fn) => listeners.push(fn),
    done,
    close: () => ws.close(),
  };
}

/** Opens the streaming WebSocket with the transport's credentials, TLS options and agent (and so its proxy). */
export async function connectWebSocket(
  t: Transport,
  url: URL,
  protocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'],
): Promise<WebSocket> {
  const auth = await t.authOptions();
  const ws = new WebSocket(url, protocols, {
    headers: auth.headers as Record<string, string>,
    agent: auth.agent as http.Agent,
    ca: auth.ca,
    cert: auth.cert,
    key: auth.key,
    pfx: auth.pfx,
    passphrase: auth.passphrase,
    ...(auth.servername ? ({ servername: auth.servername } as object) : {}),
    rejectUnauthorized: auth.rejectUnauthorized,
    handshakeTimeout: 15_000,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => reject(KubeError.fromResponse(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))));
    });
    ws.once('error', (err) => reject(KubeError.fromNetwork(err, t.server)));
  });
  return ws;
}

/**
 * Why a finished exec session failed, when the server said so and it is more than the command's
 * own exit code (no shell in a distroless image, container not running): its Status message.
 */
export function execFailure(result: ExecResult): string | undefined {
  const s = result.status;
  if (!s || s.status !== 'Failure' || s.reason === 'NonZeroExitCode') return undefined;
  return s.message || s.reason || 'exec failed';
}

function parseStatus(data: Buffer): ExecResult {
  try {
    const status = JSON.parse(data.toString('utf8')) as Status;
    if (status.status === 'Success') return { exitCode: 0, status };
    const code = status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message;
    return { exitCode: code !== undefined ? Number(code) : undefined, status };
  } catch {
    return {};
  }
}
