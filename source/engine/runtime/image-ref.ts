import { createHash } from 'node:crypto';
import { InvalidImageNameError } from './errors.ts';

/** A parsed image reference, normalized the way containerd names it. */
export interface ImageRef {
  /** `docker.io`, `registry.k8s.io`, `localhost:5000`. */
  domain: string;
  /** `library/nginx`, `coredns/coredns`. */
  path: string;
  /** `docker.io/library/nginx`. */
  repository: string;
  /** Set unless the reference names only a digest; `latest` when neither was given. */
  tag?: string;
  /** `sha256:<64 hex>` when the reference carries one. */
  digest?: string;
  /** `docker.io/library/nginx:1.25` (or `…@sha256:…`): what containerd reports as the image. */
  full: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Parse `nginx`, `nginx:1.25`, `docker.io/library/nginx:1.25`, `repo@sha256:…` like Docker does. */
export function parseImageRef(image: string): ImageRef {
  const fail = (detail = '') => new InvalidImageNameError(image, detail);
  if (!image || image !== image.trim() || image.length > 512) throw fail();

  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw fail('invalid digest');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw fail();
  }

  let domain = 'docker.io';
  let path = rest;
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    domain = first === 'index.docker.io' ? 'docker.io' : first;
    path = rest.slice(slash + 1);
    if (!DOMAIN.test(domain)) throw fail();
  }
  if (domain === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  if (path.toLowerCase() !== path) throw fail(`repository name (${path}) must be lowercase`);
  if (!path.split('/').every((c) => PATH_COMPONENT.test(c))) throw fail();
  const repository = `${domain}/${path}`;
  if (repository.length > 255) throw fail('repository name must not be more than 255 characters');

  if (!tag && !digest) tag = 'latest';
  const full = repository + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
  return { domain, path, repository, tag, digest, full };
}

/** The stable, made-up content digest of a catalog image `repository:tag`. */
export function fakeDigest(repository: string, tag: string): string {
  return 'sha256:' + createHash('sha256').update(`skiff-image:${repository}:${tag}`).digest('hex');
}
