import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import type { Service } from 'kubernetes-types/core/v1.d.ts';
import { KubeError } from './errors.ts';
import type { ForwardTarget } from './portforward.ts';
import type { Transport } from './transport.ts';

/** A port a forward can go to, as offered in the dialog. */
export interface PortChoice {
  port: number;
  /** `nginx/http 80/TCP` */
  label: string;
}

export function podPorts(pod: Pod, container?: string): PortChoice[] {
  const out: PortChoice[] = [];
  for (const c of pod.spec?.containers ?? []) {
    if (container && c.name !== container) continue;
    for (const p of c.ports ?? []) {
      if ((p.protocol ?? 'TCP') !== 'TCP') continue;
      out.push({ port: p.containerPort, label: `${c.name}${p.name ? `/${p.name}` : ''} ${p.containerPort}/TCP` });
    }
  }
  return out;
}

export function servicePorts(svc: Service): PortChoice[] {
  return (svc.spec?.ports ?? [])
    .filter((p) => (p.protocol ?? 'TCP') === 'TCP')
    .map((p) => ({ port: p.port, label: `${p.name ? `${p.name} ` : ''}${p.port}→${p.targetPort ?? p.port}/TCP` }));
}

function isReady(pod: Pod): boolean {
  return (
    !pod.metadata?.deletionTimestamp &&
    pod.status?.phase === 'Running' &&
    !!pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

const podPath = (ns: string, name: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`;

/** Every connection checks the pod still runs, so a forward says so when its pod went away. */
export function podTarget(t: Transport, namespace: string, pod: string, port: number): () => Promise<ForwardTarget> {
  return async () => {
    let obj: Pod;
    try {
      obj = await t.json<Pod>({ path: podPath(namespace, pod) });
    } catch (err) {
      if (err instanceof KubeError && err.code === 404) throw new Error(`pod ${pod} is gone`);
      throw err;
    }
    if (obj.metadata?.deletionTimestamp) throw new Error(`pod ${pod} is terminating`);
    if (obj.status?.phase !== 'Running') throw new Error(`pod ${pod} is ${obj.status?.phase ?? 'not running'}`);
    return { namespace, pod, port };
  };
}

/** The container port a service port sends to on this pod (a named targetPort is looked up in the pod). */
export function targetPortOn(svc: Service, servicePort: number, pod: Pod): number | undefined {
  const sp = svc.spec?.ports?.find((p) => p.port === servicePort);
  if (!sp) return undefined;
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  for (const c of pod.spec?.containers ?? []) {
    const hit = c.ports?.find((p) => p.name === tp);
    if (hit) return hit.containerPort;
  }
  return undefined;
}

/**
 * Like `kubectl port-forward svc/NAME`, but re-resolved on every connection: a ready pod behind
 * the service (the one used last while it stays ready), so the forward moves on when its pod goes.
 */
export function serviceTarget(
  t: Transport,
  namespace: string,
  service: string,
  servicePort: number,
): () => Promise<ForwardTarget> {
  let last: string | undefined;
  return async () => {
    const svc = await t.json<Service>({
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}`,
    });
    const selector = Object.entries(svc.spec?.selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    if (!selector) throw new Error(`service ${service} has no selector`);
    const list = await t.json<{ items: Pod[] }>({
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
      query: { labelSelector: selector },
    });
    const ready = list.items.filter(isReady);
    if (!ready.length) throw new Error(`no ready pod behind service ${service}`);
    const pod = ready.find((p) => p.metadata?.name === last) ?? ready[0]!;
    const port = targetPortOn(svc, servicePort, pod);
    if (!port) throw new Error(`service ${service} has no port ${servicePort} on pod ${pod.metadata?.name}`);
    last = pod.metadata!.name!;
    return { namespace, pod: last, port };
  };
}
