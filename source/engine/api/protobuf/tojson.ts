import type protobuf from 'protobufjs';
import type { Decoded } from './wire.ts';

/**
 * Renders a decoded message the way Go's encoding/json renders the k8s.io/api struct it came
 * from (see schema.ts for the field options). Throws an Error for values Go would reject.
 */
export function toJson(message: Decoded): unknown {
  switch (message.type.fullName) {
    case '.k8s.io.apimachinery.pkg.apis.meta.v1.Time':
      return timeJson(message);
    case '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime':
      return microTimeJson(message);
    case '.k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1':
      return fieldsJson(message);
    case '.k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return intOrStringJson(message);
    case '.k8s.io.apimachinery.pkg.api.resource.Quantity':
      return message.values.get('string') ?? '';
    case '.k8s.io.api.authentication.v1.ExtraValue':
    case '.k8s.io.api.authorization.v1.ExtraValue':
      return message.values.get('items') ?? null;
    default:
      return objectJson(message);
  }
}

function objectJson(message: Decoded): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of message.type.fieldsArray) {
    const options = field.options ?? {};
    const always = options['(always)'] === true;
    const value = message.values.get(field.name);
    if (options['(inline)'] === true) {
      if (value !== undefined) Object.assign(out, toJson(value as Decoded));
    } else if (field.map) {
      const map = value as Map<string, unknown> | undefined;
      if (map?.size) out[field.name] = mapJson(map, field);
      else if (always) out[field.name] = null;
    } else if (field.repeated) {
      const list = value as unknown[] | undefined;
      if (list?.length) out[field.name] = list.map((item) => valueJson(item, field));
      else if (always) out[field.name] = null;
    } else if (field.resolvedType) {
      if (value !== undefined) out[field.name] = toJson(value as Decoded);
      else if (always) out[field.name] = null;
    } else if (value !== undefined) {
      if (always || options['(ptr)'] === true || !isZero(value)) out[field.name] = valueJson(value, field);
    } else if (always) {
      out[field.name] = options['(ptr)'] === true || field.type === 'bytes' ? null : zeroJson(field.type);
    }
  }
  return out;
}

function mapJson(map: Map<string, unknown>, field: protobuf.Field): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of map) {
    // Plain assignment would treat "__proto__" as the prototype setter.
    Object.defineProperty(out, key, {
      value: valueJson(value, field),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function valueJson(value: unknown, field: protobuf.Field): unknown {
  if (field.resolvedType) return toJson(value as Decoded);
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return value;
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false || (value instanceof Uint8Array && value.length === 0);
}

function zeroJson(type: string): unknown {
  if (type === 'string') return '';
  if (type === 'bool') return false;
  return 0;
}

// Go's time.Time can only be written as JSON for years 0000–9999.
const MIN_SECONDS = -62167219200;
const MAX_SECONDS = 253402300799;

function timeJson(message: Decoded): string | null {
  if (message.values.size === 0) return null;
  const seconds = (message.values.get('seconds') as number | undefined) ?? 0;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw new Error(`time ${seconds}s is out of range`);
  // metav1.Time is written with seconds precision; nanos are dropped.
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** metav1.MicroTime is written with microsecond precision (`2006-01-02T15:04:05.000000Z`). */
function microTimeJson(message: Decoded): string | null {
  if (message.values.size === 0) return null;
  const seconds = (message.values.get('seconds') as number | undefined) ?? 0;
  const nanos = (message.values.get('nanos') as number | undefined) ?? 0;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw new Error(`time ${seconds}s is out of range`);
  const base = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

function fieldsJson(message: Decoded): unknown {
  const raw = message.values.get('raw') as Uint8Array | undefined;
  if (!raw?.length) return null;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch {
    throw new Error('managedFields fieldsV1 is not valid JSON');
  }
}

function intOrStringJson(message: Decoded): number | string {
  const type = (message.values.get('type') as number | undefined) ?? 0;
  if (type === 0) return (message.values.get('intVal') as number | undefined) ?? 0;
  if (type === 1) return (message.values.get('strVal') as string | undefined) ?? '';
  throw new Error(`IntOrString has unknown type ${type}`);
}
