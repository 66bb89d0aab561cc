import type { KObject, StatusCause } from '../../api-types/index.ts';
import type { ResourceDef } from './types.ts';

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];

interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: { service?: { name?: string; port?: { name?: string; number?: number } }; resource?: unknown };
}

function validateBackend(b: IngressPath['backend'], field: string, causes: StatusCause[]): void {
  if (!b || (!b.service && !b.resource)) {
    causes.push({
      reason: 'FieldValueRequired',
      field,
      message: 'Required value: one backend (`service` or `resource`) must be specified',
    });
    return;
  }
  const port = b.service?.port;
  if (b.service && (!port || (port.name === undefined && port.number === undefined))) {
    causes.push({
      reason: 'FieldValueRequired',
      field: `${field}.service.port`,
      message: 'Required value: port name or number is required',
    });
  }
}

/** The apiserver's ValidateIngressSpec, for what the controller relies on. */
function validateIngress(o: KObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = o.spec ?? {};
  if (!spec.defaultBackend && !(spec.rules ?? []).length) {
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'spec',
      message: 'Invalid value: "": either `defaultBackend` or `rules` must be specified',
    });
  }
  if (spec.defaultBackend) validateBackend(spec.defaultBackend, 'spec.defaultBackend', causes);
  (spec.rules ?? []).forEach((r: { host?: string; http?: { paths?: IngressPath[] } }, i: number) => {
    (r?.http?.paths ?? []).forEach((p, j) => {
      const f = `spec.rules[${i}].http.paths[${j}]`;
      if (!p?.pathType)
        causes.push({
          reason: 'FieldValueRequired',
          field: `${f}.pathType`,
          message: 'Required value: pathType must be specified',
        });
      else if (!PATH_TYPES.includes(p.pathType))
        causes.push({
          reason: 'FieldValueNotSupported',
          field: `${f}.pathType`,
          message: `Unsupported value: "${p.pathType}": supported values: "Exact", "ImplementationSpecific", "Prefix"`,
        });
      if (p?.pathType !== 'ImplementationSpecific' && p?.path !== undefined && !String(p.path).startsWith('/')) {
        causes.push({
          reason: 'FieldValueInvalid',
          field: `${f}.path`,
          message: `Invalid value: "${p.path}": must be an absolute path`,
        });
      }
      validateBackend(p?.backend, `${f}.backend`, causes);
    });
  });
  return causes;
}

export const ingresses: ResourceDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  hasStatus: true,
  subresources: [{ name: 'status', verbs: ['get', 'patch', 'update'] }],
  prepareForCreate(o) {
    o.status = {};
  },
  validate: (o) => validateIngress(o),
};

export const ingressclasses: ResourceDef = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  validate(o) {
    return o.spec?.controller
      ? []
      : [{ reason: 'FieldValueRequired', field: 'spec.controller', message: 'Required value' }];
  },
};
