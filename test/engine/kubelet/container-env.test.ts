import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/engine/clock.ts';
import { ContainerConfigError, containerEnv, expand } from '../../../source/engine/kubelet/container-env.ts';
import { createRegistry } from '../../../source/engine/resources/index.ts';
import { Store } from '../../../source/engine/store/store.ts';

function store(): Store {
  const s = new Store(createRegistry(), new FakeClock());
  for (const name of ['default', 'apps']) s.create('namespaces', { metadata: { name } });
  s.create('services', {
    metadata: { name: 'kubernetes', namespace: 'default' },
    spec: { clusterIP: '127.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] },
  });
  s.create('services', {
    metadata: { name: 'my-db', namespace: 'apps' },
    spec: { clusterIP: '127.96.0.9', ports: [{ name: 'pg', port: 5432 }] },
  });
  s.create('configmaps', { metadata: { name: 'cfg', namespace: 'apps' }, data: { MODE: 'fast', LEVEL: '3' } });
  s.create('secrets', {
    metadata: { name: 'sec', namespace: 'apps' },
    data: { PASSWORD: Buffer.from('hunter2').toString('base64') },
  });
  return s;
}

const pod = {
  metadata: { name: 'p', namespace: 'apps', uid: 'u', labels: { app: 'x' } },
  spec: { nodeName: 'node1' },
  status: { podIP: '127.244.1.9', hostIP: '127.0.1.2' },
};

describe('containerEnv', () => {
  it('service links, envFrom, valueFrom and $(VAR) expansion', () => {
    const env = containerEnv(store(), pod, {
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
      env: [
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'PASSWORD' } } },
        { name: 'URL', value: 'http://$(IP):80/$(POD) $$(POD) $(NOPE)' },
      ],
    });
    expect(env).toMatchObject({
      MY_DB_SERVICE_HOST: '127.96.0.9',
      MY_DB_SERVICE_PORT: '5432',
      MY_DB_SERVICE_PORT_PG: '5432',
      MY_DB_PORT: 'tcp://127.96.0.9:5432',
      MY_DB_PORT_5432_TCP_ADDR: '127.96.0.9',
      KUBERNETES_SERVICE_HOST: '127.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      CFG_MODE: 'fast',
      POD: 'p',
      IP: '127.244.1.9',
      APP: 'x',
      PW: 'hunter2',
      URL: 'http://127.244.1.9:80/p $(POD) $(NOPE)',
    });
    // Without service links only the API server's own service is announced.
    const bare = containerEnv(
      store(),
      { ...pod, metadata: { ...pod.metadata, namespace: 'default' }, spec: { enableServiceLinks: false } },
      {},
    );
    expect(Object.keys(bare).every((k) => k.startsWith('KUBERNETES_'))).toBe(true);
    expect(bare.KUBERNETES_SERVICE_HOST).toBe('127.96.0.1');
  });

  it('a missing ConfigMap or key is a CreateContainerConfigError unless optional', () => {
    const s = store();
    expect(() => containerEnv(s, pod, { envFrom: [{ configMapRef: { name: 'nope' } }] })).toThrow(
      new ContainerConfigError('configmap "nope" not found'),
    );
    expect(() =>
      containerEnv(s, pod, { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'NOPE' } } }] }),
    ).toThrow("couldn't find key NOPE in ConfigMap apps/cfg");
    expect(
      containerEnv(s, pod, {
        env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'gone', key: 'k', optional: true } } }],
      }).X,
    ).toBeUndefined();
  });

  it('expand', () => {
    expect(expand('$(A)-$(B)', { A: '1' })).toBe('1-$(B)');
  });
});
