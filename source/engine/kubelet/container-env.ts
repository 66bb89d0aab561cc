import type { Container, EnvVarSource, PodIP, ServicePort } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { parseQuantity } from '../scheduler/resources.ts';
import type { Store } from '../store/store.ts';

/** A reference the container's env needs is missing: the kubelet's CreateContainerConfigError. */
export class ContainerConfigError extends Error {}

/**
 * A container's environment as the kubelet builds it: service links (`X_SERVICE_HOST`, …) of
 * the namespace's services and the `kubernetes` service, then `envFrom`, then `env` with
 * `valueFrom` (fieldRef, configMapKeyRef, secretKeyRef) and `$(VAR)` expansion.
 */
export function containerEnv(
  store: Store,
  pod: KObject,
  container: Pick<Container, 'env' | 'envFrom' | 'resources'>,
): Record<string, string> {
  const env: Record<string, string> = {};
  const ns = pod.metadata.namespace ?? 'default';
  const services = pod.spec?.enableServiceLinks === false ? [] : store.list('services', { namespace: ns }).items;
  const kubernetes = store.get('services', 'default', 'kubernetes');
  if (kubernetes && !services.some((s) => s.metadata.uid === kubernetes.metadata.uid)) services.push(kubernetes);
  for (const svc of services) Object.assign(env, serviceEnv(svc));
  for (const from of container.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref?.name) continue;
    const data = sourceData(store, ns, from.configMapRef ? 'configmaps' : 'secrets', ref.name, ref.optional);
    for (const [k, v] of Object.entries(data)) env[`${from.prefix ?? ''}${k}`] = v;
  }
  for (const e of container.env ?? []) {
    if (!e?.name) continue;
    if (e.valueFrom) {
      const v = valueFrom(store, pod, e.valueFrom, container);
      if (v !== undefined) env[e.name] = v;
    } else env[e.name] = expand(String(e.value ?? ''), env);
  }
  return env;
}

/** Each stored version of a service, its variables: every container of the namespace shares the strings. */
const serviceEnvs = new WeakMap<KObject, Record<string, string>>();

function serviceEnv(svc: KObject): Record<string, string> {
  let env = serviceEnvs.get(svc);
  if (!env) serviceEnvs.set(svc, (env = serviceEnvOf(svc)));
  return env;
}

function serviceEnvOf(svc: KObject): Record<string, string> {
  const ip = svc.spec?.clusterIP;
  const ports: ServicePort[] = svc.spec?.ports ?? [];
  if (!ip || ip === 'None' || !ports.length) return {};
  const n = svc.metadata.name!.toUpperCase().replace(/-/g, '_');
  const out: Record<string, string> = { [`${n}_SERVICE_HOST`]: ip, [`${n}_SERVICE_PORT`]: String(ports[0].port) };
  const first = ports[0];
  out[`${n}_PORT`] = `${String(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`;
  for (const p of ports) {
    const proto = String(p.protocol ?? 'TCP');
    if (p.name) out[`${n}_SERVICE_PORT_${String(p.name).toUpperCase().replace(/-/g, '_')}`] = String(p.port);
    const key = `${n}_PORT_${p.port}_${proto}`;
    out[key] = `${proto.toLowerCase()}://${ip}:${p.port}`;
    out[`${key}_PROTO`] = proto.toLowerCase();
    out[`${key}_PORT`] = String(p.port);
    out[`${key}_ADDR`] = ip;
  }
  return out;
}

function sourceData(
  store: Store,
  ns: string,
  resource: 'configmaps' | 'secrets',
  name: string,
  optional?: boolean,
): Record<string, string> {
  const obj = store.get(resource, ns, name);
  if (!obj) {
    if (optional) return {};
    throw new ContainerConfigError(`${resource === 'configmaps' ? 'configmap' : 'secret'} "${name}" not found`);
  }
  if (resource === 'configmaps') return { ...(obj.data ?? {}) };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj.data ?? {})) out[k] = Buffer.from(String(v), 'base64').toString();
  for (const [k, v] of Object.entries(obj.stringData ?? {})) out[k] = String(v);
  return out;
}

function valueFrom(store: Store, pod: KObject, from: EnvVarSource, currentContainer: unknown): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  if (from.fieldRef) return fieldValue(pod, String(from.fieldRef.fieldPath ?? ''));
  const resource = from.resourceFieldRef;
  if (resource) {
    const containers: { name?: string }[] = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
    const c = containers.find((x) => x.name === resource.containerName) ?? currentContainer;
    const node = store.get('nodes', undefined, pod.spec?.nodeName ?? '');
    return resourceValue(c, resource, node?.status?.allocatable);
  }
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (ref?.name) {
    const kind = from.configMapKeyRef ? 'configmaps' : 'secrets';
    const data = sourceData(store, ns, kind, ref.name, ref.optional);
    if (ref.key in data) return data[ref.key];
    if (ref.optional) return undefined;
    throw new ContainerConfigError(
      `couldn't find key ${ref.key} in ${kind === 'configmaps' ? 'ConfigMap' : 'Secret'} ${ns}/${ref.name}`,
    );
  }
  return '';
}

export function fieldValue(pod: KObject, path: string): string {
  const m = path.match(/^metadata\.(labels|annotations)\['(.+)'\]$/);
  if (m) return pod.metadata[m[1] as 'labels' | 'annotations']?.[m[2]!] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? '';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return pod.status?.hostIP ?? '';
    case 'status.podIP':
      return pod.status?.podIP ?? '';
    case 'status.podIPs':
      return (pod.status?.podIPs ?? []).map((p: PodIP) => p.ip).join(',');
    default:
      return '';
  }
}

/** `$(VAR)` from earlier variables; `$$` escapes; unknown references stay as written. */
export function expand(value: string, env: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name) => {
    if (all === '$$') return '$';
    return name in env ? env[name]! : all;
  });
}

interface ResourceRef {
  resource?: string;
  divisor?: unknown;
}

/**
 * `resourceFieldRef`: a container's limit or request in units of `divisor` (rounded up, as the
 * kubelet does); a limit that is not set is the node's allocatable amount.
 */
export function resourceValue(container: unknown, ref: ResourceRef, allocatable?: Record<string, unknown>): string {
  const resources =
    (container as { resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> } } | undefined)
      ?.resources ?? {};
  const [kind, name] = String(ref.resource ?? '').split('.', 2) as [string, string];
  if (!name) return '';
  let raw = kind === 'limits' ? resources.limits?.[name] : kind === 'requests' ? resources.requests?.[name] : undefined;
  if (raw === undefined && kind === 'limits') raw = allocatable?.[name];
  if (raw === undefined) raw = 0;
  const divisor = parseQuantity(ref.divisor ?? 1) || 1;
  const v = parseQuantity(raw);
  if (Number.isNaN(v)) return '';
  return String(Math.ceil(v / divisor - 1e-9));
}
