import type { KObject } from '../api-types/index.ts';

/** The objects `kubectl create deployment`, `kubectl run` and `kubectl expose` would send. */

/** kubectl names the container after the image: `nginx:1.9.1` -> `nginx`, `reg.io/team/app` -> `app`. */
export function containerNameFor(image: string): string {
  const base = image.split('/').pop()!.split('@')[0].split(':')[0];
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/^-+|-+$/g, '') || 'app'
  );
}

export function deploymentManifest(
  name: string,
  image: string,
  namespace: string,
  replicas = 1,
  port?: number,
): KObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: containerNameFor(image), image, ...(port ? { ports: [{ containerPort: port }] } : {}) }],
        },
      },
    },
  };
}

export function podManifest(name: string, image: string, namespace: string, port?: number): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { run: name } },
    spec: { containers: [{ name, image, ...(port ? { ports: [{ containerPort: port }] } : {}) }] },
  };
}

export interface ExposeOptions {
  name?: string;
  port: number;
  targetPort?: number | string;
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  protocol?: string;
}

/** A Service selecting what `target` (a deployment, replicaset or pod) selects. */
export function serviceManifest(target: KObject, opts: ExposeOptions): KObject {
  const selector =
    target.kind === 'Pod' ? target.metadata.labels : (target.spec?.selector?.matchLabels ?? target.spec?.selector);
  if (!selector || !Object.keys(selector).length) {
    throw new Error(`couldn't find a selector for ${target.kind?.toLowerCase()}/${target.metadata.name}`);
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: opts.name ?? target.metadata.name,
      namespace: target.metadata.namespace,
      labels: target.metadata.labels,
    },
    spec: {
      type: opts.type ?? 'ClusterIP',
      selector,
      ports: [{ port: opts.port, targetPort: opts.targetPort ?? opts.port, protocol: opts.protocol ?? 'TCP' }],
    },
  };
}
