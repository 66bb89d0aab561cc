import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { applyPatch, type PatchType } from '../../../source/engine/api/patch/index.ts';
import { checkBodyFields, checkPatchedFields, noteBody, unknownFields } from '../../../source/engine/api/strict.ts';
import { daemonsets, deployments, replicasets } from '../../../source/engine/resources/apps.ts';
import {
  configmaps,
  endpoints,
  events,
  namespaces,
  nodes,
  pods,
  secrets,
  serviceaccounts,
  services,
} from '../../../source/engine/resources/core.ts';
import { endpointslices, leases } from '../../../source/engine/resources/other.ts';
import type { ResourceDef } from '../../../source/engine/resources/types.ts';
import { ApiError } from '../../../source/engine/store/errors.ts';

function fakeRes() {
  const headers: Record<string, unknown> = {};
  return {
    headers,
    getHeader: (k: string) => headers[k.toLowerCase()],
    setHeader: (k: string, v: unknown) => void (headers[k.toLowerCase()] = v),
  } as unknown as ServerResponse & { headers: Record<string, unknown> };
}

/** Decode a body the way rest.ts does, then run the create check; returns the warnings. */
function create(body: string, query = '', format: 'json' | 'yaml' = 'json', def: ResourceDef = deployments) {
  const res = fakeRes();
  const obj = JSON.parse(body) as KObject;
  noteBody(obj, Buffer.from(body), format);
  checkBodyFields({ def, query: new URLSearchParams(query), res }, obj, 'create');
  return { obj, warnings: (res.headers.warning as string[] | undefined) ?? [] };
}

