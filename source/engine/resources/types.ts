import type { KObject, StatusCause, TableColumnDefinition } from '../../api-types/index.ts';
import type { TypeNode } from '../api/managed/types.ts';

/** What the engine knows about one kind of resource: naming, scope and its strategy hooks. */
export interface ResourceDef {
  group: string; // '' for the core group
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  /** Subresources served for this kind (status, scale, log, exec, ...). */
  subresources?: Array<{ name: string; kind?: string; group?: string; version?: string; verbs: string[] }>;
  /** The scale subresource of a custom resource: where its replicas live. */
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /** Whether `status` is a subresource: main-resource writes keep the old status, and vice versa. */
  hasStatus?: boolean;
  /** How names are validated (default: DNS-1123 subdomain). */
  nameFormat?: 'subdomain' | 'label' | 'dns1035' | 'path';
  /** Reset server-owned fields on create (e.g. status), in place. */
  prepareForCreate?(obj: KObject): void;
  /** Carry over server-owned fields from `old` on a main-resource update, in place. */
  prepareForUpdate?(obj: KObject, old: KObject): void;
  /**
   * Graceful deletion: the grace period in seconds (> 0 keeps the object with a deletionTimestamp
   * until its owner, e.g. the kubelet, finishes), or 0 to delete at once.
   */
  gracePeriod?(obj: KObject, requested: number | undefined): number;
  /** Adjust an object that is being marked for deletion (e.g. namespace phase), in place. */
  prepareForDelete?(obj: KObject): void;
  /** Apply the API server's defaults in place (on create and update). */
  defaults?(obj: KObject): void;
  /** Validate; return field causes (empty = valid). `old` is set on update. */
  validate?(obj: KObject, old?: KObject): StatusCause[];
  /**
   * Upstream's status strategy: when set, a status update changes only the status, shares the
   * stored spec and metadata (no defaulting, no `validate`), and only this checks the new status.
   */
  validateStatusUpdate?(obj: KObject, old: KObject): StatusCause[];
  /** Extra field-selector values beyond metadata.name / metadata.namespace. */
  fields?(obj: KObject): Record<string, string>;
  /** Server-side apply's view of the kind's schema (custom resources); built-ins use the catalogue. */
  ssaType?(): TypeNode;
  /** The OpenAPI (v2 form) schema of a kind the catalogue does not have (custom resources). */
  openapi?(): Record<string, unknown>;
  /** Type errors in an apply configuration (custom resources); built-ins use the catalogue. */
  validateApplied?(obj: KObject): string[];
  /** Paths of fields the schema does not declare, which pruning drops (custom resources). */
  unknownFields?(obj: KObject): string[];
  /**
   * A stored object as this version serves it (multi-version custom resources): objects are kept
   * at the storage version (or the one that was the storage version when they were written).
   */
  fromStorage?(obj: KObject): KObject;
  /** Why objects cannot be converted to or from this version (a `Webhook` conversion skiff does not call). */
  conversionError?: string;
  /** Sent as a `Warning` header with every request to this version (a deprecated CRD version). */
  deprecationWarning?: string;
  /** Server-side Table printing. */
  table?: {
    columns: TableColumnDefinition[];
    row(obj: KObject, now: number): unknown[];
    conditions?(obj: KObject): Array<{ type: string; status: string; reason?: string; message?: string }> | undefined;
  };
}

/** `apps/v1` or `v1`. */
export function apiVersionOf(def: ResourceDef): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** The key a resource is stored under: `pods`, `deployments.apps`. */
export function resourceKey(def: Pick<ResourceDef, 'group' | 'plural'>): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}

export const DEFAULT_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
