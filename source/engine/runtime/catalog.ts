import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readYamlFile } from '../yaml-file.ts';
import { ImagePullError } from './errors.ts';
import { fakeDigest, parseImageRef, type ImageRef } from './image-ref.ts';

export type RuntimeKind = 'builtin-nginx' | 'builtin-idle' | 'process';

/** A fixed HTTP answer a built-in server gives (CoreDNS-like `/health`, `/ready`). */
export interface HttpEndpoint {
  port: number;
  path: string;
  status: number;
  body: string;
  /** Name of an engine health check (RuntimeOptions.checks): while it fails the answer is 503. */
  check?: string;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  line: string;
}

/** One image of the catalog, as `images.yaml` describes it. */
export interface CatalogImage {
  /** As written in the catalog: `nginx`, `registry.k8s.io/pause`. */
  name: string;
  /** Normalized: `docker.io/library/nginx`. */
  repository: string;
  runtime: RuntimeKind;
  /** tag → version (`{{version}}` in files, env and startup lines; the `Server:` header). */
  tags: Map<string, string>;
  /** Bytes, for "Image size: …" and node status. */
  size: number;
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
  workingDir: string;
  /** TCP ports a built-in server listens on whatever the pod spec declares (nginx: 80). */
  ports: number[];
  /** Directories private to each container and writable (besides those holding `files`). */
  paths: string[];
  /** Absolute path → content, laid into each container's filesystem. */
  files: Record<string, string>;
  /** Lines a built-in writes to its log when it starts. */
  startupLog: LogLine[];
  http: HttpEndpoint[];
}

/** A reference resolved against the catalog: what a pull fetched and a start runs. */
export interface ResolvedImage {
  ref: ImageRef;
  image: CatalogImage;
  tag: string;
  version: string;
  /** `sha256:…` */
  digest: string;
  /** `docker.io/library/nginx@sha256:…`, the containerStatus `imageID`. */
  imageID: string;
  env: Record<string, string>;
  files: Record<string, string>;
  startupLog: LogLine[];
}

export interface Catalog {
  images: CatalogImage[];
  /** Throws InvalidImageNameError or ImagePullError (a registry miss). */
  resolve(image: string): ResolvedImage;
}

/** One image as written in a catalog file; toImage checks and converts it. */
interface CatalogEntry {
  name: string;
  runtime?: unknown;
  tags?: unknown;
  version?: string;
  size?: unknown;
  entrypoint?: unknown;
  cmd?: unknown;
  env?: Record<string, unknown>;
  workingDir?: string;
  ports?: unknown[];
  paths?: unknown;
  files?: Record<string, unknown>;
  startupLog?: Array<string | { stream?: string; line?: unknown }>;
  http?: Array<{ port?: unknown; path?: unknown; status?: unknown; body?: unknown; check?: unknown }>;
}

export const DEFAULT_CATALOG_PATH = fileURLToPath(new URL('../../../fixtures/images.yaml', import.meta.url));
const RUNTIMES: RuntimeKind[] = ['builtin-nginx', 'builtin-idle', 'process'];

/** Load catalog files in order; a later file's image of the same name extends or overrides. */
export function loadCatalog(paths: string[] = [DEFAULT_CATALOG_PATH]): Catalog {
  const raw = new Map<string, CatalogEntry>();
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const doc = readYamlFile(path);
    if (!Array.isArray(doc.images)) throw new Error(`${path}: "images" must be a list`);
    for (const entry of doc.images) {
      if (typeof entry?.name !== 'string') throw new Error(`${path}: every image needs a name`);
      const key = parseImageRef(entry.name).repository;
      const prev = raw.get(key);
      raw.set(key, prev ? { ...prev, ...entry, tags: { ...tagMap(prev.tags), ...tagMap(entry.tags) } } : entry);
    }
  }
  return catalogOf([...raw.values()].map((e) => toImage(e)));
}

export function catalogOf(images: CatalogImage[]): Catalog {
  const byRepo = new Map(images.map((i) => [i.repository, i]));
  // Every pod of a scale-up resolves the same reference: resolve it once (the catalog never changes).
  const resolved = new Map<string, ResolvedImage>();
  return {
    images,
    resolve: (image) => {
      let r = resolved.get(image);
      if (!r) resolved.set(image, (r = frozen(resolveImage(byRepo, image))));
      return r;
    },
  };
}

