import { ApiError } from '../../store/errors.ts';
import {
  badRequest,
  brief,
  cloneJson,
  deepEqual,
  getOwn,
  hasOwn,
  isObject,
  setOwn,
  type Json,
  type JsonObject,
} from './json-value.ts';

// Both limits are the apiserver's (maxJSONPatchOperations, JSONPatchMaxCopyBytes).
export const MAX_OPERATIONS = 10000;
export const MAX_COPY_BYTES = 3 * 1024 * 1024;

type OpName = 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
interface Operation {
  op: OpName;
  path: string;
  tokens: string[];
  from?: string;
  fromTokens?: string[];
  value?: Json;
}

const OPS = new Set<string>(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** RFC 6902 JSON patch. `doc` is the caller's private copy; returns the patched document. */
export function applyJsonPatch(doc: JsonObject, body: Json): JsonObject {
  const ops = parseOperations(body);
  const root: { doc: Json } = { doc };
  let copied = 0;
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        add(root, op, op.tokens, cloneJson(op.value!));
        break;
      case 'remove':
        remove(root, op, op.tokens);
        break;
      case 'replace':
        replace(root, op, cloneJson(op.value!));
        break;
      case 'move': {
        if (op.path === op.from) break;
        if (op.path.startsWith(op.from + '/')) fail(op, `cannot move "${op.from}" into its own child "${op.path}"`);
        add(root, op, op.tokens, remove(root, op, op.fromTokens!, op.from));
        break;
      }
      case 'copy': {
        const value = get(root.doc, op.fromTokens!);
        if (value === undefined) fail(op, `doc is missing from path: "${op.from}"`);
        copied += (JSON.stringify(value) ?? '').length;
        if (copied > MAX_COPY_BYTES) {
          fail(
            op,
            `unable to complete the copy, the accumulated size increase of copy is ${copied}, exceeding the limit ${MAX_COPY_BYTES}`,
          );
        }
        add(root, op, op.tokens, cloneJson(value));
        break;
      }
      case 'test': {
        const value = get(root.doc, op.tokens);
        if (value === undefined || !deepEqual(value, op.value!)) fail(op, `testing value "${op.path}" failed`);
        break;
      }
    }
  }
  if (!isObject(root.doc)) throw invalid('the patched document is not a JSON object');
  return root.doc;
}

function parseOperations(body: Json): Operation[] {
  if (!Array.isArray(body)) throw badRequest('a JSON patch must be an array of operations');
  if (body.length > MAX_OPERATIONS) {
    throw new ApiError(
      413,
      'RequestEntityTooLarge',
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_OPERATIONS}, got ${body.length}`,
    );
  }
  return body.map((raw, i) => {
    if (!isObject(raw)) throw badRequest(`JSON patch operation ${i} is not an object`);
    const op = getOwn(raw, 'op');
    const path = getOwn(raw, 'path');
    if (typeof op !== 'string' || !OPS.has(op))
      throw badRequest(`JSON patch operation ${i} has an unknown "op": ${brief(op)}`);
    if (typeof path !== 'string') throw badRequest(`JSON patch operation ${i} (${op}) is missing a string "path"`);
    const parsed: Operation = { op: op as OpName, path, tokens: parsePointer(path, i) };
    if (op === 'move' || op === 'copy') {
      const from = getOwn(raw, 'from');
      if (typeof from !== 'string') throw badRequest(`JSON patch operation ${i} (${op}) is missing a string "from"`);
      parsed.from = from;
      parsed.fromTokens = parsePointer(from, i);
    }
    if (op === 'add' || op === 'replace' || op === 'test') {
      if (!hasOwn(raw, 'value')) throw badRequest(`JSON patch operation ${i} (${op} "${path}") is missing "value"`);
      parsed.value = raw.value;
    }
    return parsed;
  });
}

/** RFC 6901: "" is the whole document; `~1` is `/`, `~0` is `~`. */
export function parsePointer(pointer: string, opIndex = 0): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/'))
    throw badRequest(`JSON patch operation ${opIndex}: JSON pointer "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => {
      if (/~[^01]|~$/.test(token))
        throw badRequest(`JSON patch operation ${opIndex}: invalid escape in JSON pointer "${pointer}"`);
      return token.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

function invalid(detail: string): ApiError {
  return new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${detail}`);
}

function fail(op: Operation, detail: string): never {
  throw invalid(`${op.op} operation does not apply: ${detail}`);
}

/** Array index per RFC 6901 (no sign, no leading zeros); `undefined` when malformed. */
function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}

function child(container: Json, token: string): Json | undefined {
  if (Array.isArray(container)) {
    const i = arrayIndex(token);
    return i !== undefined && i < container.length ? container[i] : undefined;
  }
  return isObject(container) ? getOwn(container, token) : undefined;
}

function get(doc: Json, tokens: string[]): Json | undefined {
  let current: Json | undefined = doc;
  for (const token of tokens) {
    if (current === undefined) return undefined;
    current = child(current, token);
  }
  return current;
}

function parentOf(root: { doc: Json }, op: Operation, tokens: string[], pointer: string): Json {
  const parent = get(root.doc, tokens.slice(0, -1));
  if (parent === undefined || parent === null || typeof parent !== 'object') {
    fail(op, `doc is missing path: "${pointer}"`);
  }
  return parent;
}

function add(root: { doc: Json }, op: Operation, tokens: string[], value: Json): void {
  if (tokens.length === 0) {
    root.doc = value;
    return;
  }
  const parent = parentOf(root, op, tokens, op.path);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : arrayIndex(last);
    if (i === undefined || i > parent.length) fail(op, `index out of bounds at "${op.path}"`);
    parent.splice(i, 0, value);
  } else {
    setOwn(parent as JsonObject, last, value);
  }
}

function remove(root: { doc: Json }, op: Operation, tokens: string[], pointer = op.path): Json {
  if (tokens.length === 0) fail(op, 'cannot remove the whole document');
  const parent = parentOf(root, op, tokens, pointer);
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = arrayIndex(last);
    if (i === undefined || i >= parent.length) fail(op, `doc is missing path: "${pointer}"`);
    return parent.splice(i, 1)[0];
  }
  const obj = parent as JsonObject;
  if (!hasOwn(obj, last)) fail(op, `doc is missing path: "${pointer}"`);
  const value = obj[last];
  delete obj[last];
  return value;
}

function replace(root: { doc: Json }, op: Operation, value: Json): void {
  if (op.tokens.length === 0) {
    root.doc = value;
    return;
  }
  const parent = parentOf(root, op, op.tokens, op.path);
  const last = op.tokens[op.tokens.length - 1];
  if (Array.isArray(parent)) {
    const i = arrayIndex(last);
    if (i === undefined || i >= parent.length) fail(op, `doc is missing path: "${op.path}"`);
    parent[i] = value;
  } else {
    if (!hasOwn(parent as JsonObject, last)) fail(op, `doc is missing path: "${op.path}"`);
    setOwn(parent as JsonObject, last, value);
  }
}
