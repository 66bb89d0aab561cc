import { ApiError } from '../../store/errors.ts';
import { envelopeType, objectType } from './schema.ts';
import { toJson } from './tojson.ts';
import { readMessage, type Decoded } from './wire.ts';

const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/**
 * Decodes an `application/vnd.kubernetes.protobuf` request body (the `k8s\0` magic, then a
 * runtime.Unknown envelope around the object) into the object as Kubernetes JSON, with
 * apiVersion and kind set. Throws ApiError 400 BadRequest for anything it cannot decode.
 */
export function decodeK8sProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || MAGIC.some((byte, i) => body[i] !== byte)) {
    throw badRequest('the body does not start with the "k8s\\x00" prefix of Kubernetes protobuf');
  }
  let envelope: Decoded;
  try {
    envelope = readMessage(envelopeType(), body.subarray(MAGIC.length));
  } catch (error) {
    throw badRequest(`the runtime.Unknown envelope is malformed: ${describe(error)}`);
  }
  const typeMeta = envelope.values.get('typeMeta') as Decoded | undefined;
  const apiVersion = (typeMeta?.values.get('apiVersion') as string | undefined) ?? '';
  const kind = (typeMeta?.values.get('kind') as string | undefined) ?? '';
  const encoding = (envelope.values.get('contentEncoding') as string | undefined) ?? '';
  const contentType = (envelope.values.get('contentType') as string | undefined) ?? '';
  const raw = envelope.values.get('raw') as Uint8Array | undefined;

  if (!apiVersion || !kind) throw badRequest('the envelope does not name an apiVersion and kind');
  if (encoding) throw badRequest(`content encoding ${quote(encoding)} is not supported`);
  if (contentType && contentType !== PROTOBUF) throw badRequest(`content type ${quote(contentType)} is not supported`);
  if (!raw) throw badRequest('the envelope carries no object');
  const type = objectType(apiVersion, kind);
  if (!type) {
    throw badRequest(`no protobuf schema for kind ${quote(kind)} in version ${quote(apiVersion)}; send it as JSON`);
  }
  try {
    const object = toJson(readMessage(type, raw)) as Record<string, unknown>;
    return { kind, apiVersion, ...object };
  } catch (error) {
    throw badRequest(`the ${kind} object is malformed: ${describe(error)}`);
  }
}

function badRequest(detail: string): ApiError {
  return new ApiError(400, 'BadRequest', `unable to decode protobuf request body: ${detail}`);
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // protobufjs reports a length or varint that runs past the end as "index out of range: …".
  return message.startsWith('index out of range') ? `it ends in the middle of a field (${message})` : message;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}