function thrown(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

// The body of kubernetes' test/integration/apiserver/field_validation_test.go.
const INVALID = `{
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": { "name": "dupename", "name": "x", "labels": {"app": "nginx"}, "unknownMeta": "metaVal" },
  "spec": {
    "unknown1": "val1", "unknownDupe": "valDupe", "unknownDupe": "valDupe2", "paused": true, "paused": false,
    "selector": { "matchLabels": { "app": "nginx" } },
    "template": {
      "metadata": { "labels": { "app": "nginx" } },
      "spec": { "containers": [{ "name": "nginx", "image": "nginx:latest", "unknownNested": "val1", "imagePullPolicy": "Always", "imagePullPolicy": "Never" }] }
    }
  }
}`;
const UPSTREAM_ERRORS = [
  'duplicate field "metadata.name"',
  'unknown field "metadata.unknownMeta"',
  'unknown field "spec.unknown1"',
  'unknown field "spec.unknownDupe"',
  'duplicate field "spec.paused"',
  'unknown field "spec.template.spec.containers[0].unknownNested"',
  'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
];

describe('fieldValidation on create and update bodies', () => {
  it('Strict refuses unknown and repeated fields with the apiserver message, in document order', () => {
    const e = thrown(() => create(INVALID, 'fieldValidation=Strict'));
    expect(e.code).toBe(400);
    expect(e.message).toBe(
      `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ${UPSTREAM_ERRORS.join(', ')}`,
    );
  });

  it('Warn (also the default) accepts, names each field in a Warning header and drops unknown fields', () => {
    for (const query of ['fieldValidation=Warn', '']) {
      const { obj, warnings } = create(INVALID, query);
      expect(warnings).toEqual(UPSTREAM_ERRORS.map((t) => `299 - ${JSON.stringify(t)}`));
      expect(warnings[1]).toBe('299 - "unknown field \\"metadata.unknownMeta\\""');
      expect(obj.metadata).toEqual({ name: 'x', labels: { app: 'nginx' } });
      expect(Object.keys(obj.spec)).toEqual(['paused', 'selector', 'template']);
      expect(obj.spec.template.spec.containers[0]).toEqual({
        name: 'nginx',
        image: 'nginx:latest',
        imagePullPolicy: 'Never',
      });
    }
  });

  it('Ignore says nothing but still drops unknown fields', () => {
    const { obj, warnings } = create(INVALID, 'fieldValidation=Ignore');
    expect(warnings).toEqual([]);
    expect(obj.spec.unknown1).toBeUndefined();
  });

  it('rejects an unknown directive like the apiserver validates CreateOptions', () => {
    const e = thrown(() => create('{}', 'fieldValidation=strict'));
    expect(e.code).toBe(422);
    expect(e.message).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
    );
  });

  it('reports YAML bodies in sorted order, as they reach Go re-encoded from a map', () => {
    const body = JSON.stringify({
      metadata: { name: 'x', unknownMeta: 1 },
      spec: { unknown1: 1, template: { spec: { containers: [{ name: 'c', unknownNested: 1 }] } } },
    });
    const e = thrown(() => create(body, 'fieldValidation=Strict', 'yaml'));
    expect(e.message).toContain(
      'strict decoding error: unknown field "metadata.unknownMeta", unknown field "spec.template.spec.containers[0].unknownNested", unknown field "spec.unknown1"',
    );
  });

  it('finds typos however deep: volumes, probes, init containers, affinity, lists of maps', () => {
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        initContainers: [{ name: 'i', image: 'x', volumeMounts: [{ name: 'v', mountPth: '/x' }] }],
        containers: [
          {
            name: 'c',
            image: 'x',
            livenessProbe: { httpGet: { port: 80, pth: '/' } },
            resources: { limits: { cpu: '1' } },
          },
        ],
        volumes: [{ name: 'v', configMap: { name: 'c', itemz: [] } }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'k', operator: 'In', valuez: [] }] }],
            },
          },
        },
      },
    });
    const e = thrown(() => create(body, 'fieldValidation=Strict', 'json', pods));
    expect(e.message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: ' +
        'unknown field "spec.initContainers[0].volumeMounts[0].mountPth", unknown field "spec.containers[0].livenessProbe.httpGet.pth", ' +
        'unknown field "spec.volumes[0].configMap.itemz", ' +
        'unknown field "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].valuez"',
    );
  });

  it('reports repeated keys inside maps, and understands escaped keys and tricky strings', () => {
    const body =
      '{"metadata":{"name":"x","labels":{"a":"1","a":"2"},"annotations":{"q":"say \\"hi\\" {[,]}\\\\"}},"spec":{"ima\\u0067ePullSecrets":[]}}';
    const e = thrown(() => create(body, 'fieldValidation=Strict', 'json', pods));
    expect(e.message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: duplicate field "metadata.labels.a"',
    );
  });

  it('leaves protobuf bodies alone (decoded by field number, they cannot carry unknown fields)', () => {
    const res = fakeRes();
    const obj = { metadata: { name: 'x' }, spec: {} } as KObject;
    noteBody(obj, Buffer.from('k8s\0'), 'protobuf');
    checkBodyFields({ def: deployments, query: new URLSearchParams('fieldValidation=Strict'), res }, obj, 'create');
  });

  // How cheap the check is on big objects is a benchmark's figure, not a wall-clock bound here.
  it('checks a 3 MB object with 30,000 fields, finding nothing unknown', () => {
    const data: Record<string, string> = {};
    for (let i = 0; i < 30_000; i++) data[`key-${i}`] = 'x'.repeat(90) + '"{}[]\\';
    const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big' }, data });
    expect(body.length).toBeGreaterThan(2_900_000);
    const obj = JSON.parse(body) as KObject;
    noteBody(obj, Buffer.from(body), 'json');
    const res = fakeRes();
    checkBodyFields({ def: configmaps, query: new URLSearchParams('fieldValidation=Strict'), res }, obj, 'create');
    expect(res.headers).toEqual({});
  });
});