/** A shared resolution is read-only (its catalog entry, `image`, is the catalog's own). */
function frozen(r: ResolvedImage): ResolvedImage {
  for (const l of r.startupLog) Object.freeze(l);
  for (const part of [r.ref, r.env, r.files, r.startupLog]) Object.freeze(part);
  return Object.freeze(r);
}

function resolveImage(byRepo: Map<string, CatalogImage>, image: string): ResolvedImage {
  const ref = parseImageRef(image);
  const entry = byRepo.get(ref.repository);
  if (!entry) {
    const msg =
      ref.domain === 'docker.io'
        ? 'pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed'
        : `${ref.full}: not found`;
    throw new ImagePullError(image, ref.full, msg);
  }
  let tag = ref.tag;
  if (ref.digest) tag = [...entry.tags.keys()].find((t) => fakeDigest(entry.repository, t) === ref.digest);
  const version = tag === undefined ? undefined : entry.tags.get(tag);
  if (tag === undefined || version === undefined) throw new ImagePullError(image, ref.full, `${ref.full}: not found`);
  const digest = fakeDigest(entry.repository, tag);
  const fill = (s: string) => s.replaceAll('{{version}}', version);
  return {
    ref,
    image: entry,
    tag,
    version,
    digest,
    imageID: `${entry.repository}@${digest}`,
    env: Object.fromEntries(Object.entries(entry.env).map(([k, v]) => [k, fill(v)])),
    files: Object.fromEntries(Object.entries(entry.files).map(([k, v]) => [k, fill(v)])),
    startupLog: entry.startupLog.map((l) => ({ stream: l.stream, line: fill(l.line) })),
  };
}

/** `tags` is a list of names or a map of name → version (or `{version}`). */
function tagMap(tags: unknown): Record<string, string | null> {
  if (Array.isArray(tags)) return Object.fromEntries(tags.map((t) => [String(t), null]));
  if (tags && typeof tags === 'object') {
    return Object.fromEntries(
      Object.entries(tags).map(([t, v]) => [
        t,
        v == null ? null : String(typeof v === 'object' ? (v as { version?: unknown }).version : v),
      ]),
    );
  }
  return {};
}

function toImage(e: CatalogEntry): CatalogImage {
  const where = `image ${e.name}`;
  const runtime = e.runtime as RuntimeKind;
  if (!RUNTIMES.includes(runtime)) throw new Error(`${where}: runtime must be one of ${RUNTIMES.join(', ')}`);
  const tags = new Map<string, string>();
  for (const [tag, version] of Object.entries(tagMap(e.tags))) tags.set(tag, version ?? e.version ?? tag);
  const files: Record<string, string> = {};
  for (const [p, content] of Object.entries(e.files ?? {})) files[absPath(where, p)] = String(content);
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : v == null ? [] : [String(v)]);
  return {
    name: e.name,
    repository: parseImageRef(e.name).repository,
    runtime,
    tags,
    size: Number(e.size ?? 5_000_000),
    entrypoint: list(e.entrypoint),
    cmd: list(e.cmd),
    env: Object.fromEntries(Object.entries(e.env ?? {}).map(([k, v]) => [k, String(v)])),
    workingDir: absPath(where, e.workingDir ?? '/'),
    ports: (e.ports ?? []).map(Number),
    paths: list(e.paths).map((p) => absPath(where, p)),
    files,
    startupLog: (e.startupLog ?? []).map((l) =>
      typeof l === 'string'
        ? { stream: 'stdout', line: l }
        : { stream: l.stream === 'stderr' ? 'stderr' : 'stdout', line: String(l.line) },
    ),
    http: (e.http ?? []).map((h) => ({
      port: Number(h.port),
      path: String(h.path ?? '/'),
      status: Number(h.status ?? 200),
      body: String(h.body ?? 'OK'),
      ...(h.check ? { check: String(h.check) } : {}),
    })),
  };
}

/** Catalog paths must be absolute and normalized: they become mount points and rootfs paths. */
function absPath(where: string, p: string): string {
  if (typeof p !== 'string' || !p.startsWith('/') || posix.normalize(p) !== p || p.split('/').includes('..')) {
    throw new Error(`${where}: path ${JSON.stringify(p)} must be absolute and normalized`);
  }
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}
