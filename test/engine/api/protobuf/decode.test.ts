import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeK8sProtobuf } from '../../../../source/engine/api/protobuf/decode.ts';
import { envelope, str, varint } from './pb-builder.ts';

// Bodies captured from kubectl 1.32 (protobuf) and kubectl 1.31 (JSON) by test/fixtures/protobuf/capture.ts.
const FIXTURES = new URL('../../../fixtures/protobuf/', import.meta.url);
const names = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.bin'))
  .map((file) => file.slice(0, -4));

function body(name: string): Buffer {
  return readFileSync(new URL(`${name}.bin`, FIXTURES));
}

function decoded(name: string): Record<string, any> {
  return decodeK8sProtobuf(body(name));
}

describe('decodeK8sProtobuf on kubectl 1.32 create bodies', () => {
  it('has fixtures for every create command', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
  });

  it.each(names)('%s equals the JSON kubectl 1.31 posts for the same command', (name) => {
    const expected = JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8'));
    expect(decoded(name)).toStrictEqual(expected);
  });

  it('keeps a pointer field that is zero (--replicas=0) and drops zero value fields', () => {
    const deployment = decoded('deployment-replicas-0');
    expect(deployment.spec.replicas).toBe(0);
    expect(deployment.spec).not.toHaveProperty('minReadySeconds');
    expect(deployment.spec).not.toHaveProperty('paused');
    expect(deployment.spec.strategy).toEqual({});
    expect(deployment.status).toEqual({});
    expect(deployment.spec).not.toHaveProperty('revisionHistoryLimit');
    expect(decoded('deployment').spec.replicas).toBe(1); // kubectl's --replicas default
  });

  it('keeps zero values of fields without omitempty', () => {
    expect(decoded('priorityclass-zero').value).toBe(0);
    expect(decoded('poddisruptionbudget').status).toEqual({
      disruptionsAllowed: 0,
      currentHealthy: 0,
      desiredHealthy: 0,
      expectedPods: 0,
    });
    expect(decoded('clusterrole-aggregation').rules).toBeNull();
  });

  it('renders metav1.Time, IntOrString, Quantity and bytes like JSON', () => {
    expect(decoded('namespace').metadata).toEqual({ name: 'team-a', creationTimestamp: null });
    expect(decoded('service-loadbalancer').spec.ports[0].targetPort).toBe('https');
    expect(decoded('service-nodeport').spec.ports[0]).toMatchObject({ port: 80, targetPort: 8080, nodePort: 30080 });
    expect(decoded('poddisruptionbudget-percent').spec.maxUnavailable).toBe('50%');
    expect(decoded('quota').spec.hard).toEqual({ cpu: '1', memory: '1G', pods: '2', services: '3' });
    expect(decoded('secret-generic').data.user).toBe(Buffer.from('admin').toString('base64'));
    expect(decoded('configmap').binaryData.logo).toBe(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe, 0x01]).toString('base64'),
    );
  });

  it("decodes the DeleteOptions body of drain's DELETE, in any group version", () => {
    expect(decoded('drain-delete')).toStrictEqual({ kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 5 });
    expect(
      decodeK8sProtobuf(envelope('apps/v1', 'DeleteOptions', Buffer.concat([varint(1, 0), str(4, 'Foreground')]))),
    ).toStrictEqual({
      kind: 'DeleteOptions',
      apiVersion: 'apps/v1',
      gracePeriodSeconds: 0,
      propagationPolicy: 'Foreground',
    });
  });

  it('puts kind and apiVersion on the object', () => {
    expect(decoded('ingress')).toMatchObject({ kind: 'Ingress', apiVersion: 'networking.k8s.io/v1' });
    expect(decoded('token')).toMatchObject({ kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1' });
  });
});
