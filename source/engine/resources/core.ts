import type { Container, ObjectReference, PodSpec, Secret, ServicePort } from 'kubernetes-types/core/v1.d.ts';
import type { EventObject } from '../../api-types/event.ts';
import type { Kind, KObject, StatusCause } from '../../api-types/index.ts';
import { DEFAULT_VERBS, type ResourceDef } from './types.ts';
import { defaultPodOnly, defaultPodSpec, validatePodSpec } from './pod-spec.ts';
import { cause, isObject } from './validation.ts';
import { validateEphemeralUpdate } from './ephemeral-containers.ts';
import { validatePodStatusUpdate } from './pod-status-update.ts';

const status = (kind = '', group = '', version = '') => ({
  name: 'status',
  kind: kind || undefined,
  group,
  version,
  verbs: ['get', 'patch', 'update'],
});

/** The QoS class of a pod from its containers' requests and limits. */
export function qosClass(spec: Pick<PodSpec, 'containers' | 'initContainers'> | undefined): string {
  const cs: Array<Container | undefined> = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
  let anyRes = false;
  let guaranteed = cs.length > 0;
  for (const c of cs) {
    const req = c?.resources?.requests ?? {};
    const lim = c?.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) anyRes = true;
    for (const r of ['cpu', 'memory']) {
      if (!lim[r] || (req[r] !== undefined && req[r] !== lim[r])) guaranteed = false;
    }
  }
  if (!anyRes) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export const pods: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  singular: 'pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  hasStatus: true,
  subresources: [
    { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    { name: 'binding', kind: 'Binding', verbs: ['create'] },
    { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
    { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'log', kind: 'Pod', verbs: ['get'] },
    { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    { name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
    status('Pod'),
  ],
  prepareForCreate(o) {
    o.status = { phase: 'Pending', qosClass: qosClass(o.spec) };
  },
  prepareForUpdate(o, old) {
    // Most of a pod's spec is immutable; image, activeDeadlineSeconds and tolerations may change.
    // nodeName is set once (by binding) and never changes afterwards.
    if (!isObject(o.spec) || !isObject(old.spec)) return;
    if (old.spec.nodeName) o.spec.nodeName = old.spec.nodeName;
    // Ephemeral containers change only through pods/NAME/ephemeralcontainers.
    if (old.spec.ephemeralContainers) o.spec.ephemeralContainers = old.spec.ephemeralContainers;
    else delete o.spec.ephemeralContainers;
  },
  defaults(o) {
    defaultPodSpec(o.spec);
    defaultPodOnly(o.spec);
  },
  validate(o, old) {
    const out: StatusCause[] = [];
    validatePodSpec(o.spec, 'spec', out);
    if (old && isObject(o.spec) && isObject(old.spec)) validateEphemeralUpdate(o.spec, old.spec, out);
    else if (isObject(o.spec) && Array.isArray(o.spec.ephemeralContainers) && o.spec.ephemeralContainers.length) {
      out.push(cause.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
    }
    if (old && isObject(o.spec) && isObject(old.spec)) {
      const strip = (s: { containers?: object[]; initContainers?: object[] }) =>
        JSON.stringify({
          ...s,
          containers: (s.containers ?? []).map((c) => ({ ...c, image: undefined })),
          initContainers: (s.initContainers ?? []).map((c) => ({ ...c, image: undefined })),
          ephemeralContainers: undefined,
          activeDeadlineSeconds: undefined,
          tolerations: undefined,
          terminationGracePeriodSeconds: undefined,
          nodeName: undefined,
        });
      if (strip(o.spec) !== strip(old.spec)) {
        out.push(
          cause.forbidden(
            'spec',
            'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
          ),
        );
      }
    }
    return out;
  },
  validateStatusUpdate: validatePodStatusUpdate,
  gracePeriod(o, requested) {
    // Pods not on a node, or already finished, go at once; others wait for their kubelet.
    if (!o.spec?.nodeName) return 0;
    if (o.status?.phase === 'Succeeded' || o.status?.phase === 'Failed') return 0;
    if (requested !== undefined) return Math.max(0, requested);
    return o.spec?.terminationGracePeriodSeconds ?? 30;
  },
  fields(o) {
    return {
      'spec.nodeName': o.spec?.nodeName ?? '',
      'spec.restartPolicy': o.spec?.restartPolicy ?? '',
      'spec.schedulerName': o.spec?.schedulerName ?? '',
      'spec.serviceAccountName': o.spec?.serviceAccountName ?? '',
      'spec.hostNetwork': String(o.spec?.hostNetwork ?? false),
      'status.phase': o.status?.phase ?? '',
      'status.podIP': o.status?.podIP ?? '',
      'status.nominatedNodeName': o.status?.nominatedNodeName ?? '',
    };
  },
};

export const namespaces: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  nameFormat: 'label',
  hasStatus: true,
  subresources: [status('Namespace'), { name: 'finalize', kind: 'Namespace', verbs: ['update'] }],
  prepareForCreate(o) {
    o.status = { phase: 'Active' };
  },
  defaults(o) {
    o.spec ??= {};
    o.spec.finalizers ??= ['kubernetes'];
    o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name! };
  },
  prepareForDelete(o) {
    o.status = { ...(o.status ?? {}), phase: 'Terminating' };
  },
  fields(o) {
    return { 'status.phase': o.status?.phase ?? '' };
  },
};

export const nodes: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  hasStatus: true,
  subresources: [
    status('Node'),
    { name: 'proxy', kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  ],
  fields(o) {
    return { 'spec.unschedulable': String(o.spec?.unschedulable ?? false) };
  },
};

const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

export const services: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  nameFormat: 'dns1035',
  hasStatus: true,
  subresources: [
    status('Service'),
    { name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  ],
  prepareForCreate(o) {
    o.status = { loadBalancer: {} };
  },
  prepareForUpdate(o, old) {
    // Allocated addresses and ports survive an update that omits them (kubectl apply does).
    if (!isObject(o.spec) || !isObject(old.spec)) return;
    if (!o.spec.clusterIP && old.spec.clusterIP) o.spec.clusterIP = old.spec.clusterIP;
    if (!o.spec.clusterIPs && old.spec.clusterIPs) o.spec.clusterIPs = old.spec.clusterIPs;
    // Leaving NodePort/LoadBalancer drops the node ports that were carried over unchanged.
    const hadNodePorts = old.spec.type === 'NodePort' || old.spec.type === 'LoadBalancer';
    const hasNodePorts = o.spec.type === 'NodePort' || o.spec.type === 'LoadBalancer';
    if (hadNodePorts && o.spec.type !== undefined && !hasNodePorts && Array.isArray(o.spec.ports)) {
      for (const p of o.spec.ports) {
        const prev = old.spec.ports?.find((q: ServicePort | null) => q?.port === p?.port);
        if (p && prev && p.nodePort === prev.nodePort) delete p.nodePort;
      }
      if (o.spec.externalTrafficPolicy === old.spec.externalTrafficPolicy) delete o.spec.externalTrafficPolicy;
    }
    if (Array.isArray(o.spec.ports) && Array.isArray(old.spec.ports) && o.spec.type !== 'ClusterIP') {
      for (const p of o.spec.ports) {
        if (p?.nodePort) continue;
        const prev = old.spec.ports.find(
          (q: ServicePort | null) => q?.port === p?.port && (q?.protocol ?? 'TCP') === (p?.protocol ?? 'TCP'),
        );
        if (prev?.nodePort) p.nodePort = prev.nodePort;
      }
    }
  },
  defaults(o) {
    const s = (o.spec ??= {});
    s.type ??= 'ClusterIP';
    s.sessionAffinity ??= 'None';
    if (s.type !== 'ExternalName') {
      s.ipFamilies ??= ['IPv4'];
      s.ipFamilyPolicy ??= 'SingleStack';
      s.internalTrafficPolicy ??= 'Cluster';
    }
    if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ??= 'Cluster';
    if (Array.isArray(s.ports)) {
      for (const p of s.ports) {
        if (!isObject(p)) continue;
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
    }
  },
  validate(o, old) {
    const out: StatusCause[] = [];
    const s = o.spec;
    if (!isObject(s)) return [cause.required('spec')];
    if (!SERVICE_TYPES.includes(s.type)) out.push(cause.notSupported('spec.type', s.type, SERVICE_TYPES));
    if (s.type !== 'ExternalName' && s.clusterIP !== 'None') {
      if (!Array.isArray(s.ports) || s.ports.length === 0) out.push(cause.required('spec.ports'));
    }
    if (Array.isArray(s.ports)) {
      const seen = new Set<string>();
      s.ports.forEach((p: unknown, i: number) => {
        const f = `spec.ports[${i}]`;
        if (!isObject(p)) return out.push(cause.invalid(f, p, 'must be an object'));
        if (typeof p.port !== 'number' || p.port < 1 || p.port > 65535)
          out.push(cause.invalid(`${f}.port`, p.port, 'must be between 1 and 65535, inclusive'));
        if (s.ports.length > 1 && !p.name) out.push(cause.required(`${f}.name`));
        if (!['TCP', 'UDP', 'SCTP'].includes(p.protocol))
          out.push(cause.notSupported(`${f}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
        const k = `${p.port}/${p.protocol}`;
        if (seen.has(k)) out.push(cause.duplicate(f, { port: p.port, protocol: p.protocol }));
        seen.add(k);
        if (p.nodePort !== undefined && p.nodePort !== 0) {
          if (s.type === 'ClusterIP')
            out.push(cause.forbidden(`${f}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
          else if (typeof p.nodePort !== 'number' || p.nodePort < 30000 || p.nodePort > 32767)
            out.push(
              cause.invalid(
                `${f}.nodePort`,
                p.nodePort,
                'provided port is not in the valid range. The range of valid ports is 30000-32767',
              ),
            );
        }
        if (typeof p.targetPort === 'number' && (p.targetPort < 1 || p.targetPort > 65535))
          out.push(cause.invalid(`${f}.targetPort`, p.targetPort, 'must be between 1 and 65535, inclusive'));
      });
    }
    if (s.selector !== undefined && s.selector !== null && !isObject(s.selector))
      out.push(cause.invalid('spec.selector', s.selector, 'must be a map'));
    if (
      old?.spec?.clusterIP &&
      s.clusterIP &&
      old.spec.clusterIP !== s.clusterIP &&
      s.type !== 'ExternalName' &&
      old.spec.type !== 'ExternalName'
    ) {
      out.push(cause.immutable('spec.clusterIPs[0]', s.clusterIP));
    }
    return out;
  },
};

const simple = (kind: string, plural: string, singular: string, extra: Partial<ResourceDef> = {}): ResourceDef => ({
  group: '',
  version: 'v1',
  kind,
  plural,
  singular,
  namespaced: true,
  verbs: DEFAULT_VERBS,
  ...extra,
});

export const configmaps = simple('ConfigMap', 'configmaps', 'configmap', {
  shortNames: ['cm'],
  validate(o: KObject) {
    const out: StatusCause[] = [];
    for (const f of ['data', 'binaryData']) {
      const d = o[f];
      if (d === undefined || d === null) continue;
      if (!isObject(d)) out.push(cause.invalid(f, d, 'must be a map'));
      else
        for (const [k, v] of Object.entries(d)) {
          if (!/^[-._a-zA-Z0-9]+$/.test(k))
            out.push(
              cause.invalid(
                `${f}[${k}]`,
                k,
                "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
              ),
            );
          if (typeof v !== 'string') out.push(cause.invalid(`${f}[${k}]`, v, 'must be a string'));
        }
    }
    return out;
  },
});

export const secrets = simple('Secret', 'secrets', 'secret', {
  defaults(o: KObject) {
    o.type ??= 'Opaque';
    if (isObject(o.stringData)) {
      const data: Record<string, unknown> = isObject(o.data) ? { ...o.data } : {};
      for (const [k, v] of Object.entries(o.stringData)) data[k] = Buffer.from(String(v)).toString('base64');
      o.data = data;
      delete o.stringData;
    }
  },
  fields(o: Kind<Secret>) {
    return { type: o.type ?? '' };
  },
});

export const serviceaccounts = simple('ServiceAccount', 'serviceaccounts', 'serviceaccount', {
  shortNames: ['sa'],
  subresources: [
    { name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] },
  ],
});

export const endpoints = simple('Endpoints', 'endpoints', 'endpoints', { shortNames: ['ep'] });

export const events = simple('Event', 'events', 'event', {
  shortNames: ['ev'],
  fields(o: EventObject) {
    const io: ObjectReference = o.involvedObject ?? {};
    return {
      'involvedObject.kind': io.kind ?? '',
      'involvedObject.namespace': io.namespace ?? '',
      'involvedObject.name': io.name ?? '',
      'involvedObject.uid': io.uid ?? '',
      'involvedObject.apiVersion': io.apiVersion ?? '',
      'involvedObject.resourceVersion': io.resourceVersion ?? '',
      'involvedObject.fieldPath': io.fieldPath ?? '',
      reason: o.reason ?? '',
      reportingComponent: o.reportingComponent ?? '',
      source: o.source?.component ?? '',
      type: o.type ?? '',
    };
  },
});
