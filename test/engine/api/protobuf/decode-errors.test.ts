import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeK8sProtobuf } from '../../../../source/engine/api/protobuf/decode.ts';
import { ApiError } from '../../../../source/engine/store/errors.ts';
import { envelope, msg, str, varint } from './pb-builder.ts';

const FIXTURES = new URL('../../../fixtures/protobuf/', import.meta.url);
const bodies = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.bin'))
  .map((file) => readFileSync(new URL(file, FIXTURES)));
const namespace = msg(1, str(1, 'team-a'));

function rejection(body: Buffer): ApiError {
  try {
    decodeK8sProtobuf(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(400);
    expect((error as ApiError).reason).toBe('BadRequest');
    return error as ApiError;
  }
  throw new Error('expected the body to be rejected');
}

/** Decoding either succeeds or fails with a 400 ApiError: nothing else may escape. */
function decodesOrRejects(body: Buffer) {
  try {
    decodeK8sProtobuf(body);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 400) throw error;
  }
}

describe('decodeK8sProtobuf rejects bad bodies with 400 BadRequest', () => {
  it('without the k8s\\0 magic', () => {
    expect(rejection(Buffer.alloc(0)).message).toMatch(/k8s\\x00/);
    expect(rejection(Buffer.from('k8s')).message).toMatch(/prefix/);
    expect(rejection(Buffer.from('{"kind":"Namespace","apiVersion":"v1"}')).message).toMatch(/prefix/);
  });

  it('with an unknown kind, group or version', () => {
    expect(rejection(envelope('v1', 'Widget', namespace)).message).toMatch(
      /no protobuf schema for kind "Widget" in version "v1"/,
    );
    expect(rejection(envelope('example.com/v1', 'Namespace', namespace)).message).toMatch(/no protobuf schema/);
    expect(rejection(envelope('v2', 'Namespace', namespace)).message).toMatch(/no protobuf schema/);
    expect(rejection(envelope('v1', 'PodSpec', namespace)).message).toMatch(/no protobuf schema/);
    expect(rejection(envelope('v1', 'k8s.io.api.core.v1.Namespace', namespace)).message).toMatch(/no protobuf schema/);
  });

  it('with an incomplete envelope', () => {
    expect(rejection(Buffer.from('k8s\0')).message).toMatch(/apiVersion and kind/);
    const noRaw = Buffer.concat([Buffer.from('k8s\0'), msg(1, str(1, 'v1'), str(2, 'Namespace'))]);
    expect(rejection(noRaw).message).toMatch(/no object/);
    expect(rejection(envelope('v1', 'Namespace', namespace, [str(3, 'gzip')])).message).toMatch(/encoding "gzip"/);
    expect(rejection(envelope('v1', 'Namespace', namespace, [str(4, 'application/json')])).message).toMatch(
      /content type/,
    );
  });

  it('with malformed protobuf', () => {
    expect(rejection(envelope('v1', 'Namespace', Buffer.from([0x0a, 0x10, 0x0a]))).message).toMatch(
      /Namespace object is malformed/,
    );
    expect(rejection(envelope('v1', 'Namespace', Buffer.from([0x00, 0x01]))).message).toMatch(/field number 0/);
    expect(rejection(envelope('v1', 'Namespace', varint(1, 5))).message).toMatch(/wire type 0/);
    expect(rejection(envelope('v1', 'Namespace', Buffer.from([0x0b, 0x0b, 0x0c, 0x0c]))).message).toMatch(
      /wire type 3/,
    );
    expect(rejection(envelope('v1', 'Namespace', Buffer.from([0x0f]))).message).toMatch(/wire type 7/);
    expect(rejection(envelope('v1', 'Namespace', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]))).message).toMatch(
      /malformed/,
    );
    expect(rejection(Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x12, 0x80])])).message).toMatch(
      /envelope is malformed/,
    );
  });

  it('with values Go could not represent', () => {
    const port = msg(1, varint(3, 80), msg(4, varint(1, 7))); // targetPort: an IntOrString of type 7
    expect(rejection(envelope('v1', 'Service', Buffer.concat([namespace, msg(2, port)]))).message).toMatch(
      /IntOrString/,
    );
    const farFuture = msg(1, msg(8, varint(1, 1e15))); // metadata.creationTimestamp in year ~31 million
    expect(rejection(envelope('v1', 'Namespace', farFuture)).message).toMatch(/out of range/);
    const badFields = msg(1, msg(17, msg(7, str(1, '{not json')))); // metadata.managedFields[0].fieldsV1
    expect(rejection(envelope('v1', 'Namespace', badFields)).message).toMatch(/not valid JSON/);
  });
});

describe('decodeK8sProtobuf never crashes or hangs', () => {
  // Deterministic so that a failure can be replayed.
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it('on every truncation of every fixture', () => {
    for (const body of bodies) {
      for (let length = 0; length < body.length; length++) decodesOrRejects(body.subarray(0, length));
    }
  });

  it('on fixtures with random bytes changed', () => {
    for (let round = 0; round < 2000; round++) {
      const body = Buffer.from(bodies[round % bodies.length]);
      for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) {
        body[4 + Math.floor(random() * (body.length - 4))] = Math.floor(random() * 256);
      }
      decodesOrRejects(body);
    }
  });

  it('on random bytes after the magic', () => {
    for (let round = 0; round < 1500; round++) {
      const noise = Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256)));
      decodesOrRejects(Buffer.concat([Buffer.from('k8s\0'), noise]));
      decodesOrRejects(envelope('apps/v1', 'Deployment', noise));
    }
  });

  it('on deeply nested and huge length prefixes', () => {
    let nested: Uint8Array = str(1, 'x');
    for (let depth = 0; depth < 2_000; depth++) nested = msg(1, nested);
    decodesOrRejects(envelope('v1', 'Namespace', nested));
    decodesOrRejects(envelope('v1', 'Namespace', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00])));
    decodesOrRejects(envelope('v1', 'Namespace', Buffer.alloc(10_000, 0x7b))); // start-group tags of field 15
  });
});
