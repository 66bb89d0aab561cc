// Bench fixtures of the service proxy's benchmarks (nodeport.bench.ts, proxy-cpu.bench.ts and its
// proxy process, proxy-engine.ts): a Ready pod behind a NodePort in a bare store, and a wait for a
// port to listen.
import { connect } from 'node:net';
import type { Store } from '../source/engine/store/store.ts';

/** A Running, Ready pod with the given IP and a NodePort service selecting it. */
export function podBehindNodePort(
  store: Store,
  pod: { name: string; image: string; ip: string; node: string; targetPort: number },
): { nodePort: number; uid: string } {
  const { name } = pod;
  const created = store.create('pods', {
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { nodeName: pod.node, containers: [{ name: 'c', image: pod.image }] },
  });
  store.mutate(
    'pods',
    'default',
    name,
    (p) => {
      p.status = { phase: 'Running', podIP: pod.ip, conditions: [{ type: 'Ready', status: 'True' }] };
    },
    { subresource: 'status' },
  );
  const svc = store.create('services', {
    metadata: { name, namespace: 'default' },
    spec: { type: 'NodePort', selector: { app: name }, ports: [{ port: 80, targetPort: pod.targetPort }] },
  });
  return { nodePort: svc.spec.ports[0].nodePort as number, uid: created.metadata.uid! };
}

/** Resolves once `host:port` accepts a connection (tries every 50 ms, for 10 s). */
export function waitListening(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const attempt = () => {
      const s = connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () =>
        Date.now() > deadline ? reject(new Error(`${host}:${port} never listened`)) : setTimeout(attempt, 50),
      );
    };
    attempt();
  });
}
