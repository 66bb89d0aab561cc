import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KObject } from '../../source/api-types/index.ts';
import { podDir, podMemoryDir } from '../../source/engine/runtime/paths.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// Pod volumes and environment with the real kubectl against a whole engine (time ×0.05: the
// kubelet's 10 s sync period is half a second here).
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const pod = (name: string): KObject | undefined => t.engine.ctx.store.get('pods', 'default', name);
const ready = (name: string) =>
  waitFor(
    () => pod(name)?.status?.containerStatuses?.every((c: { ready: boolean }) => c.ready),
    30_000,
    `${name} ready`,
  );
const apply = (yaml: string) => t.kubectl(['apply', '-f', '-'], { input: yaml });
/** What the command prints (kubectl's output loses its last newline). */
const exec = async (name: string, cmd: string, container?: string) =>
  (await t.kubectl(['exec', name, ...(container ? ['-c', container] : []), '--', 'sh', '-c', cmd], { reject: false }))
    .stdout;
const events = async (name: string) =>
  (await t.kubectl(['get', 'events', '--field-selector', `involvedObject.name=${name}`])).stdout;

describe('pod volumes', () => {
  it('configMap, secret (mode bits, items), downwardAPI, projected and a shared emptyDir', async () => {
    await apply(`
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {greeting: hello, app.properties: "color=blue\\n"}
---
apiVersion: v1
kind: Secret
metadata: {name: app-secret}
stringData: {password: s3cret, user: admin}
---
apiVersion: v1
kind: Pod
metadata: {name: files, labels: {app: files, tier: web}}
spec:
  containers:
  - name: main
    image: busybox
    command: [sh, -c, "echo shared > /scratch/from-main; sleep 3600"]
    volumeMounts:
    - {name: config, mountPath: /etc/config}
    - {name: secret, mountPath: /etc/secret}
    - {name: info, mountPath: /etc/podinfo}
    - {name: all, mountPath: /etc/all}
    - {name: scratch, mountPath: /scratch}
    - {name: config, mountPath: /etc/greeting.txt, subPath: greeting}
  - name: side
    image: busybox
    command: [sleep, "3600"]
    volumeMounts: [{name: scratch, mountPath: /shared}]
  volumes:
  - {name: config, configMap: {name: app-config}}
  - name: secret
    secret: {secretName: app-secret, defaultMode: 0400, items: [{key: password, path: db/password}, {key: user, path: user, mode: 0444}]}
  - name: info
    downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}, {path: name, fieldRef: {fieldPath: metadata.name}}]}
  - name: all
    projected:
      sources:
      - configMap: {name: app-config, items: [{key: greeting, path: greeting}]}
      - secret: {name: app-secret, items: [{key: user, path: user}]}
      - downwardAPI: {items: [{path: ns, fieldRef: {fieldPath: metadata.namespace}}]}
  - {name: scratch, emptyDir: {}}
`);
    await ready('files');
    expect(await exec('files', 'cat /etc/config/greeting /etc/config/app.properties')).toBe('hellocolor=blue');
    expect(await exec('files', 'cat /etc/secret/db/password; echo; cat /etc/secret/user')).toBe('s3cret\nadmin');
    expect(await exec('files', 'stat -L -c %a /etc/secret/db/password /etc/secret/user')).toBe('400\n444');
    expect(await exec('files', 'ls -a /etc/config')).toMatch(/\.\.data/);
    expect(await exec('files', 'cat /etc/podinfo/labels; echo; cat /etc/podinfo/name')).toBe(
      'app="files"\ntier="web"\nfiles',
    );
    expect(await exec('files', 'cat /etc/all/greeting /etc/all/user /etc/all/ns')).toBe('helloadmindefault');
    expect(await exec('files', 'cat /shared/from-main', 'side')).toBe('shared');
    expect(await exec('files', 'cat /etc/greeting.txt')).toBe('hello');
    // ConfigMap, Secret, downward API and projected volumes are read-only.
    const write = await t.kubectl(['exec', 'files', '--', 'sh', '-c', 'echo x > /etc/config/new'], { reject: false });
    expect(write.exitCode).not.toBe(0);
    expect(write.stderr).toMatch(/Read-only file system/);
  }, 120_000);

  it('emptyDir medium Memory: a tmpfs shared by the containers, removed with the pod', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: ram}
spec:
  containers:
  - name: main
    image: busybox
    command: [sh, -c, "echo in-memory > /cache/note; sleep 3600"]
    volumeMounts: [{name: cache, mountPath: /cache}]
  - name: side
    image: busybox
    command: [sleep, "3600"]
    volumeMounts: [{name: cache, mountPath: /mem}]
  volumes:
  - {name: cache, emptyDir: {medium: Memory, sizeLimit: 64Mi}}
`);
    await ready('ram');
    expect(await exec('ram', 'cat /mem/note', 'side')).toBe('in-memory');
    expect(await exec('ram', 'stat -f -L -c %T /cache')).toBe('tmpfs');
    // On the host it lives under /dev/shm, not in the pod's directory on disk.
    const uid = pod('ram')!.metadata.uid!;
    const hostDir = join(podMemoryDir(podDir(join(t.home, 'pods'), uid)), 'cache');
    expect(readFileSync(join(hostDir, 'note'), 'utf8')).toBe('in-memory\n');
    expect(await events('ram')).toMatch(/SizeLimitNotEnforced.*emptyDir "cache" is in memory/);
    await t.kubectl(['delete', 'pod', 'ram', '--wait=true']);
    await waitFor(() => !existsSync(hostDir), 20_000, 'the memory volume removed with the pod');
  }, 120_000);

  it('a ConfigMap update reaches the mounted files by the ..data swap; a subPath mount keeps the old content', async () => {
    await t.kubectl(['patch', 'configmap', 'app-config', '-p', '{"data":{"greeting":"bonjour"}}']);
    await waitFor(async () => (await exec('files', 'cat /etc/config/greeting')) === 'bonjour', 20_000, 'updated file');
    await waitFor(
      async () => (await exec('files', 'cat /etc/all/greeting')) === 'bonjour',
      20_000,
      'updated projection',
    );
    expect(await exec('files', 'cat /etc/greeting.txt')).toBe('hello');
  });

  it('a missing ConfigMap leaves the pod ContainerCreating with FailedMount until it exists', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: waits}
spec:
  containers:
  - {name: c, image: busybox, command: [sleep, "3600"], volumeMounts: [{name: cfg, mountPath: /cfg}]}
  volumes: [{name: cfg, configMap: {name: later}}]
`);
    await waitFor(
      async () =>
        (await events('waits')).includes('MountVolume.SetUp failed for volume "cfg" : configmap "later" not found'),
      20_000,
      'FailedMount',
    );
    expect((await t.kubectl(['get', 'pod', 'waits'])).stdout).toMatch(/waits\s+0\/1\s+ContainerCreating/);
    await t.kubectl(['create', 'configmap', 'later', '--from-literal=k=v']);
    await ready('waits');
    expect(await exec('waits', 'cat /cfg/k')).toBe('v');
  });

  it('hostPath: system paths and paths outside the allowed roots are refused; $SKIFF_HOME/hostpath is allowed', async () => {
    const dir = join(t.home, 'hostpath', 'site');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.html'), 'from the host\n');
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: hp-etc}
spec:
  containers: [{name: c, image: busybox, command: [sleep, "3600"], volumeMounts: [{name: h, mountPath: /host}]}]
  volumes: [{name: h, hostPath: {path: /etc}}]
---
apiVersion: v1
kind: Pod
metadata: {name: hp-ok}
spec:
  containers: [{name: web, image: nginx, volumeMounts: [{name: h, mountPath: /usr/share/nginx/html, readOnly: true}]}]
  volumes: [{name: h, hostPath: {path: ${dir}, type: Directory}}]
`);
    await waitFor(
      async () => (await events('hp-etc')).includes('hostPath "/etc" is a system path of the host'),
      20_000,
      'refusal event',
    );
    expect(pod('hp-etc')?.status?.phase).toBe('Pending');
    await ready('hp-ok');
    // The built-in nginx serves what the volume holds.
    const ip = pod('hp-ok')!.status.podIP;
    const body = await waitFor(async () => (await fetch(`http://${ip}/`)).text(), 10_000, 'page');
    expect(body).toBe('from the host\n');
  });

  it('the service-account volume holds a token from the engine issuer, ca.crt and the namespace', async () => {
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    expect(await exec('files', `ls ${dir}`)).toBe('ca.crt\nnamespace\ntoken');
    expect(await exec('files', `cat ${dir}/namespace`)).toBe('default');
    expect(await exec('files', `cat ${dir}/token`)).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});

