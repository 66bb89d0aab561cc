import type { Field, Struct } from '../openapi-catalogue.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function got(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'map';
  return typeof v === 'number' ? 'numeric' : typeof v;
}

/**
 * What server-side apply's typed conversion refuses in an apply configuration: fields the
 * schema does not declare, and values of the wrong type. Paths are written as the apiserver does.
 */
export function typeErrors(s: Struct, obj: Record<string, unknown>, path = ''): string[] {
  const out: string[] = [];
  for (const [key, v] of Object.entries(obj)) {
    const p = `${path}.${key}`;
    const f = s.fields[key];
    if (!f) {
      out.push(`${p}: field not declared in schema`);
      continue;
    }
    if (v === null) continue;
    checkField(f, v, p, out);
  }
  return out;
}

function checkField(f: Field, v: unknown, p: string, out: string[]): void {
  if (f.shape === 'list') {
    if (!Array.isArray(v)) return void out.push(`${p}: expected list, got ${got(v)}`);
    v.forEach((item, i) => item !== null && checkOne(f, item, `${p}[${i}]`, out));
    return;
  }
  if (f.shape === 'map') {
    if (!isObject(v)) return void out.push(`${p}: expected map, got ${got(v)}`);
    for (const [k, item] of Object.entries(v)) if (item !== null) checkOne(f, item, `${p}.${k}`, out);
    return;
  }
  checkOne(f, v, p, out);
}

function checkOne(f: Field, v: unknown, p: string, out: string[]): void {
  const t = f.type;
  if (t.kind === 'struct') {
    if (!isObject(v)) return void out.push(`${p}: expected map, got ${got(v)}`);
    out.push(...typeErrors(t, v, p));
    return;
  }
  if (t.format === 'int-or-string') {
    if (typeof v !== 'string' && typeof v !== 'number') out.push(`${p}: expected string or numeric, got ${got(v)}`);
    return;
  }
  if (t.name && t.type === 'string' && typeof v === 'number') return; // Quantity accepts numbers
  switch (t.type) {
    case 'string':
      if (typeof v !== 'string') out.push(`${p}: expected string, got ${got(v)}`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') out.push(`${p}: expected boolean, got ${got(v)}`);
      return;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v))
        out.push(`${p}: expected numeric (int or float), got ${got(v)}`);
      return;
    case 'number':
      if (typeof v !== 'number') out.push(`${p}: expected numeric (int or float), got ${got(v)}`);
      return;
    default:
      return;
  }
}
