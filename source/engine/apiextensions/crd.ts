import type { KObject, StatusCause } from '../../api-types/index.ts';
import { rfc3339 } from '../clock.ts';
import { DEFAULT_VERBS, resourceKey, type ResourceDef } from '../resources/types.ts';
import type { Store } from '../store/store.ts';
import { customResourceDef, type CrdSpec } from './custom-def.ts';
import { structuralErrors } from './structural.ts';

const CRD_KEY = 'customresourcedefinitions.apiextensions.k8s.io';
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

function validateCrd(obj: KObject): StatusCause[] {
  const out: StatusCause[] = [];
  const spec = (obj.spec ?? {}) as Partial<CrdSpec>;
  const names = spec.names ?? ({} as CrdSpec['names']);
  if (!spec.group) out.push({ reason: 'FieldValueRequired', field: 'spec.group', message: 'Required value' });
  else if (!spec.group.includes('.'))
    out.push({
      reason: 'FieldValueInvalid',
      field: 'spec.group',
      message: `Invalid value: ${JSON.stringify(spec.group)}: should be a domain with at least one dot`,
    });
  if (!names.plural) out.push({ reason: 'FieldValueRequired', field: 'spec.names.plural', message: 'Required value' });
  else if (!DNS_LABEL.test(names.plural))
    out.push({
      reason: 'FieldValueInvalid',
      field: 'spec.names.plural',
      message: `Invalid value: ${JSON.stringify(names.plural)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    });
  if (names.singular && !DNS_LABEL.test(names.singular))
    out.push({
      reason: 'FieldValueInvalid',
      field: 'spec.names.singular',
      message: `Invalid value: ${JSON.stringify(names.singular)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
    });
  if (!names.kind) out.push({ reason: 'FieldValueRequired', field: 'spec.names.kind', message: 'Required value' });
  else if (!KIND.test(names.kind))
    out.push({
      reason: 'FieldValueInvalid',
      field: 'spec.names.kind',
      message: `Invalid value: ${JSON.stringify(names.kind)}: must be a valid kind`,
    });
  if (spec.group && names.plural && obj.metadata.name !== `${names.plural}.${spec.group}`) {
    out.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: ${JSON.stringify(obj.metadata.name)}: must be spec.names.plural+"."+spec.group`,
    });
  }
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') {
    out.push({
      reason: 'FieldValueNotSupported',
      field: 'spec.scope',
      message: `Unsupported value: ${JSON.stringify(spec.scope ?? '')}: supported values: "Cluster", "Namespaced"`,
    });
  }
  const versions = Array.isArray(spec.versions) ? spec.versions : [];
  if (!versions.length)
    out.push({
      reason: 'FieldValueInvalid',
      field: 'spec.versions',
      message: 'Invalid value: null: must have exactly one version marked as storage version',
    });
  else if (versions.filter((v) => v.storage).length !== 1) {
    out.push({
      reason: 'FieldValueInvalid',
      field: 'spec.versions',
      message: `Invalid value: ${JSON.stringify(versions.map((v) => ({ name: v.name, storage: v.storage })))}: must have exactly one version marked as storage version`,
    });
  }
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const at = `spec.versions[${i}]`;
    if (v.name && seen.has(v.name))
      out.push({
        reason: 'FieldValueDuplicate',
        field: `${at}.name`,
        message: `Duplicate value: ${JSON.stringify(v.name)}`,
      });
    seen.add(v.name);
    if (!v.name || !/^v\d+((alpha|beta)\d+)?$/.test(v.name))
      out.push({
        reason: 'FieldValueInvalid',
        field: `${at}.name`,
        message: `Invalid value: ${JSON.stringify(v.name ?? '')}: a DNS-1035 label must consist of lower case alphanumeric characters`,
      });
    if (!v.schema?.openAPIV3Schema)
      out.push({
        reason: 'FieldValueRequired',
        field: `${at}.schema.openAPIV3Schema`,
        message: 'Required value: schemas are required',
      });
    else out.push(...structuralErrors(v.schema.openAPIV3Schema, `${at}.schema.openAPIV3Schema`));
    out.push(...scaleErrors(v, `${at}.subresources.scale`));
    for (const [j, c] of (v.additionalPrinterColumns ?? []).entries()) {
      if (!['integer', 'number', 'string', 'boolean', 'date'].includes(c.type)) {
        out.push({
          reason: 'FieldValueNotSupported',
          field: `${at}.additionalPrinterColumns[${j}].type`,
          message: `Unsupported value: ${JSON.stringify(c.type)}: supported values: "boolean", "date", "integer", "number", "string"`,
        });
      }
    }
  });
  out.push(...conversionErrors(spec));
  return out;
}

const SIMPLE_PATH = /^(\.[A-Za-z_][A-Za-z0-9_-]*)+$/;

/** The scale subresource's paths: simple JSON paths under .spec / .status, as upstream checks them. */
function scaleErrors(v: CrdSpec['versions'][number], at: string): StatusCause[] {
  const scale = v.subresources?.scale;
  if (!scale) return [];
  const out: StatusCause[] = [];
  const check = (
    field: string,
    value: string | undefined,
    prefixes: string[],
    where: string,
    required: boolean,
  ): void => {
    if (!value) {
      if (required) out.push({ reason: 'FieldValueRequired', field: `${at}.${field}`, message: 'Required value' });
      return;
    }
    if (!SIMPLE_PATH.test(value) || !prefixes.some((p) => value.startsWith(p))) {
      out.push({
        reason: 'FieldValueInvalid',
        field: `${at}.${field}`,
        message: `Invalid value: ${JSON.stringify(value)}: should be a json path under ${where}`,
      });
    }
  };
  check('specReplicasPath', scale.specReplicasPath, ['.spec.'], '.spec', true);
  check('statusReplicasPath', scale.statusReplicasPath, ['.status.'], '.status', true);
  check('labelSelectorPath', scale.labelSelectorPath, ['.spec.', '.status.'], 'either .spec or .status', false);
  return out;
}

function conversionErrors(spec: Partial<CrdSpec>): StatusCause[] {
  const c = spec.conversion;
  if (!c) return [];
  const out: StatusCause[] = [];
  if (c.strategy !== 'None' && c.strategy !== 'Webhook') {
    out.push({
      reason: 'FieldValueNotSupported',
      field: 'spec.conversion.strategy',
      message: `Unsupported value: ${JSON.stringify(c.strategy ?? '')}: supported values: "None", "Webhook"`,
    });
  } else if (c.strategy === 'Webhook' && !c.webhook) {
    out.push({
      reason: 'FieldValueRequired',
      field: 'spec.conversion.webhook',
      message: 'Required value: required when strategy is set to Webhook',
    });
  } else if (c.strategy === 'None' && c.webhook) {
    out.push({
      reason: 'FieldValueForbidden',
      field: 'spec.conversion.webhook',
      message: 'Forbidden: should be null if strategy is not set to Webhook',
    });
  }
  return out;
}

/** status.storedVersions must name the storage version and only versions the spec still lists. */
function storedVersionErrors(obj: KObject): StatusCause[] {
  const stored: unknown = obj.status?.storedVersions;
  const versions = ((obj.spec ?? {}) as Partial<CrdSpec>).versions;
  if (!Array.isArray(stored) || !Array.isArray(versions)) return [];
  const out: StatusCause[] = [];
  if (!stored.length)
    return [
      {
        reason: 'FieldValueInvalid',
        field: 'status.storedVersions',
        message: 'Invalid value: []: must have at least one stored version',
      },
    ];
  const storage = versions.find((v) => v.storage);
  if (storage && !stored.includes(storage.name)) {
    out.push({
      reason: 'FieldValueInvalid',
      field: 'status.storedVersions',
      message: `Invalid value: ${JSON.stringify(stored)}: must have the storage version ${storage.name}`,
    });
  }
  stored.forEach((name, i) => {
    if (!versions.some((v) => v.name === name))
      out.push({
        reason: 'FieldValueInvalid',
        field: `status.storedVersions[${i}]`,
        message: `Invalid value: ${JSON.stringify(name)}: must appear in spec.versions`,
      });
  });
  return out;
}

/** As upstream's strategy does: a new storage version joins status.storedVersions at once. */
function recordStorageVersion(obj: KObject): void {
  const storage = ((obj.spec ?? {}) as Partial<CrdSpec>).versions?.find?.((v) => v.storage)?.name;
  if (!storage || !obj.status || !Array.isArray(obj.status.storedVersions)) return;
  if (!obj.status.storedVersions.includes(storage)) obj.status.storedVersions = [...obj.status.storedVersions, storage];
}

/** The CustomResourceDefinition kind itself. */
export const customresourcedefinitions: ResourceDef = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  verbs: DEFAULT_VERBS,
  hasStatus: true,
  subresources: [{ name: 'status', kind: 'CustomResourceDefinition', verbs: ['get', 'patch', 'update'] }],
  defaults(obj: KObject): void {
    const spec = obj.spec;
    if (!spec || typeof spec !== 'object') return;
    spec.names ??= {};
    if (spec.names.kind && !spec.names.listKind) spec.names.listKind = `${spec.names.kind}List`;
    if (spec.names.kind && !spec.names.singular) spec.names.singular = String(spec.names.kind).toLowerCase();
    spec.conversion ??= { strategy: 'None' };
  },
  prepareForUpdate: recordStorageVersion,
  validate: (obj, old) => [...validateCrd(obj), ...(old ? storedVersionErrors(obj) : [])],
};

/** The versions objects may be stored at: what the status lists, plus the current storage version. */
function storedVersions(crd: KObject): string[] {
  const spec = crd.spec as CrdSpec;
  const storage = spec.versions.find((v) => v.storage)?.name ?? spec.versions[0]!.name;
  const prior: unknown = crd.status?.storedVersions;
  const list = Array.isArray(prior) ? prior.filter((v): v is string => typeof v === 'string') : [];
  return list.includes(storage) ? list : [...list, storage];
}

function condition(type: string, status: string, reason: string, message: string, now: string): Record<string, string> {
  return { type, status, lastTransitionTime: now, reason, message };
}

/**
 * Serves the custom resources of every CustomResourceDefinition: on create/update its versions
 * are registered at once (so the next request finds them) and its status says NamesAccepted and
 * Established; on deletion the kind stops being served and its objects are removed.
 */
export function installCustomResources(store: Store): void {
  const served = new Map<string, ResourceDef[]>();
  const unregister = (crdName: string): void => {
    for (const d of served.get(crdName) ?? []) store.registry.remove(d);
    served.delete(crdName);
  };
  const register = (crd: KObject): string | undefined => {
    const spec = crd.spec as CrdSpec;
    const key = `${spec.names.plural}.${spec.group}`;
    const existing = store.registry.get(key);
    const mine = served.get(crd.metadata.name!) ?? [];
    if (existing && !mine.includes(existing)) return `"${spec.names.plural}" is already in use`;
    unregister(crd.metadata.name!);
    // Objects are kept at the storage version; every served version is a view of them.
    const storage = spec.versions.find((v) => v.storage) ?? spec.versions[0]!;
    const def = customResourceDef(spec, storage);
    store.registry.add(def, storage.served);
    const defs = [def];
    for (const v of spec.versions) {
      if (v === storage || !v.served) continue;
      const view = customResourceDef(spec, v);
      store.registry.addVersion(view);
      defs.push(view);
    }
    served.set(crd.metadata.name!, defs);
    return undefined;
  };
  const setStatus = (crd: KObject): void => {
    const now = rfc3339(store.clock.now());
    const conflict = register(crd);
    const spec = crd.spec as CrdSpec;
    const accepted = !conflict;
    crd.status = {
      acceptedNames: accepted ? { ...spec.names } : { plural: '', kind: '' },
      storedVersions: storedVersions(crd),
      conditions: [
        condition(
          'NamesAccepted',
          accepted ? 'True' : 'False',
          accepted ? 'NoConflicts' : 'PluralConflict',
          accepted ? 'no conflicts found' : conflict!,
          now,
        ),
        condition(
          'Established',
          accepted ? 'True' : 'False',
          accepted ? 'InitialNamesAccepted' : 'NotAccepted',
          accepted ? 'the initial names have been accepted' : 'not all names are accepted',
          now,
        ),
      ],
    };
  };
  store.admit(CRD_KEY, {
    create: setStatus,
    update(obj, old) {
      if (JSON.stringify(obj.spec) !== JSON.stringify(old.spec)) setStatus(obj);
    },
    deleted(obj) {
      const spec = obj.spec as CrdSpec;
      const key = resourceKey({ group: spec.group, plural: spec.names.plural });
      if (served.has(obj.metadata.name!)) {
        for (const o of store.list(key).items) store.forceRemove(key, o.metadata.namespace, o.metadata.name!);
      }
      unregister(obj.metadata.name!);
    },
  });
  // CRDs stored before a restart.
  for (const crd of store.list(CRD_KEY).items) {
    if (register(crd)) continue;
  }
}
