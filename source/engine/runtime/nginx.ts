import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { posix, sep } from 'node:path';
import { accessLine, errorLine } from './nginx-log.ts';

export interface NginxSite {
  /** Host directory served as `/usr/share/nginx/html`: the container's own, in its rootfs. */
  htmlDir: string;
  /** Make sure htmlDir is on disk (a lazily laid out rootfs) before a request reads it. */
  prepare?: () => void;
  version: string;
  now(): number;
  access(line: string): void;
  error(line: string): void;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.htm': 'text/html',
  '.css': 'text/css',
  '.js': 'application/javascript',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.xml': 'text/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
};

const REASONS: Record<number, string> = {
  301: 'Moved Permanently',
  304: 'Not Modified',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Not Allowed',
  500: 'Internal Server Error',
};

/** The static-file behaviour of nginx's default server: `location / { root …; index index.html; }`. */
export function nginxHandler(site: NginxSite): (req: IncomingMessage, res: ServerResponse) => void {
  let connections = 0;
  return (req, res) => {
    site.prepare?.();
    const conn = ++connections;
    const started = site.now();
    const request = `${req.method} ${req.url} HTTP/${req.httpVersion}`;
    res.setHeader('Server', `nginx/${site.version}`);
    let bodyBytes = 0;
    let logged = false;
    // 'finish' never fires when the client hangs up first; nginx still logs those requests.
    const log = () => {
      if (logged) return;
      logged = true;
      site.access(
        accessLine({
          remoteAddr: (req.socket.remoteAddress ?? '-').replace(/^::ffff:/, ''),
          ms: started,
          request,
          status: res.statusCode,
          bytes: bodyBytes,
          referer: header(req, 'referer'),
          userAgent: header(req, 'user-agent'),
          forwardedFor: header(req, 'x-forwarded-for'),
        }),
      );
    };
    res.on('finish', log);
    res.on('close', log);
    const fail = (status: number, why?: string) => {
      if (why) {
        site.error(
          errorLine(
            site.now(),
            conn,
            `${why}, client: ${req.socket.remoteAddress?.replace(/^::ffff:/, '')}, server: localhost, request: "${request}", host: "${req.headers.host ?? ''}"`,
          ),
        );
      }
      const body = errorPage(status, site.version);
      bodyBytes = req.method === 'HEAD' ? 0 : body.length;
      res.writeHead(status, REASONS[status] ?? '', { 'Content-Type': 'text/html', 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    };

    serve(site, req, res, fail, (n) => (bodyBytes = n)).catch((err) => {
      if (!res.headersSent) fail(500, String(err));
      else res.destroy();
    });
  };
}

async function serve(
  site: NginxSite,
  req: IncomingMessage,
  res: ServerResponse,
  fail: (status: number, why?: string) => void,
  sent: (bytes: number) => void,
): Promise<void> {
  const rawPath = (req.url ?? '/').split('?')[0]!;
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return fail(400);
  }
  if (!path.startsWith('/') || path.includes('\0')) return fail(400);
  // nginx refuses a path that climbs above the root rather than clamping it.
  let depth = 0;
  for (const part of path.split('/')) {
    depth += part === '..' ? -1 : part && part !== '.' ? 1 : 0;
    if (depth < 0) return fail(400);
  }
  const uri = posix.normalize(path);
  const containerPath = `/usr/share/nginx/html${uri}`;
  const wantsDir = uri.endsWith('/');
  let file = site.htmlDir + uri;
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    if (!wantsDir) {
      res.writeHead(301, REASONS[301], { Location: `http://${req.headers.host ?? 'localhost'}${uri}/` });
      const body = errorPage(301, site.version);
      sent(req.method === 'HEAD' ? 0 : body.length);
      return void res.end(req.method === 'HEAD' ? undefined : body);
    }
    const index = await firstFile([`${file}/index.html`, `${file}/index.htm`]);
    if (!index) return fail(403, `directory index of "${containerPath}/" is forbidden`);
    file = index.path;
    info = index.info;
  }
  if (!info || !info.isFile()) {
    return fail(404, `open() "${containerPath}" failed (2: No such file or directory)`);
  }
  // Symlinks must not lead the engine (which runs outside the sandbox) out of the container.
  const real = await realpath(file).catch(() => '');
  const root = await realpath(site.htmlDir).catch(() => site.htmlDir);
  if (!real.startsWith(root + sep)) return fail(404, `open() "${containerPath}" failed (2: No such file or directory)`);
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405);

  const etag = `"${Math.floor(info.mtimeMs / 1000).toString(16)}-${info.size.toString(16)}"`;
  const lastModified = new Date(Math.floor(info.mtimeMs / 1000) * 1000).toUTCString();
  const ext = posix.extname(file).toLowerCase();
  const headers = {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Last-Modified': lastModified,
    ETag: etag,
  };
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  const notModified =
    inm !== undefined
      ? inm.split(/\s*,\s*/).some((t) => t === etag || t === `W/${etag}` || t === '*')
      : ims === lastModified;
  if (notModified) {
    res.writeHead(304, REASONS[304], headers);
    return void res.end();
  }
  res.writeHead(200, 'OK', { ...headers, 'Content-Length': info.size, 'Accept-Ranges': 'bytes' });
  if (req.method === 'HEAD') return void res.end();
  sent(info.size);
  await new Promise<void>((resolve, reject) => {
    // Read exactly the announced length: a file rewritten meanwhile (kubectl exec … > index.html)
    // must not leave the client waiting for bytes that never come.
    const stream = createReadStream(file, info.size > 0 ? { start: 0, end: info.size - 1 } : {});
    let written = 0;
    stream.on('data', (c) => (written += c.length));
    stream.on('error', reject);
    stream.on('end', () => {
      if (written < info.size) res.destroy();
    });
    res.on('close', resolve);
    stream.pipe(res);
  });
}

async function firstFile(paths: string[]) {
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) return { path, info };
  }
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function errorPage(status: number, version: string): Buffer {
  const title = `${status} ${REASONS[status] ?? ''}`;
  return Buffer.from(
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`,
  );
}
