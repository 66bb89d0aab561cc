import protobuf from 'protobufjs';

/**
 * A message read off the wire, keeping presence: `values` holds only the fields that were on the
 * wire. Scalars are number | string | boolean | Uint8Array, messages are Decoded, repeated fields
 * arrays, map fields JS Maps (so a key like `__proto__` stays an ordinary key).
 */
export interface Decoded {
  type: protobuf.Type;
  values: Map<string, unknown>;
}

const MAX_DEPTH = 64;
const LENGTH_DELIMITED = 2;

/** Reads `bytes` as `type`. Throws an Error on malformed input; unknown fields are skipped. */
export function readMessage(type: protobuf.Type, bytes: Uint8Array, depth = 0): Decoded {
  if (depth > MAX_DEPTH) throw new Error('messages are nested too deeply');
  const reader = protobuf.Reader.create(bytes);
  const values = new Map<string, unknown>();
  // A singular message field that occurs twice is merged, which is what reading the concatenation does.
  const messageChunks = new Map<protobuf.Field, Uint8Array[]>();

  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const number = tag >>> 3;
    const wireType = tag & 7;
    if (number === 0) throw new Error('field number 0 is invalid');
    const field = type.fieldsById[number];
    if (!field) {
      skipField(reader, wireType);
    } else if (field instanceof protobuf.MapField) {
      expectWireType(field, wireType, LENGTH_DELIMITED);
      let map = values.get(field.name) as Map<string, unknown> | undefined;
      if (!map) values.set(field.name, (map = new Map()));
      const [key, value] = readMapEntry(field, reader.bytes(), depth + 1);
      map.set(key, value);
    } else if (field.resolvedType instanceof protobuf.Type) {
      expectWireType(field, wireType, LENGTH_DELIMITED);
      const bytes = reader.bytes();
      if (field.repeated) listOf(values, field).push(readMessage(field.resolvedType, bytes, depth + 1));
      else if (messageChunks.has(field)) messageChunks.get(field)!.push(bytes);
      else messageChunks.set(field, [bytes]);
    } else {
      readScalarField(reader, field, wireType, values);
    }
  }
  for (const [field, chunks] of messageChunks) {
    const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    values.set(field.name, readMessage(field.resolvedType as protobuf.Type, bytes, depth + 1));
  }
  return { type, values };
}

function readScalarField(
  reader: protobuf.Reader,
  field: protobuf.Field,
  wireType: number,
  values: Map<string, unknown>,
) {
  const expected = scalarWireType(field);
  if (field.repeated && wireType === LENGTH_DELIMITED && expected !== LENGTH_DELIMITED) {
    // Packed encoding: one length-delimited run of values.
    const end = reader.uint32() + reader.pos;
    if (end > reader.len) throw new Error(`field "${field.name}" runs past the end of its message`);
    const list = listOf(values, field);
    while (reader.pos < end) list.push(readScalar(reader, field.type));
    if (reader.pos !== end) throw new Error(`field "${field.name}" has a malformed packed value`);
    return;
  }
  expectWireType(field, wireType, expected);
  const value = readScalar(reader, field.type);
  if (field.repeated) listOf(values, field).push(value);
  else values.set(field.name, value);
}

function readMapEntry(field: protobuf.MapField, bytes: Uint8Array, depth: number): [string, unknown] {
  const reader = protobuf.Reader.create(bytes);
  const valueType = field.resolvedType instanceof protobuf.Type ? field.resolvedType : undefined;
  let key: unknown = field.keyType === 'string' ? '' : 0;
  let value: unknown = valueType ? undefined : zeroScalar(field.type);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const wireType = tag & 7;
    if (tag >>> 3 === 1) {
      expectWireType(field, wireType, wireTypeOf(field.keyType));
      key = readScalar(reader, field.keyType);
    } else if (tag >>> 3 === 2 && valueType) {
      expectWireType(field, wireType, LENGTH_DELIMITED);
      value = readMessage(valueType, reader.bytes(), depth);
    } else if (tag >>> 3 === 2) {
      expectWireType(field, wireType, wireTypeOf(field.type));
      value = readScalar(reader, field.type);
    } else {
      skipField(reader, wireType);
    }
  }
  return [String(key), value ?? readMessage(valueType as protobuf.Type, new Uint8Array(0), depth)];
}

function readScalar(reader: protobuf.Reader, type: string): unknown {
  switch (type) {
    case 'string':
      return reader.string();
    case 'bytes':
      return reader.bytes();
    case 'bool':
      return reader.bool();
    case 'int32':
      return reader.int32();
    // protobufjs returns a Long when the long package is installed.
    case 'int64':
      return longToNumber(reader.int64() as unknown as number | { toNumber(): number });
    default:
      throw new Error(`unsupported scalar type ${type}`);
  }
}

function zeroScalar(type: string): unknown {
  if (type === 'string') return '';
  if (type === 'bytes') return new Uint8Array(0);
  if (type === 'bool') return false;
  return 0;
}

function longToNumber(value: number | { toNumber(): number }): number {
  return typeof value === 'number' ? value : value.toNumber();
}

function wireTypeOf(type: string): number | undefined {
  return (protobuf.types.basic as Record<string, number>)[type];
}

function scalarWireType(field: protobuf.Field): number {
  const wireType = wireTypeOf(field.type);
  if (wireType === undefined) throw new Error(`unsupported type ${field.type} for field "${field.name}"`);
  return wireType;
}

function expectWireType(field: protobuf.FieldBase, actual: number, expected: number | undefined) {
  if (actual !== expected) throw new Error(`field "${field.name}" has wire type ${actual}, expected ${expected}`);
}

/** Kubernetes never uses groups (wire types 3 and 4); refusing them avoids unbounded recursion. */
function skipField(reader: protobuf.Reader, wireType: number) {
  if (wireType !== 0 && wireType !== 1 && wireType !== 2 && wireType !== 5) {
    throw new Error(`invalid wire type ${wireType}`);
  }
  reader.skipType(wireType);
}

function listOf(values: Map<string, unknown>, field: protobuf.Field): unknown[] {
  let list = values.get(field.name) as unknown[] | undefined;
  if (!list) values.set(field.name, (list = []));
  return list;
}
