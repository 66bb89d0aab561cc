import type { KObject } from '../../api-types/index.ts';
import { admissionName, forbidden } from '../auth/forbidden.ts';
import { requestUser } from '../auth/request-context.ts';
import { randomSuffix } from '../store/names.ts';
import type { Store } from '../store/store.ts';

export const SA_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const SA_TOKEN_SECONDS = 3607;

const suffix = () => randomSuffix();

/** Whether a pod volume is the projected service-account one this admission adds. */
export function isServiceAccountVolume(v: {
  name?: string;
  projected?: { sources?: Array<Record<string, unknown>> };
}): boolean {
  return (
    !!v?.name?.startsWith('kube-api-access-') && !!v.projected?.sources?.some((s) => s && 'serviceAccountToken' in s)
  );
}

/**
 * Upstream's ServiceAccount admission on pod create: the pod runs as `default` unless it names a
 * ServiceAccount, which must exist (API requests only; the engine's own controllers are trusted),
 * and unless automounting is off it gets the projected `kube-api-access-xxxxx` volume (token,
 * ca.crt, namespace) mounted read-only in every container.
 */
export function installServiceAccountAdmission(store: Store): void {
  store.admit('pods', {
    create(pod: KObject) {
      const spec = pod.spec;
      if (!spec) return;
      const ns = pod.metadata.namespace!;
      spec.serviceAccountName ||= spec.serviceAccount || 'default';
      spec.serviceAccount = spec.serviceAccountName;
      const sa = store.get('serviceaccounts', ns, spec.serviceAccountName);
      if (!sa && spec.serviceAccountName !== 'default' && requestUser()) {
        throw forbidden(
          '',
          'pods',
          admissionName(pod.metadata),
          `error looking up service account ${ns}/${spec.serviceAccountName}: serviceaccount "${spec.serviceAccountName}" not found`,
        );
      }
      if (
        spec.automountServiceAccountToken === false ||
        (spec.automountServiceAccountToken === undefined && sa?.automountServiceAccountToken === false)
      )
        return;
      const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
      if (
        containers.some((c) =>
          (c?.volumeMounts ?? []).some((m: { mountPath?: string }) => m?.mountPath === SA_MOUNT_PATH),
        )
      )
        return;
      spec.volumes ??= [];
      let volume = spec.volumes.find(isServiceAccountVolume);
      if (!volume) {
        volume = {
          name: `kube-api-access-${suffix()}`,
          projected: {
            defaultMode: 420,
            sources: [
              { serviceAccountToken: { expirationSeconds: SA_TOKEN_SECONDS, path: 'token' } },
              { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
              {
                downwardAPI: {
                  items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
                },
              },
            ],
          },
        };
        spec.volumes.push(volume);
      }
      for (const c of containers) {
        if (!c || typeof c !== 'object') continue;
        c.volumeMounts ??= [];
        c.volumeMounts.push({ name: volume.name, readOnly: true, mountPath: SA_MOUNT_PATH });
      }
    },
  });
}
