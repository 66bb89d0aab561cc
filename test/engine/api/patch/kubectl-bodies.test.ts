// The exact bodies kubectl 1.32 sends (k8s-api.md §8.1, §8.4 and k8s-api-observed.txt).
import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../../source/engine/api/patch/index.ts';
import { deepFreeze, DEPLOYMENT, NODE, webDeployment } from './fixtures.ts';

const smp = (original: object, body: string, kind = DEPLOYMENT) =>
  applyPatch(deepFreeze(original), body, 'strategic', kind) as any;

describe('kubectl set / rollout / cordon bodies', () => {
  it('set image', () => {
    const result = smp(
      webDeployment(),
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.26","name":"nginx"}]}}}}',
    );
    const before = webDeployment().spec.template.spec.containers[0];
    expect(result.spec.template.spec.containers).toEqual([{ ...before, image: 'nginx:1.26' }]);
    expect(result.spec.template.spec).not.toHaveProperty('$setElementOrder/containers');
  });

  it('set image --record also writes the change-cause annotation', () => {
    const result = smp(
      webDeployment(),
      '{"metadata":{"annotations":{"kubernetes.io/change-cause":"kubectl set image deployment/web nginx=nginx:1.27 --record=true"}},"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.27","name":"nginx"}]}}}}',
    );
    expect(result.metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '2',
      'kubernetes.io/change-cause': 'kubectl set image deployment/web nginx=nginx:1.27 --record=true',
    });
    expect(result.spec.template.spec.containers[0].image).toBe('nginx:1.27');
  });

  it('set env appends to env (merge key name), keeping existing variables', () => {
    const result = smp(
      webDeployment(),
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"$setElementOrder/env":[{"name":"MODE"},{"name":"A"}],"env":[{"name":"A","value":"B"}],"name":"nginx"}]}}}}',
    );
    expect(result.spec.template.spec.containers[0].env).toEqual([
      { name: 'MODE', value: 'prod' },
      { name: 'A', value: 'B' },
    ]);
  });

  it('set resources merges into the container', () => {
    const result = smp(
      webDeployment(),
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"name":"nginx","resources":{"limits":{"cpu":"200m","memory":"512Mi"}}}]}}}}',
    );
    const c = result.spec.template.spec.containers[0];
    expect(c.resources).toEqual({ limits: { cpu: '200m', memory: '512Mi' } });
    expect(c.image).toBe('nginx:1.25');
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
  });

  it('rollout restart adds the restartedAt template annotation', () => {
    const result = smp(
      webDeployment(),
      '{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-26T05:40:00Z"}}}}}',
    );
    expect(result.spec.template.metadata).toEqual({
      creationTimestamp: null,
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-26T05:40:00Z' },
    });
  });

  it('rollout pause then resume', () => {
    const paused = smp(webDeployment(), '{"spec":{"paused":true}}');
    expect(paused.spec.paused).toBe(true);
    const resumed = smp(paused, '{"spec":{"paused":null}}');
    expect(resumed.spec).not.toHaveProperty('paused');
    expect(resumed.spec.replicas).toBe(3);
  });

  it('cordon and uncordon a node', () => {
    const node = { kind: 'Node', apiVersion: 'v1', metadata: { name: 'worker-1' }, spec: { podCIDR: '10.244.1.0/24' } };
    const cordoned = smp(node, '{"spec":{"unschedulable":true}}', NODE);
    expect(cordoned.spec).toEqual({ podCIDR: '10.244.1.0/24', unschedulable: true });
    const uncordoned = smp(cordoned, '{"spec":{"unschedulable":null}}', NODE);
    expect(uncordoned.spec).toEqual({ podCIDR: '10.244.1.0/24' });
  });
});

