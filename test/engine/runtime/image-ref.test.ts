import { describe, expect, it } from 'vitest';
import { InvalidImageNameError } from '../../../source/engine/runtime/errors.ts';
import { fakeDigest, parseImageRef } from '../../../source/engine/runtime/image-ref.ts';

describe('parseImageRef', () => {
  it('normalizes Docker Hub names', () => {
    expect(parseImageRef('nginx').full).toBe('docker.io/library/nginx:latest');
    expect(parseImageRef('nginx:1.25').full).toBe('docker.io/library/nginx:1.25');
    expect(parseImageRef('docker.io/library/nginx:1.25').full).toBe('docker.io/library/nginx:1.25');
    expect(parseImageRef('index.docker.io/library/nginx').repository).toBe('docker.io/library/nginx');
    expect(parseImageRef('bitnami/redis:7').full).toBe('docker.io/bitnami/redis:7');
  });

  it('keeps other registries and ports', () => {
    const r = parseImageRef('registry.k8s.io/coredns/coredns:v1.11.1');
    expect(r).toMatchObject({ domain: 'registry.k8s.io', path: 'coredns/coredns', tag: 'v1.11.1' });
    expect(parseImageRef('localhost:5000/app').full).toBe('localhost:5000/app:latest');
  });

  it('parses digests', () => {
    const d = 'sha256:' + 'a'.repeat(64);
    expect(parseImageRef(`nginx@${d}`)).toMatchObject({
      tag: undefined,
      digest: d,
      full: `docker.io/library/nginx@${d}`,
    });
    expect(parseImageRef(`nginx:1.25@${d}`).full).toBe(`docker.io/library/nginx:1.25@${d}`);
  });

  it.each(['Nginx', 'nginx:', 'nginx::1', ' nginx', 'nginx@sha256:abc', '', 'a//b', 'nginx:-x'])(
    'rejects %j',
    (ref) => {
      expect(() => parseImageRef(ref)).toThrow(InvalidImageNameError);
    },
  );

  it('says why an uppercase name is invalid', () => {
    expect(() => parseImageRef('Nginx')).toThrow(
      'couldn\'t parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase',
    );
  });

  it('derives stable digests per name:tag', () => {
    expect(fakeDigest('docker.io/library/nginx', '1.25')).toBe(fakeDigest('docker.io/library/nginx', '1.25'));
    expect(fakeDigest('docker.io/library/nginx', '1.25')).not.toBe(fakeDigest('docker.io/library/nginx', '1.26'));
    expect(fakeDigest('docker.io/library/nginx', '1.25')).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
