import { errors } from '../store/errors.ts';

/**
 * Query parameters decoded the way the apiserver's parameter codec decodes them
 * (apimachinery runtime/conversion.go), so every client's spelling means the same thing:
 * kubectl sends `watch=true`, generated clients (Python, Java, C#) send `watch=True`,
 * some send `watch=1` or a bare `?watch`.
 *
 * A boolean is false only when absent, `0`, or `false` in any case; anything else — `True`,
 * `TRUE`, `t`, `1`, an empty value — is true. (This is wider than Go's strconv.ParseBool: the
 * apiserver never rejects a boolean query parameter, so neither do we.)
 */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.getAll(name);
  if (v.length === 0) return false;
  const first = v[0]!;
  return !(first === '0' || first.toLowerCase() === 'false');
}

/** `pretty` alone is read with Go's strconv.ParseBool, a malformed value counting as false. */
export function parseBoolGo(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

export function prettyOf(q: URLSearchParams): boolean {
  const v = q.get('pretty');
  return v ? parseBoolGo(v) === true : false;
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * An int64 parameter (limit, timeoutSeconds, gracePeriodSeconds, tailLines …): absent is
 * undefined; anything strconv.ParseInt(v, 10, 64) refuses — an empty value included — is the
 * apiserver's 400 with strconv's own wording.
 */
export function queryInt(q: URLSearchParams, name: string): number | undefined {
  const v = q.getAll(name);
  if (v.length === 0) return undefined;
  const s = v[0]!;
  if (!/^[+-]?\d+$/.test(s)) throw errors.badRequest(`strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > INT64_MAX || n < INT64_MIN)
    throw errors.badRequest(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`);
  return Number(n);
}

/** Go's %q for the strings a URL can carry (printable text; the rest escaped). */
function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
}

/** `dryRun`: only `All` exists upstream; any other value is a 400. */
export function dryRunOf(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  if (v.some((x) => x !== 'All'))
    throw errors.badRequest(`Invalid dryRun value: ${v.join(',')}. Supported values: All`);
  return v.length > 0;
}
