import type { KObject } from '../../../api-types/index.ts';
import type { Store } from '../../store/store.ts';
import { fieldValue, resourceValue } from '../container-env.ts';
import { checkPayloadPath, type Payload } from './atomic-writer.ts';

/** A volume cannot be set up (yet): the kubelet's FailedMount, retried. */
export class MountError extends Error {}

/** A projected service-account token: the RBAC/TokenRequest side fills this hook in. */
export type TokenProvider = (
  pod: KObject,
  source: { audience?: string; expirationSeconds?: number },
) => string | undefined;

export interface PayloadContext {
  store: Store;
  pod: KObject;
  tokens?: TokenProvider;
}

interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

type Volume = Record<string, unknown>;

const DEFAULT_MODE = 0o644;

function mode(m: unknown, fallback: number): number {
  return typeof m === 'number' && m >= 0 && m <= 0o777 ? m : fallback;
}

function items(v: unknown): KeyToPath[] {
  return Array.isArray(v) ? (v.filter((i) => i && typeof i === 'object') as KeyToPath[]) : [];
}

function bytesOf(obj: KObject, secret: boolean): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const data = (obj.data ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(data))
    out.set(k, secret ? Buffer.from(String(v), 'base64') : Buffer.from(String(v)));
  for (const [k, v] of Object.entries((obj.binaryData ?? {}) as Record<string, string>))
    out.set(k, Buffer.from(String(v), 'base64'));
  return out;
}

/** configMap / secret volume (or projection) files. */
function keyedPayload(ctx: PayloadContext, secret: boolean, src: Volume, defaultMode: number): Payload {
  const name = String((secret ? src.secretName : src.name) ?? '');
  const ns = ctx.pod.metadata.namespace ?? 'default';
  const obj = ctx.store.get(secret ? 'secrets' : 'configmaps', ns, name);
  const optional = src.optional === true;
  if (!obj) {
    if (optional) return [];
    throw new MountError(`${secret ? 'secret' : 'configmap'} "${name}" not found`);
  }
  const data = bytesOf(obj, secret);
  const wanted = items(src.items);
  const out: Payload = [];
  if (!wanted.length) {
    for (const [k, b] of data) out.push({ path: k, data: b, mode: defaultMode });
    return out;
  }
  for (const it of wanted) {
    const b = data.get(it.key);
    if (!b) {
      if (optional) continue;
      throw new MountError(
        secret
          ? `references non-existent secret key: ${it.key}`
          : `configmap references non-existent config key: ${it.key}`,
      );
    }
    const bad = checkPayloadPath(it.path);
    if (bad) throw new MountError(`invalid path "${it.path}": ${bad}`);
    out.push({ path: it.path, data: b, mode: mode(it.mode, defaultMode) });
  }
  return out;
}

/** `key="value"` lines, sorted, as the kubelet formats labels and annotations. */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

function downwardPayload(ctx: PayloadContext, src: Volume, defaultMode: number): Payload {
  const out: Payload = [];
  for (const it of Array.isArray(src.items) ? (src.items as Record<string, unknown>[]) : []) {
    const path = String(it.path ?? '');
    const bad = checkPayloadPath(path);
    if (bad) throw new MountError(`invalid path "${path}": ${bad}`);
    const fieldRef = it.fieldRef as { fieldPath?: string } | undefined;
    const resRef = it.resourceFieldRef as { containerName?: string; resource?: string; divisor?: unknown } | undefined;
    let value = '';
    if (fieldRef?.fieldPath === 'metadata.labels') value = formatMap(ctx.pod.metadata.labels);
    else if (fieldRef?.fieldPath === 'metadata.annotations') value = formatMap(ctx.pod.metadata.annotations);
    else if (fieldRef) value = fieldValue(ctx.pod, String(fieldRef.fieldPath ?? ''));
    else if (resRef) {
      const containers = (ctx.pod.spec?.containers ?? []) as { name?: string }[];
      const c = containers.find((x) => x.name === resRef.containerName) ?? containers[0];
      value = resourceValue(
        c,
        resRef,
        ctx.store.get('nodes', undefined, String(ctx.pod.spec?.nodeName ?? ''))?.status?.allocatable,
      );
    }
    out.push({ path, data: Buffer.from(value), mode: mode(it.mode, defaultMode) });
  }
  return out;
}

/** The files of a configMap, secret, downwardAPI or projected volume; undefined for other kinds. */
export function volumePayload(ctx: PayloadContext, vol: Volume): Payload | undefined {
  if (vol.configMap) {
    const src = vol.configMap as Volume;
    return keyedPayload(ctx, false, src, mode(src.defaultMode, DEFAULT_MODE));
  }
  if (vol.secret) {
    const src = vol.secret as Volume;
    return keyedPayload(ctx, true, src, mode(src.defaultMode, DEFAULT_MODE));
  }
  if (vol.downwardAPI) {
    const src = vol.downwardAPI as Volume;
    return downwardPayload(ctx, src, mode(src.defaultMode, DEFAULT_MODE));
  }
  if (vol.projected) {
    const src = vol.projected as Volume;
    const defaultMode = mode(src.defaultMode, DEFAULT_MODE);
    const out: Payload = [];
    for (const s of Array.isArray(src.sources) ? (src.sources as Volume[]) : []) {
      if (s.configMap) out.push(...keyedPayload(ctx, false, s.configMap as Volume, defaultMode));
      else if (s.secret)
        out.push(
          ...keyedPayload(ctx, true, { ...(s.secret as Volume), secretName: (s.secret as Volume).name }, defaultMode),
        );
      else if (s.downwardAPI) out.push(...downwardPayload(ctx, s.downwardAPI as Volume, defaultMode));
      else if (s.serviceAccountToken) {
        const t = s.serviceAccountToken as { path?: string; audience?: string; expirationSeconds?: number };
        const token = ctx.tokens?.(ctx.pod, t);
        // Without an issuer (an engine started without auth) the token file is left out.
        if (token !== undefined)
          out.push({ path: String(t.path ?? 'token'), data: Buffer.from(token), mode: defaultMode });
      }
    }
    return out;
  }
  return undefined;
}
