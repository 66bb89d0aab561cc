import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KObject, ObjectMeta } from '../api-types/index.ts';
import { MERGE_PATCH, deleteObject } from './actions.ts';
import { KubeError, errorMessage } from './errors.ts';
import type { ResourceRegistry } from './registry.ts';
import { resourcePath, type ResourceInfo } from './resource.ts';
import type { Transport } from './transport.ts';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export interface ManifestDoc {
  source: string;
  obj: KObject;
}

/** Reads a file or every .yaml/.yml/.json file of a directory; YAML errors name file:line:col. */
export function readManifests(path: string, cwd = process.cwd()): ManifestDoc[] {
  const full = resolve(cwd, path);
  if (!existsSync(full)) throw new Error(`the path "${path}" does not exist`);
  const files = statSync(full).isDirectory()
    ? readdirSync(full)
        .filter((f) => /\.(ya?ml|json)$/.test(f))
        .sort()
        .map((f) => join(full, f))
    : [full];
  const out: ManifestDoc[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const err = doc.errors[0];
      if (err) {
        const pos = err.linePos?.[0];
        throw new Error(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${err.message.split('\n')[0]}`);
      }
      const obj = doc.toJS();
      if (!obj) continue;
      if (obj.kind === 'List' && Array.isArray(obj.items))
        for (const item of obj.items) out.push({ source: file, obj: item });
      else out.push({ source: file, obj });
    }
  }
  return out;
}

export function resolveKind(registry: ResourceRegistry, obj: KObject): ResourceInfo {
  const [group, version] = String(obj.apiVersion ?? '').includes('/')
    ? String(obj.apiVersion).split('/')
    : ['', obj.apiVersion];
  const info =
    registry.resources.find((r) => r.kind === obj.kind && r.group === group && (!version || r.version === version)) ??
    registry.resources.find((r) => r.kind === obj.kind && r.group === group);
  if (!info) throw new Error(`no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`);
  return info;
}

/** An RFC 7386 merge patch turning `from` into `to` (null removes a field); undefined if equal. */
export function mergePatch(from: unknown, to: unknown): unknown {
  if (!isObject(from) || !isObject(to)) return JSON.stringify(from) === JSON.stringify(to) ? undefined : to;
  const patch: Record<string, unknown> = {};
  for (const k of Object.keys(from)) if (!(k in to)) patch[k] = null;
  for (const [k, v] of Object.entries(to)) {
    if (!(k in from)) patch[k] = v;
    else {
      const sub = mergePatch(from[k], v);
      if (sub !== undefined) patch[k] = sub;
    }
  }
  return Object.keys(patch).length ? patch : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

export type ApplyOutcome = 'created' | 'configured' | 'unchanged' | 'deleted' | 'not found';

export interface ApplyLine {
  text: string;
  ok: boolean;
}

function describeRef(info: ResourceInfo, name: string): string {
  return `${info.group ? `${info.kind.toLowerCase()}.${info.group}` : info.kind.toLowerCase()}/${name}`;
}

/**
 * Client-side `kubectl apply`: create what is missing, patch what changed since the last apply
 * (the last-applied annotation), leave the rest. One result line per object, like kubectl.
 */
export async function applyObject(
  t: Transport,
  registry: ResourceRegistry,
  obj: KObject,
  defaultNs: string,
): Promise<ApplyLine> {
  const info = resolveKind(registry, obj);
  const name = obj.metadata?.name;
  if (!name) throw new Error(`${obj.kind}: metadata.name is required`);
  const ns = info.namespaced ? (obj.metadata.namespace ?? defaultNs) : undefined;
  const desired = structuredClone(obj);
  if (ns) desired.metadata.namespace = ns;
  if (desired.metadata.annotations) delete desired.metadata.annotations[LAST_APPLIED];
  const lastApplied = JSON.stringify(desired);
  const withAnnotation = structuredClone(desired);
  withAnnotation.metadata.annotations = {
    ...(withAnnotation.metadata.annotations ?? {}),
    [LAST_APPLIED]: lastApplied + '\n',
  };
  const ref = describeRef(info, name);
  let live: KObject | undefined;
  try {
    live = await t.json<KObject>({ path: resourcePath(info, ns, name) });
  } catch (err) {
    if (!(err instanceof KubeError && err.code === 404)) throw err;
  }
  if (!live) {
    await t.json({
      method: 'POST',
      path: resourcePath(info, ns),
      body: withAnnotation,
      query: { fieldManager: 'kubectl-client-side-apply' },
    });
    return { text: `${ref} created`, ok: true };
  }
  const previous = live.metadata.annotations?.[LAST_APPLIED];
  let patch: Record<string, unknown> & { metadata?: ObjectMeta };
  if (previous) {
    const prev = JSON.parse(previous);
    if (JSON.stringify(prev) === lastApplied) return { text: `${ref} unchanged`, ok: true };
    patch = (mergePatch(prev, desired) ?? {}) as typeof patch;
  } else {
    patch = structuredClone(desired);
  }
  patch.metadata = {
    ...(patch.metadata ?? {}),
    annotations: { ...(patch.metadata?.annotations ?? {}), [LAST_APPLIED]: lastApplied + '\n' },
  };
  await t.json({
    method: 'PATCH',
    path: resourcePath(info, ns, name),
    contentType: MERGE_PATCH,
    body: patch,
    query: { fieldManager: 'kubectl-client-side-apply' },
  });
  return { text: `${ref} configured`, ok: true };
}

export async function deleteManifest(
  t: Transport,
  registry: ResourceRegistry,
  obj: KObject,
  defaultNs: string,
): Promise<ApplyLine> {
  const info = resolveKind(registry, obj);
  const name = obj.metadata?.name ?? '';
  const ns = info.namespaced ? (obj.metadata?.namespace ?? defaultNs) : undefined;
  try {
    await deleteObject(t, { info, namespace: ns, name });
    return { text: `${info.group ? `${info.plural}.${info.group}` : info.plural} "${name}" deleted`, ok: true };
  } catch (err) {
    return { text: errorMessage(err), ok: false };
  }
}

/** Applies (or deletes) every document, one line per object; later documents still run after a failure. */
export async function applyAll(
  t: Transport,
  registry: ResourceRegistry,
  docs: ManifestDoc[],
  defaultNs: string,
  mode: 'apply' | 'delete',
): Promise<ApplyLine[]> {
  const out: ApplyLine[] = [];
  for (const d of docs) {
    try {
      out.push(
        mode === 'apply'
          ? await applyObject(t, registry, d.obj, defaultNs)
          : await deleteManifest(t, registry, d.obj, defaultNs),
      );
    } catch (err) {
      out.push({ text: `${d.obj?.kind ?? '?'}/${d.obj?.metadata?.name ?? '?'}: ${errorMessage(err)}`, ok: false });
    }
  }
  return out;
}
