import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

// Service-account credentials as clients use them: the Python client from the host with a
// `kubectl create token` token, and in-cluster from inside a pod with the projected token.
let t: TestEngine;

const HOST_SCRIPT = `
import os, sys
from kubernetes import client
c = client.Configuration()
c.host = os.environ['API']
c.ssl_ca_cert = os.environ['CA']
c.api_key = {'authorization': 'Bearer ' + os.environ['TOKEN']}
v1 = client.CoreV1Api(client.ApiClient(c))
print('pods:', ','.join(sorted(p.metadata.name for p in v1.list_namespaced_pod('default').items)))
for what, call in [('delete', lambda: v1.delete_namespaced_pod('web', 'default')),
                   ('secrets', lambda: v1.list_namespaced_secret('default')),
                   ('log', lambda: v1.read_namespaced_pod_log('web', 'default'))]:
    try:
        call()
        print(what, 'allowed')
    except client.exceptions.ApiException as e:
        import json
        print(what, e.status, json.loads(e.body)['message'])
`;

const POD = (script: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'lister' },
  spec: {
    serviceAccountName: 'viewer',
    restartPolicy: 'Never',
    containers: [{ name: 'main', image: 'python', command: ['/usr/bin/python3', '-c', script] }],
  },
});

const IN_POD_SCRIPT = `
import os
from kubernetes import client, config
d = '/var/run/secrets/kubernetes.io/serviceaccount'
print('files:', ','.join(sorted(f for f in os.listdir(d) if not f.startswith('..'))))
print('namespace:', open(d + '/namespace').read())
config.load_incluster_config()
v1 = client.CoreV1Api()
print('pods:', ','.join(sorted(p.metadata.name for p in v1.list_namespaced_pod('default').items)))
try:
    v1.delete_namespaced_pod('web', 'default')
except client.exceptions.ApiException as e:
    print('delete:', e.status)
`;

beforeAll(async () => {
  t = await startTestEngine();
  await t.kubectl(['create', 'serviceaccount', 'viewer']);
  await t.kubectl(['create', 'rolebinding', 'viewer', '--clusterrole=view', '--serviceaccount=default:viewer']);
  await t.kubectl(['run', 'web', '--image=nginx']);
}, 60_000);
afterAll(async () => {
  await t?.stop();
});

describe('service-account tokens with the Python client', () => {
  it('a created token lists pods from the host and is refused deletes and secrets as upstream words it', async () => {
    const token = (await t.kubectl(['create', 'token', 'viewer'])).stdout.trim();
    const ca = join(t.home, 'test-ca.crt');
    writeFileSync(ca, t.engine.caCert);
    await t.kubectl(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
    const r = await execa('/usr/bin/python3', ['-c', HOST_SCRIPT], {
      env: { API: t.engine.url, CA: ca, TOKEN: token },
      reject: false,
    });
    expect(r.stderr).toBe('');
    const SA = 'system:serviceaccount:default:viewer';
    expect(r.stdout).toContain('pods: web');
    expect(r.stdout).toContain(
      `delete 403 pods "web" is forbidden: User "${SA}" cannot delete resource "pods" in API group "" in the namespace "default"`,
    );
    expect(r.stdout).toContain(
      `secrets 403 secrets is forbidden: User "${SA}" cannot list resource "secrets" in API group "" in the namespace "default"`,
    );
    expect(r.stdout).toContain('log allowed');
  }, 60_000);

  it('the projected token lets an in-cluster client in a pod list pods, and only list', async () => {
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(POD(IN_POD_SCRIPT)) });
    await t.kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/lister', '--timeout=60s']);
    const logs = (await t.kubectl(['logs', 'lister'])).stdout;
    expect(logs).toContain('files: ca.crt,namespace,token');
    expect(logs).toContain('namespace: default');
    expect(logs).toMatch(/pods: .*lister/);
    expect(logs).toContain('delete: 403');
    const pod = JSON.parse((await t.kubectl(['get', 'pod', 'lister', '-o', 'json'])).stdout);
    expect(pod.spec.volumes[0].name).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(pod.spec.containers[0].volumeMounts).toContainEqual({
      name: pod.spec.volumes[0].name,
      readOnly: true,
      mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
    });
  }, 90_000);

  it('no token is mounted when automountServiceAccountToken is false', async () => {
    const pod = POD('import os; print(os.path.exists("/var/run/secrets/kubernetes.io/serviceaccount/token"))');
    pod.metadata.name = 'no-token';
    (pod.spec as Record<string, unknown>).automountServiceAccountToken = false;
    await t.kubectl(['apply', '-f', '-'], { input: JSON.stringify(pod) });
    await t.kubectl(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/no-token', '--timeout=60s']);
    expect((await t.kubectl(['logs', 'no-token'])).stdout.trim()).toBe('False');
  }, 60_000);
});
