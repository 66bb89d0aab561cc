import type { KObject } from '../../api-types/index.ts';
import { ApiError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';

const NS = 'kube-system';
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';
export const KUBE_PROXY_IMAGE = 'registry.k8s.io/kube-proxy:v1.32.4';

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

function corednsDeployment(): KObject {
  const labels = { 'k8s-app': 'kube-dns' };
  return {
    metadata: { name: 'coredns', namespace: NS, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'coredns',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          dnsPolicy: 'Default',
          containers: [
            {
              name: 'coredns',
              image: COREDNS_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args: ['-conf', '/etc/coredns/Corefile'],
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              readinessProbe: {
                httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' },
                periodSeconds: 2,
                timeoutSeconds: 1,
                successThreshold: 1,
                failureThreshold: 3,
              },
              livenessProbe: {
                httpGet: { path: '/health', port: 8080, scheme: 'HTTP' },
                initialDelaySeconds: 60,
                timeoutSeconds: 5,
                successThreshold: 1,
                failureThreshold: 5,
              },
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
            },
          ],
        },
      },
    },
  };
}

function kubeProxyDaemonSet(): KObject {
  const labels = { 'k8s-app': 'kube-proxy' };
  return {
    metadata: { name: 'kube-proxy', namespace: NS, labels },
    spec: {
      selector: { matchLabels: labels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: 'kube-proxy',
          hostNetwork: true,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ operator: 'Exists' }],
          containers: [
            {
              name: 'kube-proxy',
              image: KUBE_PROXY_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
              securityContext: { privileged: true },
            },
          ],
        },
      },
    },
  };
}

function ensure(store: Store, resource: string, obj: KObject): void {
  if (store.get(resource, obj.metadata.namespace, obj.metadata.name!)) return;
  try {
    store.create(resource, obj);
  } catch (e) {
    if (!(e instanceof ApiError && e.reason === 'AlreadyExists')) throw e;
  }
}

/**
 * Create (idempotently) kube-system's workloads as kubeadm sets them up: the `coredns`
 * Deployment (2 replicas, tolerating the control plane) with its ConfigMap and ServiceAccount,
 * and the `kube-proxy` DaemonSet (tolerates everything: one pod on every node).
 */
export function ensureSystemWorkloads(store: Store): void {
  if (!store.get('namespaces', undefined, NS)) ensure(store, 'namespaces', { metadata: { name: NS } });
  ensure(store, 'serviceaccounts', { metadata: { name: 'coredns', namespace: NS } });
  ensure(store, 'serviceaccounts', { metadata: { name: 'kube-proxy', namespace: NS } });
  ensure(store, 'configmaps', { metadata: { name: 'coredns', namespace: NS }, data: { Corefile: COREFILE } });
  ensure(store, 'deployments.apps', corednsDeployment());
  ensure(store, 'daemonsets.apps', kubeProxyDaemonSet());
}
