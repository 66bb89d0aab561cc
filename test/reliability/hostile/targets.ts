/** The objects and endpoints hostile requests aim at, and how to seed them. */
export const NS = '/api/v1/namespaces/default';
export const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';

export interface Collection {
  path: string;
  kind: string;
  apiVersion: string;
  namespaced: boolean;
}

export const COLLECTIONS: Collection[] = [
  { path: `${NS}/configmaps`, kind: 'ConfigMap', apiVersion: 'v1', namespaced: true },
  { path: `${NS}/pods`, kind: 'Pod', apiVersion: 'v1', namespaced: true },
  { path: `${NS}/secrets`, kind: 'Secret', apiVersion: 'v1', namespaced: true },
  { path: `${NS}/services`, kind: 'Service', apiVersion: 'v1', namespaced: true },
  { path: DEPLOYMENTS, kind: 'Deployment', apiVersion: 'apps/v1', namespaced: true },
  { path: '/api/v1/namespaces', kind: 'Namespace', apiVersion: 'v1', namespaced: false },
  { path: '/api/v1/nodes', kind: 'Node', apiVersion: 'v1', namespaced: false },
];

/** Existing objects named `target` (seeded before the run) that PUT, PATCH and DELETE aim at. */
export const ITEMS: Array<{ path: string; kind: string; apiVersion: string }> = COLLECTIONS.filter(
  (c) => c.namespaced && c.kind !== 'Service',
).map((c) => ({
  path: `${c.path}/target`,
  kind: c.kind,
  apiVersion: c.apiVersion,
}));

const podSpec = { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] };

/** A body that would be a valid create of `kind` named `name` (hostile requests break one thing in it). */
export function validBody(kind: string, name: string): Record<string, any> {
  const metadata = { name, labels: { app: 'hostile' } };
  switch (kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata, spec: podSpec };
    case 'Deployment':
      return {
        apiVersion: 'apps/v1',
        kind,
        metadata,
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'hostile' } },
          template: { metadata: { labels: { app: 'hostile' } }, spec: podSpec },
        },
      };
    case 'Service':
      return { apiVersion: 'v1', kind, metadata, spec: { selector: { app: 'hostile' }, ports: [{ port: 80 }] } };
    case 'Secret':
      return { apiVersion: 'v1', kind, metadata, stringData: { k: 'v' } };
    case 'ConfigMap':
      return { apiVersion: 'v1', kind, metadata, data: { k: 'v' } };
    default:
      return { apiVersion: 'v1', kind, metadata };
  }
}

/** Create the `target` objects (through the API, like any client). */
export async function seedTargets(post: (path: string, body: unknown) => Promise<number>): Promise<void> {
  for (const c of COLLECTIONS) {
    if (!ITEMS.some((i) => i.path === `${c.path}/target`)) continue;
    const code = await post(c.path, validBody(c.kind, 'target'));
    if (code !== 201) throw new Error(`seeding ${c.path}/target: HTTP ${code}`);
  }
}