describe('the field catalogue knows every field of every served kind', () => {
  const t = '2025-01-01T00:00:00Z';
  const micro = '2025-01-01T00:00:00.000000Z';
  const container = {
    name: 'c',
    image: 'nginx',
    command: ['a'],
    args: ['b'],
    workingDir: '/',
    ports: [{ name: 'http', containerPort: 80, protocol: 'TCP', hostPort: 0, hostIP: '' }],
    envFrom: [{ configMapRef: { name: 'c', optional: true }, prefix: 'P' }],
    env: [{ name: 'A', value: 'b', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } }],
    resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: 0.5 }, claims: [{ name: 'x' }] },
    resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }],
    restartPolicy: 'Always',
    volumeMounts: [
      {
        name: 'v',
        mountPath: '/v',
        readOnly: true,
        subPath: 's',
        mountPropagation: 'None',
        recursiveReadOnly: 'Disabled',
      },
    ],
    livenessProbe: {
      exec: { command: ['true'] },
      initialDelaySeconds: 1,
      periodSeconds: 2,
      timeoutSeconds: 3,
      successThreshold: 1,
      failureThreshold: 3,
      terminationGracePeriodSeconds: 5,
    },
    readinessProbe: { httpGet: { path: '/', port: 'http', scheme: 'HTTP', httpHeaders: [{ name: 'a', value: 'b' }] } },
    startupProbe: { tcpSocket: { port: 80 } },
    lifecycle: { preStop: { sleep: { seconds: 1 } }, postStart: { exec: { command: ['x'] } } },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'Always',
    securityContext: {
      capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
      privileged: false,
      runAsUser: 1000,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    stdin: false,
    stdinOnce: false,
    tty: false,
  };
  const podSpec = {
    volumes: [
      { name: 'v', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
      {
        name: 'w',
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3600 } },
            { clusterTrustBundle: { path: 'b', signerName: 's' } },
          ],
        },
      },
      {
        name: 'e',
        ephemeral: {
          volumeClaimTemplate: {
            metadata: { labels: { a: 'b' } },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        },
      },
      { name: 'g', gitRepo: { repository: 'r' } },
    ],
    initContainers: [container],
    containers: [container],
    ephemeralContainers: [{ ...container, targetContainerName: 'c' }],
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    nodeSelector: { a: 'b' },
    serviceAccountName: 'default',
    serviceAccount: 'default',
    nodeName: 'node1',
    securityContext: { fsGroup: 1, sysctls: [{ name: 'a', value: 'b' }] },
    schedulerName: 'default-scheduler',
    tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }],
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { a: 'b' } },
      },
    ],
  };
  const meta = {
    name: 'x',
    namespace: 'default',
    uid: 'u',
    resourceVersion: '1',
    generation: 1,
    creationTimestamp: t,
    labels: { a: 'b' },
    annotations: { c: 'd' },
    ownerReferences: [
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'u', controller: true, blockOwnerDeletion: true },
    ],
    finalizers: ['f'],
    managedFields: [
      {
        manager: 'kubectl',
        operation: 'Update',
        apiVersion: 'v1',
        time: t,
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { '.': {}, 'f:a': {} } } },
      },
    ],
  };
  const template = { metadata: { labels: { a: 'b' } }, spec: podSpec };
  const cond = { type: 'Ready', status: 'True', lastTransitionTime: t, reason: 'r', message: 'm' };
  const state = {
    running: { startedAt: t },
    terminated: { exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t, containerID: 'c' },
    waiting: { reason: 'r' },
  };
  const samples: Array<[ResourceDef, object]> = [
    [
      pods,
      {
        spec: podSpec,
        status: {
          phase: 'Running',
          conditions: [{ ...cond, lastProbeTime: null }],
          hostIP: '1.2.3.4',
          hostIPs: [{ ip: '1.2.3.4' }],
          podIP: '10.0.0.1',
          podIPs: [{ ip: '10.0.0.1' }],
          startTime: t,
          qosClass: 'BestEffort',
          containerStatuses: [
            {
              name: 'c',
              state,
              lastState: {},
              ready: true,
              restartCount: 0,
              image: 'nginx',
              imageID: 'i',
              containerID: 'c',
              started: true,
            },
          ],
          initContainerStatuses: [],
          ephemeralContainerStatuses: [],
        },
      },
    ],
    [
      services,
      {
        spec: {
          type: 'NodePort',
          selector: { a: 'b' },
          ports: [{ name: 'h', port: 80, targetPort: 'http', nodePort: 30080, protocol: 'TCP' }],
          clusterIP: '10.96.0.1',
          clusterIPs: ['10.96.0.1'],
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          sessionAffinity: 'None',
          externalTrafficPolicy: 'Cluster',
          internalTrafficPolicy: 'Cluster',
        },
        status: { loadBalancer: {} },
      },
    ],
    [
      endpoints,
      {
        subsets: [
          {
            addresses: [
              { ip: '10.0.0.1', nodeName: 'n', targetRef: { kind: 'Pod', name: 'p', namespace: 'default', uid: 'u' } },
            ],
            notReadyAddresses: [],
            ports: [{ name: 'h', port: 80, protocol: 'TCP' }],
          },
        ],
      },
    ],
    [
      events,
      {
        involvedObject: { kind: 'Pod', name: 'p' },
        reason: 'Scheduled',
        message: 'm',
        source: { component: 'c', host: 'h' },
        firstTimestamp: t,
        lastTimestamp: t,
        count: 1,
        type: 'Normal',
        eventTime: micro,
        series: { count: 2, lastObservedTime: micro },
        action: 'Binding',
        reportingComponent: 'c',
        reportingInstance: 'i',
      },
    ],
    [
      nodes,
      {
        spec: {
          podCIDR: '10.0.0.0/24',
          podCIDRs: ['10.0.0.0/24'],
          taints: [{ key: 'k', effect: 'NoSchedule', timeAdded: t }],
          unschedulable: true,
        },
        status: {
          capacity: { cpu: '4', pods: '110' },
          allocatable: { cpu: '4' },
          conditions: [{ ...cond, lastHeartbeatTime: t }],
          addresses: [{ type: 'InternalIP', address: '1.2.3.4' }],
          daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
          nodeInfo: {
            machineID: 'm',
            systemUUID: 's',
            bootID: 'b',
            kernelVersion: 'k',
            osImage: 'o',
            containerRuntimeVersion: 'c',
            kubeletVersion: 'v1.32.4',
            kubeProxyVersion: 'v',
            operatingSystem: 'linux',
            architecture: 'amd64',
          },
          images: [{ names: ['nginx'], sizeBytes: 1 }],
        },
      },
    ],
    [namespaces, { spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active', conditions: [] } }],
    [configmaps, { data: { a: 'b' }, binaryData: { b: 'AA==' }, immutable: false }],
    [secrets, { data: { a: 'Yg==' }, stringData: { a: 'b' }, type: 'Opaque', immutable: true }],
    [
      serviceaccounts,
      { secrets: [{ name: 's' }], imagePullSecrets: [{ name: 'p' }], automountServiceAccountToken: false },
    ],
    [
      deployments,
      {
        spec: {
          replicas: 1,
          selector: { matchLabels: { a: 'b' }, matchExpressions: [{ key: 'a', operator: 'In', values: ['b'] }] },
          template,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
          minReadySeconds: 0,
          revisionHistoryLimit: 10,
          paused: false,
          progressDeadlineSeconds: 600,
        },
        status: {
          observedGeneration: 1,
          replicas: 1,
          updatedReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          unavailableReplicas: 0,
          conditions: [{ ...cond, lastUpdateTime: t }],
          collisionCount: 0,
        },
      },
    ],
    [
      replicasets,
      {
        spec: { replicas: 1, minReadySeconds: 0, selector: { matchLabels: { a: 'b' } }, template },
        status: {
          replicas: 1,
          fullyLabeledReplicas: 1,
          readyReplicas: 1,
          availableReplicas: 1,
          observedGeneration: 1,
          conditions: [cond],
        },
      },
    ],
    [
      daemonsets,
      {
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template,
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
          minReadySeconds: 0,
          revisionHistoryLimit: 10,
        },
        status: {
          currentNumberScheduled: 1,
          numberMisscheduled: 0,
          desiredNumberScheduled: 1,
          numberReady: 1,
          observedGeneration: 1,
          updatedNumberScheduled: 1,
          numberAvailable: 1,
          numberUnavailable: 0,
          collisionCount: 0,
          conditions: [cond],
        },
      },
    ],
    [
      endpointslices,
      {
        addressType: 'IPv4',
        endpoints: [
          {
            addresses: ['10.0.0.1'],
            conditions: { ready: true, serving: true, terminating: false },
            hostname: 'h',
            targetRef: { kind: 'Pod', name: 'p' },
            nodeName: 'n',
            zone: 'z',
            hints: { forZones: [{ name: 'z' }] },
          },
        ],
        ports: [{ name: '', port: 80, protocol: 'TCP', appProtocol: 'http' }],
      },
    ],
    [
      leases,
      {
        spec: {
          holderIdentity: 'h',
          leaseDurationSeconds: 40,
          acquireTime: micro,
          renewTime: micro,
          leaseTransitions: 0,
        },
      },
    ],
  ];

  it.each(samples.map(([def, body]) => [def.kind, def, body] as const))('%s', (_kind, def, body) => {
    const obj = {
      apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
      kind: def.kind,
      metadata: meta,
      ...body,
    } as KObject;
    expect(unknownFields(def, obj)).toEqual([]);
    expect(unknownFields(def, { ...obj, bogus: 1 } as KObject)).toEqual(['unknown field "bogus"']);
  });
});

