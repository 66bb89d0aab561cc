/** Hand-built protobuf bytes for tests: each helper returns one encoded field. */
import protobuf from 'protobufjs';

type Bytes = Uint8Array;

export function varint(field: number, value: number): Bytes {
  return protobuf.Writer.create()
    .uint32((field << 3) | 0)
    .int64(value)
    .finish();
}

export function bytes(field: number, value: Bytes): Bytes {
  return protobuf.Writer.create()
    .uint32((field << 3) | 2)
    .bytes(value)
    .finish();
}

export function str(field: number, value: string): Bytes {
  return bytes(field, Buffer.from(value, 'utf8'));
}

export function msg(field: number, ...parts: Bytes[]): Bytes {
  return bytes(field, Buffer.concat(parts));
}

/** The `k8s\0` magic and a runtime.Unknown envelope around `raw`. */
export function envelope(apiVersion: string, kind: string, raw: Bytes, extra: Bytes[] = []): Buffer {
  return Buffer.concat([Buffer.from('k8s\0'), msg(1, str(1, apiVersion), str(2, kind)), bytes(2, raw), ...extra]);
}