describe('container environment', () => {
  it('value, configMapKeyRef, secretKeyRef, fieldRef, resourceFieldRef, envFrom with prefix, $(VAR) and service links', async () => {
    await t.kubectl(['create', 'service', 'clusterip', 'my-db', '--tcp=5432:5432']);
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: envs, labels: {app: envs}}
spec:
  containers:
  - name: c
    image: busybox
    command: [sh, -c, "env | sort; sleep 3600"]
    resources: {limits: {memory: 64Mi, cpu: 500m}}
    envFrom:
    - {configMapRef: {name: app-config}, prefix: CFG_}
    - secretRef: {name: app-secret}
    env:
    - {name: GREETING, valueFrom: {configMapKeyRef: {name: app-config, key: greeting}}}
    - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: app-secret, key: password}}}
    - {name: MAYBE, valueFrom: {configMapKeyRef: {name: app-config, key: nope, optional: true}}}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    - {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
    - {name: MEM_MI, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
    - {name: CPU, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
    - {name: URL, value: "http://$(POD_NAME):80/$(UNKNOWN)/$$(POD_NAME)"}
`);
    await ready('envs');
    const env = await exec('envs', 'env');
    for (const line of [
      'GREETING=bonjour',
      'CFG_greeting=bonjour',
      'user=admin',
      'DB_PASSWORD=s3cret',
      'POD_NAME=envs',
      `POD_IP=${pod('envs')!.status.podIP}`,
      `NODE=${pod('envs')!.spec.nodeName}`,
      'APP=envs',
      'MEM_MI=64',
      'CPU=1',
      'URL=http://envs:80/$(UNKNOWN)/$(POD_NAME)',
      'MY_DB_SERVICE_PORT=5432',
      'KUBERNETES_SERVICE_HOST=',
    ])
      expect(env).toContain(line);
    expect(env).toMatch(/MY_DB_PORT=tcp:\/\/127\.\d+\.\d+\.\d+:5432/);
    expect(env).not.toContain('MAYBE=');

    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: nolinks}
spec:
  enableServiceLinks: false
  containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
`);
    await ready('nolinks');
    const plain = await exec('nolinks', 'env');
    expect(plain).not.toContain('MY_DB_SERVICE_HOST');
    expect(plain).toContain('KUBERNETES_SERVICE_HOST=');
  });

  it('a missing key blocks the container with CreateContainerConfigError and an event naming it, until it appears', async () => {
    await apply(`
apiVersion: v1
kind: Pod
metadata: {name: needs-key}
spec:
  containers:
  - name: c
    image: busybox
    command: [sleep, "3600"]
    env: [{name: LEVEL, valueFrom: {configMapKeyRef: {name: app-config, key: level}}}]
`);
    await waitFor(
      async () =>
        /needs-key\s+0\/1\s+CreateContainerConfigError/.test((await t.kubectl(['get', 'pod', 'needs-key'])).stdout),
      20_000,
      'CreateContainerConfigError',
    );
    expect(await events('needs-key')).toContain("couldn't find key level in ConfigMap default/app-config");
    await t.kubectl(['patch', 'configmap', 'app-config', '-p', '{"data":{"level":"debug"}}']);
    await ready('needs-key');
    expect(await exec('needs-key', 'echo $LEVEL')).toBe('debug');
  });
});
