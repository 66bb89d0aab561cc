import type { IncomingMessage } from 'node:http';
import { Lexer, Parser, parse as parseYaml } from 'yaml';
import { errors } from '../store/errors.ts';

const MAX_BODY = 3 * 1024 * 1024; // the apiserver's limit for most requests

/** Read the whole request body, refusing anything larger than the apiserver would take. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > MAX_BODY) {
        failed = true;
        reject(errors.tooLarge('Request entity too large: limit is 3145728'));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => !failed && resolve(Buffer.concat(chunks)));
    req.on('error', (e) => !failed && reject(errors.badRequest(`error reading request body: ${e.message}`)));
  });
}

export type BodyFormat = 'json' | 'yaml' | 'protobuf';

export function bodyFormat(contentType: string | undefined): BodyFormat | 'patch' | undefined {
  const ct = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (ct === '' || ct === 'application/json' || ct === '*/*') return 'json';
  if (ct === 'application/yaml' || ct === 'application/x-yaml' || ct === 'text/yaml') return 'yaml';
  if (ct === 'application/vnd.kubernetes.protobuf') return 'protobuf';
  if (ct.endsWith('patch+json') || ct === 'application/apply-patch+yaml') return 'patch';
  return undefined;
}

const MAX_DEPTH = 100;

function depth(v: unknown, d = 0): number {
  if (d > MAX_DEPTH) return d;
  if (v && typeof v === 'object') {
    let m = d;
    for (const x of Object.values(v)) {
      m = Math.max(m, depth(x, d + 1));
      if (m > MAX_DEPTH) break;
    }
    return m;
  }
  return d;
}

/**
 * Whether a YAML text nests deeper than MAX_DEPTH, found by feeding the streaming CST parser
 * token by token and watching its stack, which stops early and never recurses. The YAML composer
 * recurses per level: deep input overflows the stack, and an overflow that lands in V8's RegExp
 * compiler kills the process instead of throwing. So depth is checked first.
 */
function yamlTooDeep(text: string): boolean {
  const parser = new Parser();
  for (const lexeme of new Lexer().lex(text)) {
    for (const _ of parser.next(lexeme));
    if (parser.stack.length > MAX_DEPTH) return true;
  }
  return false;
}

/** Whether a value is plain JSON data: YAML tags can also make binaries, sets, maps, dates and infinities. */
function isJsonData(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJsonData);
  return typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every(isJsonData);
}

/** Parse a JSON or YAML document into a value, with the apiserver's kind of error messages. */
export function parseDocument(buf: Buffer, format: 'json' | 'yaml'): unknown {
  const text = buf.toString('utf8');
  let value: unknown;
  if (format === 'json') {
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw errors.badRequest(`error decoding request body: json parse error: ${(e as Error).message}`);
    }
  } else {
    if (yamlTooDeep(text)) throw errors.badRequest('error decoding request body: object nesting too deep');
    try {
      // Duplicate keys: the last wins, as in JSON.parse (the check is quadratic in the yaml package).
      value = parseYaml(text, { maxAliasCount: 100, logLevel: 'error', uniqueKeys: false });
    } catch (e) {
      throw errors.badRequest(`error decoding request body: yaml: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  if (depth(value) > MAX_DEPTH) throw errors.badRequest('error decoding request body: object nesting too deep');
  if (format === 'yaml') {
    if (!isJsonData(value))
      throw errors.badRequest(
        'error decoding request body: yaml: only JSON data (maps, lists, strings, numbers, booleans, null) is accepted',
      );
    // YAML aliases share one object between fields; give each field its own copy.
    value = JSON.parse(JSON.stringify(value));
  }
  return value;
}
