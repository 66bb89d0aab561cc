import type { ControllerRevision } from 'kubernetes-types/apps/v1.d.ts';
import type { PodSpec } from 'kubernetes-types/core/v1.d.ts';
import type { Kind, ObjectMeta } from './index.ts';

/** A pod template as a revision stores it; `$patch: 'replace'` marks it as the whole template. */
export interface StoredTemplate {
  metadata?: ObjectMeta;
  spec?: PodSpec;
  [key: string]: unknown;
}

/**
 * A ControllerRevision as the StatefulSet and DaemonSet controllers write it: `data` is the strategic
 * merge patch that puts the pod template back (`{spec: {template: {..., $patch: 'replace'}}}`).
 */
export interface RevisionData {
  spec?: { template?: StoredTemplate };
}

export type RevisionObject = Kind<Omit<ControllerRevision, 'data'>> & { data?: RevisionData };
