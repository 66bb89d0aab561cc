import type { ConfigMap } from 'kubernetes-types/core/v1.d.ts';
import type { Kind, KObject } from '../../api-types/index.ts';
import type { Store } from '../store/store.ts';

const ROOT_CA = 'kube-root-ca.crt';

function writable(ns: KObject | undefined): boolean {
  return !!ns && !ns.metadata.deletionTimestamp && ns.status?.phase !== 'Terminating';
}

/**
 * Every namespace has a `default` ServiceAccount and the `kube-root-ca.crt` ConfigMap with the
 * cluster's CA (upstream's serviceaccount and root-ca-cert-publisher controllers): created with
 * the namespace, recreated when deleted, the CA put back when changed.
 */
export function watchServiceAccounts(store: Store, caCert: string): Array<{ stop(): void }> {
  const ensure = (nsName: string) => {
    const ns = store.get('namespaces', undefined, nsName);
    if (!writable(ns)) return;
    try {
      if (!store.get('serviceaccounts', nsName, 'default'))
        store.create('serviceaccounts', { metadata: { name: 'default', namespace: nsName } });
      const cm = store.get('configmaps', nsName, ROOT_CA);
      const data = { 'ca.crt': caCert };
      if (!cm) {
        store.create('configmaps', {
          metadata: {
            name: ROOT_CA,
            namespace: nsName,
            annotations: {
              'kubernetes.io/description':
                'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
            },
          },
          data,
        });
      } else if ((cm as Kind<ConfigMap>).data?.['ca.crt'] !== caCert) {
        store.update('configmaps', { ...structuredClone(cm), data });
      }
    } catch {
      // The namespace went away meanwhile.
    }
  };
  return [
    store.watch('namespaces', {}, (ev) => {
      if (ev.type !== 'DELETED') ensure(ev.object.metadata.name!);
    }),
    store.watch('serviceaccounts', { fieldSelector: 'metadata.name=default' }, (ev) => {
      if (ev.type === 'DELETED') ensure(ev.object.metadata.namespace!);
    }),
    store.watch('configmaps', { fieldSelector: `metadata.name=${ROOT_CA}` }, (ev) => {
      if (ev.type === 'DELETED' || (ev.object as Kind<ConfigMap>).data?.['ca.crt'] !== caCert)
        ensure(ev.object.metadata.namespace!);
    }),
  ];
}
