import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize as v8Serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_PATH, loadCatalog } from '../../../source/engine/runtime/catalog.ts';
import { ImagePullError, InvalidImageNameError } from '../../../source/engine/runtime/errors.ts';

const catalog = loadCatalog();

describe('image catalog', () => {
  it('resolves nginx tags to versions, digests and files', () => {
    const r = catalog.resolve('nginx:1.7.9');
    expect(r.image.runtime).toBe('builtin-nginx');
    expect(r.version).toBe('1.7.9');
    expect(r.imageID).toMatch(/^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    expect(r.files['/usr/share/nginx/html/index.html']).toContain('Welcome to nginx!');
    expect(r.env.NGINX_VERSION).toBe('1.7.9');
    expect(catalog.resolve('docker.io/library/nginx:1.25').version).toBe('1.25.5');
    expect(catalog.resolve('nginx').tag).toBe('latest');
  });

  it('holds its strings one byte per character although the file has a wider one', () => {
    // A two-byte imageID made JSON.stringify of every running pod build a two-byte text (the stored texts' memory doubled).
    const oneByte = (s: string) => v8Serialize(s)[2] === 0x22; // '"': a one-byte string; 'c': two-byte
    const r = catalog.resolve('nginx');
    expect(oneByte('→')).toBe(false);
    for (const s of [r.imageID, r.ref.full, ...Object.values(r.env), ...r.startupLog.map((l) => l.line)])
      expect(oneByte(s), s).toBe(true);
    expect(oneByte(JSON.stringify({ imageID: r.imageID, image: r.ref.full }))).toBe(true);
  });

  it('has the images the tutorial and kube-system use', () => {
    for (const ref of [
      'busybox',
      'alpine:3.20',
      'ubuntu:22.04',
      'debian',
      'node:20',
      'python:3.12',
      'registry.k8s.io/pause:3.10',
      'registry.k8s.io/coredns/coredns:v1.11.1',
      'registry.k8s.io/kube-proxy:v1.34.0',
    ]) {
      expect(() => catalog.resolve(ref), ref).not.toThrow();
    }
    expect(catalog.resolve('busybox').image).toMatchObject({ runtime: 'process', cmd: ['sh'] });
  });

  it('fails an unknown tag like a registry miss', () => {
    expect(() => catalog.resolve('nginx:abc')).toThrow(ImagePullError);
    expect(() => catalog.resolve('nginx:abc')).toThrow(
      'failed to pull and unpack image "docker.io/library/nginx:abc": failed to resolve reference "docker.io/library/nginx:abc": docker.io/library/nginx:abc: not found',
    );
  });

  it('fails an unknown repository like Docker Hub does', () => {
    expect(() => catalog.resolve('nosuchimage')).toThrow(/pull access denied, repository does not exist/);
    expect(() => catalog.resolve('quay.io/x/y:1')).toThrow('quay.io/x/y:1: not found');
  });

  it('resolves a digest it issued, and no other', () => {
    const r = catalog.resolve('nginx:1.25');
    expect(catalog.resolve(`nginx@${r.digest}`).tag).toBe('1.25');
    expect(() => catalog.resolve(`nginx@sha256:${'0'.repeat(64)}`)).toThrow(/not found/);
  });

  it('rejects invalid references', () => {
    expect(() => catalog.resolve('NGINX')).toThrow(InvalidImageNameError);
  });

  it('is extended by a second file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-cat-'));
    const extra = join(dir, 'images.yaml');
    writeFileSync(
      extra,
      'images:\n  - name: nginx\n    tags: { "9.9.9": 9.9.9 }\n  - name: example.com/tools/shell\n    runtime: process\n    tags: [v1]\n    cmd: [sh]\n',
    );
    const c = loadCatalog([DEFAULT_CATALOG_PATH, extra]);
    expect(c.resolve('nginx:9.9.9').version).toBe('9.9.9');
    expect(c.resolve('nginx:1.7.9').version).toBe('1.7.9');
    expect(c.resolve('example.com/tools/shell:v1').image.runtime).toBe('process');
    rmSync(dir, { recursive: true, force: true });
  });
});
