import { kindSchema, type Field, type Leaf, type Struct } from '../openapi-catalogue.ts';
import { ATOMIC_MAPS, ATOMIC_STRUCTS, listInfo } from './list-types.ts';

/**
 * What server-side apply needs to know about a value's type: structs and maps hold fields
 * (granular unless atomic), lists are atomic, sets or maps keyed by some of their elements' fields.
 * `any` is the "deduced" type of schema-less values: objects are granular, lists atomic.
 */
export type TypeNode =
  | { k: 'scalar' }
  | { k: 'any' }
  | { k: 'struct'; atomic?: boolean; field(name: string): TypeNode }
  | { k: 'map'; atomic?: boolean; elem: TypeNode }
  | {
      k: 'list';
      listType: 'atomic' | 'set' | 'map';
      keys?: string[];
      keyDefaults?: Record<string, unknown>;
      elem: TypeNode;
    };

export const SCALAR: TypeNode = { k: 'scalar' };
export const ANY: TypeNode = { k: 'any' };

/** Whether a value of this type is owned as one leaf (no ownership below it). */
export function isAtomic(t: TypeNode): boolean {
  if (t.k === 'scalar') return true;
  if (t.k === 'list') return t.listType === 'atomic';
  if (t.k === 'struct' || t.k === 'map') return !!t.atomic;
  return false;
}

const short = (s: Struct): string => s.name.slice(s.name.lastIndexOf('.') + 1);

const cache = new Map<Struct, TypeNode>();

function structNode(s: Struct): TypeNode {
  const known = cache.get(s);
  if (known) return known;
  const fields = new Map<string, TypeNode>();
  const node: TypeNode = {
    k: 'struct',
    atomic: ATOMIC_STRUCTS.has(short(s)),
    field(name: string): TypeNode {
      let t = fields.get(name);
      if (!t) {
        const f = s.fields[name];
        t = f ? fieldNode(s, name, f) : ANY;
        fields.set(name, t);
      }
      return t;
    },
  };
  cache.set(s, node);
  return node;
}

function leafNode(l: Leaf): TypeNode {
  // RawExtension and FieldsV1 hold arbitrary JSON.
  return l.type === 'object' ? ANY : SCALAR;
}

function fieldNode(owner: Struct, name: string, f: Field): TypeNode {
  const one = f.type.kind === 'struct' ? structNode(f.type) : leafNode(f.type);
  const where = `${short(owner)}.${name}`;
  if (f.shape === 'map') return { k: 'map', atomic: ATOMIC_MAPS.has(where), elem: one };
  if (f.shape === 'list') {
    const info = listInfo(where, name);
    if (!info) return { k: 'list', listType: 'atomic', elem: one };
    return { k: 'list', listType: info.type, keys: info.keys, keyDefaults: info.defaults, elem: one };
  }
  return one;
}

/** The SSA type of a built-in kind, or undefined when the catalogue does not know it. */
export function builtinType(group: string, version: string, kind: string): TypeNode | undefined {
  const s = kindSchema(group, version, kind);
  return s ? structNode(s) : undefined;
}

/** The type of a kind the catalogue does not know: its metadata is ObjectMeta, the rest deduced. */
export function deducedObjectType(): TypeNode {
  const meta = builtinType('', 'v1', 'ConfigMap');
  const metaType = meta && meta.k === 'struct' ? meta.field('metadata') : ANY;
  return { k: 'struct', field: (name) => (name === 'metadata' ? metaType : ANY) };
}