describe('kubectl apply (client-side, three-way patches)', () => {
  it('applies the observed update of deployment "api"', () => {
    const live = {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: {
        name: 'api',
        namespace: 'default',
        labels: { app: 'api' },
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'api' } },
        template: {
          metadata: { labels: { app: 'api' } },
          spec: {
            containers: [
              {
                name: 'api',
                image: 'nginx:1.25',
                env: [{ name: 'MODE', value: 'dev' }],
                ports: [{ containerPort: 80, protocol: 'TCP' }],
              },
            ],
          },
        },
      },
    };
    const body =
      '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"kind\\":\\"Deployment\\"}\\n"}},"spec":{"replicas":3,"template":{"spec":{"$setElementOrder/containers":[{"name":"api"}],"containers":[{"$setElementOrder/env":[{"name":"MODE"}],"env":[{"name":"MODE","value":"staging"}],"image":"nginx:1.26","name":"api"}]}}}}';
    const result = smp(live, body);
    expect(result.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(
      '{"kind":"Deployment"}\n',
    );
    expect(result.spec.replicas).toBe(3);
    expect(result.spec.template.spec.containers).toEqual([
      {
        name: 'api',
        image: 'nginx:1.26',
        env: [{ name: 'MODE', value: 'staging' }],
        ports: [{ containerPort: 80, protocol: 'TCP' }],
      },
    ]);
  });

  it('deletes env, ports, volumeMounts, a container and a volume ($patch: delete, $setElementOrder)', () => {
    const live = {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'smp', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'old' } },
      spec: {
        replicas: 1,
        template: {
          metadata: { labels: { app: 'smp' }, annotations: { team: 'a' } },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'nginx:1.25',
                args: ['--x', '--verbose'],
                env: [
                  { name: 'A', value: '1' },
                  { name: 'B', value: '2' },
                ],
                ports: [
                  { containerPort: 80, protocol: 'TCP' },
                  { containerPort: 443, protocol: 'TCP' },
                ],
                volumeMounts: [
                  { name: 'data', mountPath: '/data' },
                  { name: 'cache', mountPath: '/cache' },
                ],
                imagePullPolicy: 'IfNotPresent',
              },
              { name: 'side', image: 'busybox' },
            ],
            volumes: [
              { name: 'data', emptyDir: {} },
              { name: 'cache', emptyDir: {} },
            ],
            restartPolicy: 'Always',
          },
        },
      },
    };
    const body =
      '{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"new"}},"spec":{"template":{"metadata":{"annotations":null},"spec":{"$setElementOrder/containers":[{"name":"app"}],"$setElementOrder/volumes":[{"name":"data"}],"containers":[{"$setElementOrder/env":[{"name":"B"}],"$setElementOrder/ports":[{"containerPort":80}],"$setElementOrder/volumeMounts":[{"mountPath":"/data"}],"args":["--y"],"env":[{"name":"B","value":"3"},{"$patch":"delete","name":"A"}],"image":"nginx:1.26","name":"app","ports":[{"$patch":"delete","containerPort":443}],"volumeMounts":[{"$patch":"delete","mountPath":"/cache"}]},{"$patch":"delete","name":"side"}],"volumes":[{"$patch":"delete","name":"cache"}]}}}}';
    const result = smp(live, body);
    expect(result.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/last-applied-configuration': 'new' });
    expect(result.spec.template.metadata).toEqual({ labels: { app: 'smp' } });
    expect(result.spec.template.spec).toEqual({
      containers: [
        {
          name: 'app',
          image: 'nginx:1.26',
          args: ['--y'],
          env: [{ name: 'B', value: '3' }],
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
      restartPolicy: 'Always',
    });
    expect(JSON.stringify(result)).not.toContain('$');
  });

  it('switches a volume source and the deployment strategy type ($retainKeys)', () => {
    const live = webDeployment();
    live.spec.template.spec.volumes = [
      { name: 'data', emptyDir: { medium: 'Memory' } },
      { name: 'other', configMap: { name: 'cm' } },
    ];
    const body =
      '{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},"template":{"spec":{"$setElementOrder/volumes":[{"name":"data"}],"volumes":[{"$retainKeys":["hostPath","name"],"emptyDir":null,"hostPath":{"path":"/tmp"},"name":"data"}]}}}}';
    const result = smp(live, body);
    expect(result.spec.strategy).toEqual({ type: 'Recreate' });
    expect(result.spec.template.spec.volumes).toEqual([
      { name: 'data', hostPath: { path: '/tmp' } },
      { name: 'other', configMap: { name: 'cm' } },
    ]);
  });
});
