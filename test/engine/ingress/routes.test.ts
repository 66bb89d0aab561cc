import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { Routes } from '../../../source/engine/ingress/routes.ts';

const ingress = (name: string, created: string, service: string): KObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: created },
  spec: {
    rules: [
      {
        host: 'a.example.com',
        http: {
          paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service, port: { number: 80 } } } }],
        },
      },
    ],
  },
});

describe('Routes: the oldest ingress wins a conflicting rule', () => {
  it('by creation time', () => {
    const r = new Routes([ingress('b', '2026-01-01T00:00:01Z', 'new'), ingress('z', '2026-01-01T00:00:00Z', 'old')]);
    expect(r.match('a.example.com', '/')?.service).toBe('old');
    expect(r.conflicts.map((c) => c.loser.metadata.name)).toEqual(['b']);
  });

  it('within one second, by the order the controller saw them, not by name', () => {
    const first = ingress('web', '2026-01-01T00:00:00Z', 'first');
    const second = ingress('dup', '2026-01-01T00:00:00Z', 'second');
    const seen = new Map([
      ['uid-web', 1],
      ['uid-dup', 2],
    ]);
    const r = new Routes([second, first], (a, b) => seen.get(a.metadata.uid!)! - seen.get(b.metadata.uid!)!);
    expect(r.match('a.example.com', '/')?.service).toBe('first');
    expect(r.conflicts.map((c) => c.loser.metadata.name)).toEqual(['dup']);
    // Without an order, the name decides (deterministic, but not "oldest").
    expect(new Routes([second, first]).match('a.example.com', '/')?.service).toBe('second');
  });
});
