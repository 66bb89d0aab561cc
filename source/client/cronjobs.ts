import type { KObject } from '../api-types/index.ts';
import { MERGE_PATCH, type ObjectRef } from './actions.ts';
import { resourcePath } from './resource.ts';
import type { Transport } from './transport.ts';

/** CronJob actions, as `kubectl create job --from=cronjob/X` and `kubectl patch … suspend` do them. */

/** The Job `kubectl create job NAME --from=cronjob/X` posts (and k9s' trigger). */
export function jobFromCronJob(cj: KObject, name: string): KObject {
  const t = cj.spec?.jobTemplate ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata.namespace,
      labels: { ...(t.metadata?.labels ?? {}) },
      annotations: { ...(t.metadata?.annotations ?? {}), 'cronjob.kubernetes.io/instantiate': 'manual' },
      ownerReferences: [
        { apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name!, uid: cj.metadata.uid!, controller: true },
      ],
    },
    spec: structuredClone(t.spec ?? {}),
  };
}

/** A name like k9s gives triggered jobs: `<cronjob>-manual-<random>`, within 63 characters. */
export function manualJobName(cronJob: string, random = Math.random().toString(36).slice(2, 5)): string {
  return `${cronJob.slice(0, 52)}-manual-${random}`;
}

/** Run the CronJob's job now; returns the new Job's name. */
export async function triggerCronJob(t: Transport, ref: ObjectRef): Promise<string> {
  const cj = await t.json<KObject>({ path: resourcePath(ref.info, ref.namespace, ref.name) });
  const job = jobFromCronJob(cj, manualJobName(ref.name));
  const created = await t.json<KObject>({
    method: 'POST',
    path: `/apis/batch/v1/namespaces/${encodeURIComponent(cj.metadata.namespace!)}/jobs`,
    body: job,
  });
  return created.metadata.name!;
}

/** Suspend or resume: a merge patch on spec.suspend. */
export async function setSuspend(t: Transport, ref: ObjectRef, suspend: boolean): Promise<void> {
  await t.json({
    method: 'PATCH',
    path: resourcePath(ref.info, ref.namespace, ref.name),
    contentType: MERGE_PATCH,
    body: { spec: { suspend } },
  });
}