describe('fieldValidation on patches', () => {
  const current = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'x', namespace: 'default', resourceVersion: '5' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:latest', imagePullPolicy: 'Always' }] },
      },
    },
  } as KObject;

  function patch(type: PatchType, text: string, query: string, cur: KObject = current) {
    const res = fakeRes();
    const patched = applyPatch(cur, text, type, { group: 'apps', kind: 'Deployment' }) as KObject;
    checkPatchedFields({ def: deployments, query: new URLSearchParams(query), res }, patched, cur, type, text);
    return { patched, warnings: (res.headers.warning as string[] | undefined) ?? [] };
  }

  const mergePatch = `{"spec": {"unknown1": "val1", "unknownDupe": "valDupe", "unknownDupe": "valDupe2", "paused": true, "paused": false,
    "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:latest", "unknownNested": "val1", "imagePullPolicy": "Always", "imagePullPolicy": "Never"}]}}}}`;
  const mergeErrors = [
    'duplicate field "spec.unknownDupe"',
    'duplicate field "spec.paused"',
    'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
    'unknown field "spec.template.spec.containers[0].unknownNested"',
    'unknown field "spec.unknown1"',
    'unknown field "spec.unknownDupe"',
  ];

  it('merge patch, Strict: 422 with repeated keys of the patch, then unknown fields of the result', () => {
    const e = thrown(() => patch('merge', mergePatch, 'fieldValidation=Strict'));
    expect(e.code).toBe(422);
    expect(e.reason).toBe('Invalid');
    expect(e.message).toMatch(/^ "" is invalid: patch: Invalid value: "\{.*\}": strict decoding error: /);
    expect(e.message.endsWith(`strict decoding error: ${mergeErrors.join(', ')}`)).toBe(true);
  });

  it('merge patch, Warn: warnings and a pruned result', () => {
    const { patched, warnings } = patch('merge', mergePatch, '');
    expect(warnings).toEqual(mergeErrors.map((t) => `299 - ${JSON.stringify(t)}`));
    expect(patched.spec.unknown1).toBeUndefined();
    expect(patched.spec.template.spec.containers[0].unknownNested).toBeUndefined();
  });

  it('JSON patch: its operations are checked too', () => {
    const ops = `[
      {"op": "add", "path": "/spec/unknown1", "value": "val1", "foo":"bar"},
      {"op": "add", "path": "/spec/unknown2", "path": "/spec/unknown3", "value": "val1"},
      {"op": "add", "path": "/spec/unknownDupe", "value": "valDupe"},
      {"op": "add", "path": "/spec/unknownDupe", "value": "valDupe2"},
      {"op": "add", "path": "/spec/paused", "value": true},
      {"op": "add", "path": "/spec/template/spec/containers/0/unknownNested", "value": "val1"}
    ]`;
    const e = thrown(() => patch('json', ops, 'fieldValidation=Strict'));
    expect(e.message).toContain(
      'strict decoding error: json patch unknown field "[0].foo", json patch duplicate field "[1].path", unknown field "spec.template.spec.containers[0].unknownNested", unknown field "spec.unknown1", unknown field "spec.unknown3", unknown field "spec.unknownDupe"',
    );
  });

  it('strategic merge patch, Strict: the value is the patch as Go prints a map', () => {
    const e = thrown(() =>
      patch(
        'strategic',
        '{"spec":{"foo":1,"template":{"spec":{"containers":[{"name":"nginx","imagee":"x"}]}}}}',
        'fieldValidation=Strict',
      ),
    );
    expect(e.message).toBe(
      ' "" is invalid: patch: Invalid value: "map[spec:map[foo:1 template:map[spec:map[containers:[map[imagee:x name:nginx]]]]]]": strict decoding error: unknown field "spec.foo", unknown field "spec.template.spec.containers[0].imagee"',
    );
  });

  it('does not hold fields the stored object already had against the patch', () => {
    const legacy = { ...current, spec: { ...current.spec, legacyField: 1 } } as KObject;
    const { patched, warnings } = patch('merge', '{"spec":{"replicas":3}}', 'fieldValidation=Strict', legacy);
    expect(warnings).toEqual([]);
    expect(patched.spec.legacyField).toBe(1);
  });

  it('PatchOptions are validated', () => {
    expect(thrown(() => patch('merge', '{}', 'fieldValidation=x')).message).toContain(
      'PatchOptions.meta.k8s.io "" is invalid',
    );
  });
});
