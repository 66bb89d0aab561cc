// A stand-in API server for client tests while the real engine is being built: serves discovery,
// one resource (pods) as Tables, and watch streams the test drives. Replace with the engine.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

export interface FakeApi {
  url: string;
  kc: KubeConfig;
  pods: Map<string, any>;
  rv: number;
  requests: string[];
  add(name: string, ns?: string, status?: string): any;
  update(name: string, status: string): void;
  remove(name: string): void;
  /** Makes the next watch answer an ERROR 410 event. */
  expireNext(): void;
  dropWatches(): void;
  close(): Promise<void>;
}

const COLUMNS = [
  { name: 'Name', type: 'string', format: 'name', description: '', priority: 0 },
  { name: 'Status', type: 'string', format: '', description: '', priority: 0 },
  { name: 'Node', type: 'string', format: '', description: '', priority: 1 },
];

export async function startFakeApi(): Promise<FakeApi> {
  const pods = new Map<string, any>();
  const watchers = new Set<http.ServerResponse>();
  let expire = false;
  let uidSeq = 0;
  const api: FakeApi = {
    url: '',
    kc: new KubeConfig(),
    pods,
    rv: 1,
    requests: [],
    add(name, ns = 'default', status = 'Running') {
      const obj = {
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { name, namespace: ns, uid: `uid-${++uidSeq}`, resourceVersion: String(++api.rv), creationTimestamp: new Date().toISOString() },
        status: { phase: status },
      };
      pods.set(name, obj);
      emit('ADDED', obj);
      return obj;
    },
    update(name, status) {
      const obj = structuredClone(pods.get(name));
      obj.status.phase = status;
      obj.metadata.resourceVersion = String(++api.rv);
      pods.set(name, obj);
      emit('MODIFIED', obj);
    },
    remove(name) {
      const obj = structuredClone(pods.get(name));
      pods.delete(name);
      obj.metadata.resourceVersion = String(++api.rv);
      emit('DELETED', obj);
    },
    expireNext() {
      expire = true;
    },
    dropWatches() {
      for (const w of watchers) w.destroy();
      watchers.clear();
    },
    close: () =>
      new Promise<void>((r) => {
        api.dropWatches();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };

  function table(objs: any[], withColumns: boolean) {
    return {
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: String(api.rv) },
      columnDefinitions: withColumns ? COLUMNS : [],
      rows: objs.map((o) => ({ cells: [o.metadata.name, o.status.phase, 'node1'], object: o })),
    };
  }

  function emit(type: string, obj: any) {
    for (const w of watchers) w.write(JSON.stringify({ type, object: table([obj], false) }) + '\n');
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    api.requests.push(`${req.method} ${url.pathname}${url.search}`);
    if (req.headers.authorization !== 'Bearer t0ken') {
      res.writeHead(401, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ kind: 'Status', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
    }
    const json = (body: unknown, ct = 'application/json') => {
      res.writeHead(200, { 'content-type': ct });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/version') return json({ major: '1', minor: '32', gitVersion: 'v1.32.4' });
    const agg = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
    if (url.pathname === '/api') {
      return json(
        {
          kind: 'APIGroupDiscoveryList',
          items: [
            {
              metadata: { name: '' },
              versions: [
                {
                  version: 'v1',
                  resources: [
                    { resource: 'pods', responseKind: { kind: 'Pod' }, scope: 'Namespaced', singularResource: 'pod', shortNames: ['po'], verbs: ['get', 'list', 'watch', 'delete'], subresources: [{ subresource: 'log' }] },
                    { resource: 'namespaces', responseKind: { kind: 'Namespace' }, scope: 'Cluster', singularResource: 'namespace', shortNames: ['ns'], verbs: ['get', 'list', 'watch'] },
                  ],
                },
              ],
            },
          ],
        },
        agg,
      );
    }
    if (url.pathname === '/apis') {
      return json(
        {
          kind: 'APIGroupDiscoveryList',
          items: [
            {
              metadata: { name: 'apps' },
              versions: [
                {
                  version: 'v1',
                  resources: [
                    { resource: 'deployments', responseKind: { kind: 'Deployment' }, scope: 'Namespaced', singularResource: 'deployment', shortNames: ['deploy'], verbs: ['get', 'list', 'watch'] },
                  ],
                },
              ],
            },
          ],
        },
        agg,
      );
    }
    const m = url.pathname.match(/^\/api\/v1(?:\/namespaces\/([^/]+))?\/pods$/);
    if (m) {
      const ns = m[1];
      const objs = [...pods.values()].filter((p) => !ns || p.metadata.namespace === ns);
      if (url.searchParams.get('watch') === 'true') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.flushHeaders();
        if (expire) {
          expire = false;
          res.end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' } }) + '\n');
          return;
        }
        watchers.add(res);
        res.on('close', () => watchers.delete(res));
        return;
      }
      const limit = Number(url.searchParams.get('limit') || 0);
      const start = Number(url.searchParams.get('continue') || 0);
      const page = limit ? objs.slice(start, start + limit) : objs;
      const t: any = table(page, true);
      if (limit && start + limit < objs.length) t.metadata.continue = String(start + limit);
      return json(t);
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', status: 'Failure', message: 'not found', reason: 'NotFound', code: 404 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.kc.loadFromOptions({
    clusters: [{ name: 'fake', server: api.url }],
    users: [{ name: 'u', token: 't0ken' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'u', namespace: 'default' }],
    currentContext: 'fake',
  });
  return api;
}
