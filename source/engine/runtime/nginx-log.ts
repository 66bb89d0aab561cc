// Log lines as nginx writes them: access lines in the Docker image's `main` format (combined plus
// "$http_x_forwarded_for") on stdout, error-log lines on stderr. Times are UTC, as in the image.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `$time_local`: `26/Nov/2026:10:00:00 +0000`. */
export function timeLocal(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Error-log time: `2026/11/26 10:00:00`. */
export function errorTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export interface AccessRecord {
  remoteAddr: string;
  ms: number;
  request: string;
  status: number;
  bytes: number;
  referer?: string;
  userAgent?: string;
  forwardedFor?: string;
}

/** Escape like nginx does for variables in access logs (`"` and non-printables as \xHH). */
function esc(v: string | undefined): string {
  if (!v) return '-';
  return v.replace(
    /["\\\x00-\x1f\x7f-\xff]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

export function accessLine(r: AccessRecord): string {
  return `${r.remoteAddr} - - [${timeLocal(r.ms)}] "${esc(r.request)}" ${r.status} ${r.bytes} "${esc(r.referer)}" "${esc(r.userAgent)}" "${esc(r.forwardedFor)}"`;
}

export function noticeLine(ms: number, text: string, pid = 1): string {
  return `${errorTime(ms)} [notice] ${pid}#${pid}: ${text}`;
}

export function errorLine(ms: number, conn: number, text: string, pid = 29): string {
  return `${errorTime(ms)} [error] ${pid}#${pid}: *${conn} ${text}`;
}

/** A start-up notice line, as the container's log writer takes it. */
export interface NoticeEntry {
  readonly stream: 'stderr';
  readonly line: string;
}

let noticesKey = '';
let notices: readonly NoticeEntry[] = [];

/**
 * nginx's start-up notices on stderr. Their time has whole seconds, so every container started in
 * one second with one version writes the same lines: made once for them (a scale starts hundreds).
 */
export function startupNotices(ms: number, version: string): readonly NoticeEntry[] {
  const key = `${Math.floor(ms / 1000)} ${version}`;
  if (key === noticesKey) return notices;
  noticesKey = key;
  notices = Object.freeze(
    [
      'using the "epoll" event method',
      `nginx/${version}`,
      'built by gcc 12.2.0 (Debian 12.2.0-14)',
      'OS: Linux',
      'getrlimit(RLIMIT_NOFILE): 1048576:1048576',
      'start worker processes',
      'start worker process 29',
    ].map((t) => Object.freeze({ stream: 'stderr' as const, line: noticeLine(ms, t) })),
  );
  return notices;
}

/** nginx's image stops with SIGQUIT: a graceful shutdown. */
export function shutdownNotices(ms: number): string[] {
  return [
    noticeLine(ms, 'signal 3 (SIGQUIT) received, shutting down'),
    noticeLine(ms, 'gracefully shutting down', 29),
    noticeLine(ms, 'exiting', 29),
    noticeLine(ms, 'exit', 29),
    noticeLine(ms, 'signal 17 (SIGCHLD) received from 29'),
    noticeLine(ms, 'worker process 29 exited with code 0'),
    noticeLine(ms, 'exit'),
  ];
}
