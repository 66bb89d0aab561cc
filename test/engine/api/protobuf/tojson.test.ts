import { describe, expect, it } from 'vitest';
import { objectType } from '../../../../source/engine/api/protobuf/schema.ts';
import { toJson } from '../../../../source/engine/api/protobuf/tojson.ts';
import { readMessage } from '../../../../source/engine/api/protobuf/wire.ts';
import { bytes, msg, str, varint } from './pb-builder.ts';

function json(apiVersion: string, kind: string, ...fields: Uint8Array[]): any {
  return toJson(readMessage(objectType(apiVersion, kind)!, Buffer.concat(fields)));
}

const metadata = msg(1, str(1, 'web'), msg(8));

describe('toJson', () => {
  it('keeps pointer fields only when they were sent, even when zero', () => {
    const zeroes = msg(2, varint(1, 0), varint(5, 0), varint(6, 0), varint(7, 0));
    const spec = json('apps/v1', 'Deployment', metadata, zeroes).spec;
    expect(spec).toMatchObject({ replicas: 0, revisionHistoryLimit: 0 });
    expect(Object.keys(spec)).not.toContain('minReadySeconds');
    expect(Object.keys(spec)).not.toContain('paused');
    // An absent pointer without omitempty is null, as Go writes a nil *LabelSelector.
    expect(json('apps/v1', 'Deployment', metadata, msg(2)).spec).toMatchObject({ selector: null });
    expect(Object.keys(json('apps/v1', 'Deployment', metadata, msg(2)).spec)).not.toContain('replicas');
    const job = msg(2, varint(1, 0), varint(2, 0), varint(7, 0), varint(10, 0), varint(5, 0));
    expect(json('batch/v1', 'Job', metadata, job).spec).toMatchObject({
      parallelism: 0,
      completions: 0,
      backoffLimit: 0,
      suspend: false,
      manualSelector: false,
    });
  });

  it('drops zero value fields and keeps empty value messages', () => {
    const service = msg(
      2,
      str(3, ''),
      str(4, ''),
      varint(12, 0),
      varint(13, 0),
      msg(1, str(1, ''), varint(3, 0), varint(5, 0)),
    );
    expect(json('v1', 'Service', metadata, service, msg(3, msg(1)))).toEqual({
      metadata: { name: 'web', creationTimestamp: null },
      spec: { ports: [{ port: 0 }] },
      status: { loadBalancer: {} },
    });
  });

  it('renders metav1.Time as RFC 3339 with seconds precision', () => {
    const times = (seconds: number, nanos = 0) =>
      json('v1', 'Namespace', msg(1, msg(8, varint(1, seconds), varint(2, nanos)))).metadata.creationTimestamp;
    expect(times(1714557600, 123456789)).toBe('2024-05-01T10:00:00Z');
    expect(times(0)).toBe('1970-01-01T00:00:00Z');
    expect(times(-62135596800)).toBe('0001-01-01T00:00:00Z');
    expect(json('v1', 'Namespace', msg(1, msg(8))).metadata.creationTimestamp).toBeNull();
    expect(json('v1', 'Namespace', msg(1)).metadata).toEqual({});
  });

  it('renders IntOrString as a number or a string', () => {
    const pdb = (value: Uint8Array) => json('policy/v1', 'PodDisruptionBudget', metadata, msg(2, value)).spec;
    expect(pdb(msg(1, varint(1, 0), varint(2, 2), str(3, '')))).toEqual({ minAvailable: 2 });
    expect(pdb(msg(3, varint(1, 1), varint(2, 0), str(3, '25%')))).toEqual({ maxUnavailable: '25%' });
    expect(pdb(msg(1))).toEqual({ minAvailable: 0 });
  });

  it('renders bytes as base64 and maps as objects', () => {
    const data = (key: string, value: Uint8Array) => msg(2, str(1, key), bytes(2, value));
    const secret = json(
      'v1',
      'Secret',
      metadata,
      data('a', Buffer.from('hi')),
      data('empty', new Uint8Array(0)),
      str(3, 'Opaque'),
    );
    expect(secret.data).toEqual({ a: 'aGk=', empty: '' });
    expect(secret.type).toBe('Opaque');
  });

  it('keeps a map key named __proto__ as an ordinary key', () => {
    const configMap = json('v1', 'ConfigMap', metadata, msg(2, str(1, '__proto__'), str(2, 'x')));
    expect(Object.keys(configMap.data)).toEqual(['__proto__']);
    expect(JSON.stringify(configMap.data)).toBe('{"__proto__":"x"}');
    expect(Object.getPrototypeOf(configMap.data)).toBe(Object.prototype);
  });

  it('merges inline messages into their parent', () => {
    const volume = msg(1, str(1, 'cfg'), msg(2, msg(19, msg(1, str(1, 'settings')), varint(3, 420))));
    const pod = json('v1', 'Pod', metadata, msg(2, volume)).spec;
    expect(pod.volumes).toEqual([{ name: 'cfg', configMap: { name: 'settings', defaultMode: 420 } }]);
    const probe = msg(10, msg(1, msg(2, str(1, '/healthz'), msg(2, varint(1, 1), str(3, 'http')))), varint(4, 5));
    const container = json('v1', 'Pod', metadata, msg(2, msg(2, str(1, 'web'), probe))).spec.containers[0];
    expect(container.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 });
  });

  it('renders UserInfo extra values as arrays', () => {
    const extra = (key: string, ...items: string[]) =>
      msg(4, str(1, key), msg(2, ...items.map((item) => str(1, item))));
    const review = json(
      'authentication.k8s.io/v1',
      'SelfSubjectReview',
      msg(2, msg(1, str(1, 'alice'), extra('scopes', 'a', 'b'), extra('none'))),
    );
    expect(review.status.userInfo).toEqual({ username: 'alice', extra: { scopes: ['a', 'b'], none: null } });
  });

  it('renders managedFields fieldsV1 as the JSON it carries', () => {
    const entry = msg(17, str(1, 'kubectl'), str(6, 'FieldsV1'), msg(7, str(1, '{"f:data":{}}')));
    expect(json('v1', 'ConfigMap', msg(1, entry)).metadata.managedFields).toEqual([
      { manager: 'kubectl', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': {} } },
    ]);
  });
});
