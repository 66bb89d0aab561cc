import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { objectType } from '../../../../source/engine/api/protobuf/schema.ts';
import { readMessage, type Decoded } from '../../../../source/engine/api/protobuf/wire.ts';
import { bytes, msg, str, varint } from './pb-builder.ts';

const podSecurity = () => {
  const pod = objectType('v1', 'Pod')!;
  const spec = pod.fields.spec.resolvedType as protobuf.Type;
  return spec.fields.securityContext.resolvedType as protobuf.Type;
};

describe('readMessage', () => {
  it('records only the fields on the wire', () => {
    const decoded = readMessage(podSecurity(), Buffer.concat([varint(2, 0), varint(3, 1)]));
    expect([...decoded.values]).toEqual([
      ['runAsUser', 0],
      ['runAsNonRoot', true],
    ]);
  });

  it('reads repeated scalars both unpacked and packed', () => {
    const packed = bytes(4, protobuf.Writer.create().int64(3).int64(4).finish());
    const decoded = readMessage(podSecurity(), Buffer.concat([varint(4, 1), varint(4, 2), packed]));
    expect(decoded.values.get('supplementalGroups')).toEqual([1, 2, 3, 4]);
  });

  it('reads int64 values as numbers', () => {
    const decoded = readMessage(podSecurity(), varint(2, 2 ** 40));
    expect(decoded.values.get('runAsUser')).toBe(2 ** 40);
  });

  it('skips unknown fields of every wire type', () => {
    const unknown = Buffer.concat([
      varint(99, 7),
      str(98, 'newer client'),
      protobuf.Writer.create()
        .uint32((97 << 3) | 1)
        .fixed64(1)
        .finish(),
      protobuf.Writer.create()
        .uint32((96 << 3) | 5)
        .fixed32(1)
        .finish(),
    ]);
    const decoded = readMessage(objectType('v1', 'Namespace')!, Buffer.concat([unknown, msg(1, str(1, 'a'), unknown)]));
    const metadata = decoded.values.get('metadata') as Decoded;
    expect([...metadata.values]).toEqual([['name', 'a']]);
  });

  it('merges a singular message field that appears twice', () => {
    const decoded = readMessage(
      objectType('v1', 'Namespace')!,
      Buffer.concat([msg(1, str(1, 'a')), msg(1, str(3, 'ns'))]),
    );
    const metadata = decoded.values.get('metadata') as Decoded;
    expect(Object.fromEntries(metadata.values)).toEqual({ name: 'a', namespace: 'ns' });
  });

  it('reads map entries, the last duplicate key winning, missing parts defaulting', () => {
    const entry = (...parts: Uint8Array[]) => msg(11, ...parts);
    const decoded = readMessage(
      objectType('v1', 'Namespace')!.fields.metadata.resolvedType as protobuf.Type,
      Buffer.concat([
        entry(str(1, 'a'), str(2, '1')),
        entry(str(1, 'a'), str(2, '2')),
        entry(str(2, 'v')),
        entry(str(1, 'b')),
      ]),
    );
    expect([...(decoded.values.get('labels') as Map<string, unknown>)]).toEqual([
      ['a', '2'],
      ['', 'v'],
      ['b', ''],
    ]);
  });

  it('rejects a wire type that does not match the field', () => {
    expect(() => readMessage(podSecurity(), str(2, 'root'))).toThrow(/runAsUser.*wire type 2/);
  });
});
