import type { Field, Struct } from './openapi-catalogue.ts';

/**
 * Strict decoding errors (`unknown field "a.b"`, `duplicate field "a.b"`), deduplicated and capped
 * at 100 like sigs.k8s.io/json's.
 */
export class StrictErrors {
  readonly list: string[] = [];
  private seen = new Set<string>();

  add(type: 'unknown' | 'duplicate', path: string, prefix = ''): void {
    const text = `${prefix}${type} field ${JSON.stringify(path)}`;
    if (this.list.length >= 100 || this.seen.has(text)) return;
    this.seen.add(text);
    this.list.push(text);
  }
}

/** How a JSON value is checked: a typed struct, a map or list of something, free-form (any), or not at all. */
export type Shape =
  { k: 'struct'; s: Struct } | { k: 'map'; of: Shape } | { k: 'list'; of: Shape } | { k: 'any' } | { k: 'skip' };

const SKIP: Shape = { k: 'skip' };
export const ANY: Shape = { k: 'any' };
const shapes = new WeakMap<Field, Shape>();

export function shapeOf(f: Field): Shape {
  const known = shapes.get(f);
  if (known) return known;
  const one: Shape = f.type.kind === 'struct' ? { k: 'struct', s: f.type } : SKIP;
  const s: Shape = f.shape === 'one' ? one : { k: f.shape, of: one };
  shapes.set(f, s);
  return s;
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * Walks raw JSON text (already known to parse) the way Go's strict decoder does and records unknown
 * and duplicate fields in document order. A key both unknown and repeated counts as unknown only.
 */
export function scanJson(text: string, root: Shape, errs: StrictErrors, prefix = ''): void {
  let i = 0;
  const n = text.length;

  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return;
      i++;
    }
  };
  // i is at the opening quote; leaves i after the closing one and returns the raw slice.
  const string = (): string => {
    const start = i;
    let j = i + 1;
    for (;;) {
      const q = text.indexOf('"', j);
      if (q < 0) {
        i = n;
        return text.slice(start);
      }
      let backslashes = 0;
      while (text.charCodeAt(q - 1 - backslashes) === 92) backslashes++;
      if (backslashes % 2 === 0) {
        i = q + 1;
        return text.slice(start, i);
      }
      j = q + 1;
    }
  };
  const key = (): string => {
    const raw = string();
    return raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
  };

  const value = (shape: Shape, path: string): void => {
    ws();
    const c = text.charCodeAt(i);
    if (c === 123) object(shape, path);
    else if (c === 91) array(shape, path);
    else if (c === 34) string();
    else while (i < n && !',}] \n\r\t'.includes(text[i]!)) i++;
  };

  const array = (shape: Shape, path: string): void => {
    i++;
    const of = shape.k === 'list' ? shape.of : shape.k === 'any' ? ANY : SKIP;
    for (let index = 0; ; index++) {
      ws();
      if (text.charCodeAt(i) === 93 || i >= n) break;
      value(of, of.k === 'skip' ? '' : `${path}[${index}]`);
      ws();
      if (text.charCodeAt(i) === 44) i++;
    }
    i++;
  };

  const object = (shape: Shape, path: string): void => {
    i++;
    let seen: Set<string> | undefined;
    for (;;) {
      ws();
      if (text.charCodeAt(i) === 125 || i >= n) break;
      const k = key();
      ws();
      i++; // ':'
      let next: Shape = SKIP;
      let check = shape.k === 'map' || shape.k === 'any';
      if (shape.k === 'struct') {
        const f = shape.s.fields[k];
        if (!f) errs.add('unknown', join(path, k), prefix);
        else [next, check] = [shapeOf(f), true];
      } else if (shape.k === 'map') next = shape.of;
      else if (shape.k === 'any') next = ANY;
      if (check) {
        seen ??= new Set();
        if (seen.has(k)) errs.add('duplicate', join(path, k), prefix);
        else seen.add(k);
      }
      value(next, next.k === 'skip' ? '' : join(path, k));
      ws();
      if (text.charCodeAt(i) === 44) i++;
    }
    i++;
  };

  value(root, '');
}
