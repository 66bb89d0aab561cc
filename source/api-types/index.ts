// Kubernetes wire shapes shared by the engine and the client. Kept deliberately loose:
// objects keep unknown fields, so most of them are typed as records with the common parts named.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

/** The fields every wire object has; everything else is kept but unknown until narrowed. */
export interface KObjectBase {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface KObject extends KObjectBase {
  // The one allowed `any` of the wire shape (eslint.config.js): code reads `spec`/`status` of every
  // kind through it. Give a module real types by narrowing to a kubernetes-types kind with `Kind<T>`
  // where it reads fields; making these `unknown` is the next step.
  spec?: any;
  status?: any;
}

/**
 * A wire object read as the kubernetes-types kind `T` (`Kind<Pod>`, `Kind<Event>`): T's own fields
 * typed, all optional because the store keeps what clients sent. Every `KObject` is assignable to it,
 * so a function can take `Kind<T>` and its callers keep passing `KObject`.
 */
export type Kind<T> = KObjectBase & Partial<Omit<T, 'apiVersion' | 'kind' | 'metadata'>>;

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface KList<T extends KObject = KObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent<T = KObject> {
  type: WatchEventType;
  object: T;
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableRow {
  cells: unknown[];
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: ListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}
