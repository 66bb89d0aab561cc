import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../../source/engine/api/patch/index.ts';
import { apiError, deepFreeze, DEPLOYMENT, NODE, POD, SERVICE, webDeployment } from './fixtures.ts';

const smp = (original: object, patch: unknown, kind = POD) =>
  applyPatch(deepFreeze(original), patch, 'strategic', kind) as any;

function pod(spec: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p' }, spec, ...extra };
}

describe('strategic merge: merge keys per type path', () => {
  it('merges container ports on containerPort but Service ports on port', () => {
    const p = pod({ containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http' }] }] });
    const podResult = smp(p, {
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 9090 }] }] },
    });
    expect(podResult.spec.containers[0].ports).toEqual([
      { containerPort: 80, name: 'http', protocol: 'TCP' },
      { containerPort: 9090 },
    ]);

    const svc = {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 's' },
      spec: { ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] },
    };
    const svcResult = smp(
      svc,
      {
        spec: {
          ports: [
            { port: 80, targetPort: 9090 },
            { port: 443, targetPort: 8443 },
          ],
        },
      },
      SERVICE,
    );
    expect(svcResult.spec.ports).toEqual([
      { port: 80, targetPort: 9090, protocol: 'TCP' },
      { port: 443, targetPort: 8443 },
    ]);
  });

  it('merges the PodSpec lists of §8.3 on their keys', () => {
    const original = pod({
      containers: [
        {
          name: 'c',
          volumeMounts: [{ mountPath: '/a', name: 'v' }],
          volumeDevices: [{ devicePath: '/dev/x', name: 'd' }],
        },
      ],
      initContainers: [{ name: 'init', image: 'busybox' }],
      ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
      imagePullSecrets: [{ name: 'reg' }],
      hostAliases: [{ ip: '10.0.0.1', hostnames: ['a'] }],
      topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 1 }],
      schedulingGates: [{ name: 'gate' }],
      resourceClaims: [{ name: 'gpu', resourceClaimName: 'x' }],
    });
    const result = smp(original, {
      spec: {
        containers: [
          {
            name: 'c',
            volumeMounts: [{ mountPath: '/a', readOnly: true }],
            volumeDevices: [{ devicePath: '/dev/x', name: 'd2' }],
          },
        ],
        initContainers: [{ name: 'init', image: 'alpine' }],
        ephemeralContainers: [{ name: 'debug', tty: true }],
        imagePullSecrets: [{ name: 'reg2' }],
        hostAliases: [{ ip: '10.0.0.1', hostnames: ['b'] }],
        topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 2 }],
        schedulingGates: [{ name: 'gate2' }],
        resourceClaims: [
          { name: 'gpu', resourceClaimTemplateName: 't', $retainKeys: ['name', 'resourceClaimTemplateName'] },
        ],
      },
    });
    expect(result.spec).toEqual({
      containers: [
        {
          name: 'c',
          volumeMounts: [{ mountPath: '/a', name: 'v', readOnly: true }],
          volumeDevices: [{ devicePath: '/dev/x', name: 'd2' }],
        },
      ],
      initContainers: [{ name: 'init', image: 'alpine' }],
      ephemeralContainers: [{ name: 'debug', image: 'busybox', tty: true }],
      imagePullSecrets: [{ name: 'reg2' }, { name: 'reg' }],
      hostAliases: [{ ip: '10.0.0.1', hostnames: ['b'] }], // hostnames itself is atomic
      topologySpreadConstraints: [{ topologyKey: 'zone', maxSkew: 2 }],
      schedulingGates: [{ name: 'gate2' }, { name: 'gate' }],
      resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 't' }],
    });
  });

  it('puts new items before existing ones when no $setElementOrder is sent (as the apiserver does)', () => {
    const result = smp(pod({ containers: [{ name: 'a' }, { name: 'b' }] }), {
      spec: { containers: [{ name: 'new', image: 'x' }] },
    });
    expect(result.spec.containers.map((c: any) => c.name)).toEqual(['new', 'a', 'b']);
  });

  it('reorders with $setElementOrder, interleaving server-only items by their live position', () => {
    const live = pod({ containers: ['1', '2', '7', '9', '8', '3', '4'].map((name) => ({ name })) });
    const result = smp(live, {
      spec: {
        '$setElementOrder/containers': [{ name: '2' }, { name: '1' }, { name: '4' }, { name: '3' }],
        containers: [{ name: '1', image: 'one' }],
      },
    });
    expect(result.spec.containers.map((c: any) => c.name)).toEqual(['2', '1', '7', '9', '8', '4', '3']);
    expect(result.spec.containers[1]).toEqual({ name: '1', image: 'one' });
  });

  it('adds the new item where $setElementOrder puts it', () => {
    const result = smp(pod({ containers: [{ name: 'a' }, { name: 'b' }] }), {
      spec: {
        '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'c' }],
        containers: [{ name: 'c' }],
      },
    });
    expect(result.spec.containers.map((c: any) => c.name)).toEqual(['a', 'b', 'c']);
  });

  it('reaches the pod template of every workload kind', () => {
    const template = {
      metadata: { labels: { app: 'x' } },
      spec: { containers: [{ name: 'c', image: 'old', env: [{ name: 'A', value: '1' }] }] },
    };
    const patchTemplate = { spec: { containers: [{ name: 'c', env: [{ name: 'B', value: '2' }] }] } };
    const expected = [
      {
        name: 'c',
        image: 'old',
        env: [
          { name: 'B', value: '2' },
          { name: 'A', value: '1' },
        ],
      },
    ];
    for (const kind of ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet']) {
      const result = smp({ kind, spec: { template } }, { spec: { template: patchTemplate } }, { group: 'apps', kind });
      expect(result.spec.template.spec.containers, kind).toEqual(expected);
    }
    const job = smp(
      { kind: 'Job', spec: { template } },
      { spec: { template: patchTemplate } },
      { group: 'batch', kind: 'Job' },
    );
    expect(job.spec.template.spec.containers).toEqual(expected);
    const cron = smp(
      { kind: 'CronJob', spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } },
      { spec: { jobTemplate: { spec: { template: patchTemplate } } } },
      { group: 'batch', kind: 'CronJob' },
    );
    expect(cron.spec.jobTemplate.spec.template.spec.containers).toEqual(expected);
    const rc = smp(
      { kind: 'ReplicationController', spec: { template } },
      { spec: { template: patchTemplate } },
      { group: '', kind: 'ReplicationController' },
    );
    expect(rc.spec.template.spec.containers).toEqual(expected);
    const pt = smp({ kind: 'PodTemplate', template }, { template: patchTemplate }, { group: '', kind: 'PodTemplate' });
    expect(pt.template.spec.containers).toEqual(expected);
  });

  it('an empty merging list changes nothing; null or $patch: replace clears it', () => {
    const original = pod({ containers: [{ name: 'a' }], imagePullSecrets: [{ name: 'reg' }] });
    expect(smp(original, { spec: { imagePullSecrets: [] } }).spec.imagePullSecrets).toEqual([{ name: 'reg' }]);
    expect(smp(original, { spec: { imagePullSecrets: null } }).spec).not.toHaveProperty('imagePullSecrets');
    expect(smp(original, { spec: { imagePullSecrets: [{ $patch: 'replace' }] } }).spec.imagePullSecrets).toEqual([]);
  });

  it('replaces lists without a merge key atomically (args, command, tolerations, hostnames)', () => {
    const original = pod({
      containers: [{ name: 'c', args: ['a', 'b'], command: ['sh'] }],
      tolerations: [{ key: 'k1', operator: 'Exists' }],
    });
    const result = smp(original, {
      spec: { containers: [{ name: 'c', args: ['z'] }], tolerations: [{ key: 'k2', operator: 'Exists' }] },
    });
    expect(result.spec.containers[0]).toEqual({ name: 'c', args: ['z'], command: ['sh'] });
    expect(result.spec.tolerations).toEqual([{ key: 'k2', operator: 'Exists' }]);
  });

  it('merges conditions on type, node addresses on type and pod IPs on ip', () => {
    const node = {
      kind: 'Node',
      metadata: { name: 'n' },
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'MemoryPressure', status: 'False' },
        ],
        addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
      },
    };
    const result = smp(
      node,
      {
        status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'Hostname', address: 'n' }] },
      },
      NODE,
    );
    expect(result.status.conditions).toEqual([
      { type: 'Ready', status: 'True' },
      { type: 'MemoryPressure', status: 'False' },
    ]);
    expect(result.status.addresses).toEqual([
      { type: 'Hostname', address: 'n' },
      { type: 'InternalIP', address: '10.0.0.1' },
    ]);

    const p = pod({}, { status: { podIPs: [{ ip: '10.1.0.5' }], conditions: [{ type: 'Ready', status: 'False' }] } });
    const patched = smp(p, {
      status: { podIPs: [{ ip: 'fd00::5' }], conditions: [{ type: 'Ready', status: 'True' }] },
    });
    expect(patched.status.podIPs).toEqual([{ ip: 'fd00::5' }, { ip: '10.1.0.5' }]);
    expect(patched.status.conditions).toEqual([{ type: 'Ready', status: 'True' }]);

    const dep = smp(webDeployment(), { status: { conditions: [{ type: 'Available', status: 'False' }] } }, DEPLOYMENT);
    expect(dep.status.conditions.map((c: any) => `${c.type}=${c.status}`)).toEqual([
      'Available=False',
      'Progressing=True',
    ]);
  });

  it('merges node podCIDRs as a set of primitives', () => {
    const node = { kind: 'Node', spec: { podCIDRs: ['10.244.1.0/24'] } };
    expect(smp(node, { spec: { podCIDRs: ['fd00::/64', '10.244.1.0/24'] } }, NODE).spec.podCIDRs).toEqual([
      'fd00::/64',
      '10.244.1.0/24',
    ]);
  });
});

describe('strategic merge: metadata', () => {
  const owned = {
    kind: 'Pod',
    metadata: {
      name: 'p',
      labels: { a: '1', b: '2' },
      finalizers: ['example.com/one', 'example.com/two'],
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }],
    },
  };

  it('merges ownerReferences by uid', () => {
    const result = smp(owned, {
      metadata: {
        ownerReferences: [
          { uid: 'u1', blockOwnerDeletion: true },
          { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'u2' },
        ],
      },
    });
    expect(result.metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true, blockOwnerDeletion: true },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid: 'u2' },
    ]);
    const removed = smp(owned, { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'u1' }] } });
    expect(removed.metadata.ownerReferences).toEqual([]);
  });

  it('merges finalizers as a set (patchStrategy merge) and deletes with $deleteFromPrimitiveList', () => {
    expect(
      smp(owned, { metadata: { finalizers: ['example.com/two', 'example.com/three'] } }).metadata.finalizers,
    ).toEqual(['example.com/one', 'example.com/two', 'example.com/three']);
    const removed = smp(owned, { metadata: { '$deleteFromPrimitiveList/finalizers': ['example.com/one', 'missing'] } });
    expect(removed.metadata.finalizers).toEqual(['example.com/two']);
    expect(smp(owned, { metadata: { finalizers: null } }).metadata).not.toHaveProperty('finalizers');
    const both = smp(owned, {
      metadata: {
        '$setElementOrder/finalizers': ['example.com/two', 'example.com/new'],
        finalizers: ['example.com/new'],
        '$deleteFromPrimitiveList/finalizers': ['example.com/one'],
      },
    });
    expect(both.metadata.finalizers).toEqual(['example.com/two', 'example.com/new']);
  });

  it('$deleteFromPrimitiveList on a missing list adds nothing', () => {
    const result = smp(
      { kind: 'Pod', metadata: { name: 'p' } },
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } },
    );
    expect(result.metadata).toEqual({ name: 'p' });
  });

  it('merges labels and deletes keys and whole maps with null', () => {
    expect(smp(owned, { metadata: { labels: { a: null, c: '3' } } }).metadata.labels).toEqual({ b: '2', c: '3' });
    expect(smp(owned, { metadata: { labels: null } }).metadata).not.toHaveProperty('labels');
  });
});

describe('strategic merge: directives', () => {
  const original = pod({
    containers: [
      { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }] },
      { name: 'b', image: 'b:1' },
    ],
    nodeSelector: { disk: 'ssd', zone: 'z1' },
  });

  it('$patch: replace on a merging list replaces it', () => {
    const result = smp(original, { spec: { containers: [{ name: 'c', image: 'c:1' }, { $patch: 'replace' }] } });
    expect(result.spec.containers).toEqual([{ name: 'c', image: 'c:1' }]);
  });

  it('$patch: replace on a map replaces it', () => {
    const result = smp(original, { spec: { nodeSelector: { $patch: 'replace', gpu: 'yes' } } });
    expect(result.spec.nodeSelector).toEqual({ gpu: 'yes' });
  });

  it('$patch: delete on a map removes it', () => {
    const result = smp(original, { spec: { nodeSelector: { $patch: 'delete' } } });
    expect(result.spec).not.toHaveProperty('nodeSelector');
  });

  it('$patch: delete on a list element removes it, and is harmless when it is absent', () => {
    expect(smp(original, { spec: { containers: [{ $patch: 'delete', name: 'a' }] } }).spec.containers).toEqual([
      { name: 'b', image: 'b:1' },
    ]);
    expect(smp(original, { spec: { containers: [{ $patch: 'delete', name: 'zz' }] } }).spec.containers).toEqual(
      original.spec.containers,
    );
  });

  it('$patch: merge is the default and is stripped', () => {
    const result = smp(original, { spec: { $patch: 'merge', nodeSelector: { $patch: 'merge', zone: 'z2' } } });
    expect(result.spec.nodeSelector).toEqual({ disk: 'ssd', zone: 'z2' });
  });

  it('applies directives inside values that are new to the object, and never stores them', () => {
    const result = smp(pod({}), {
      spec: {
        containers: [
          {
            name: 'n',
            env: [
              { name: 'A', value: '1' },
              { $patch: 'delete', name: 'B' },
            ],
            '$setElementOrder/env': [{ name: 'A' }],
          },
          { $patch: 'delete', name: 'gone' },
        ],
        nodeSelector: { $patch: 'replace', a: 'b', c: null },
        affinity: { $patch: 'delete' },
      },
    });
    expect(result.spec).toEqual({
      containers: [{ name: 'n', env: [{ name: 'A', value: '1' }] }],
      nodeSelector: { a: 'b' },
    });
  });

  it('$retainKeys drops every other key of the live object', () => {
    const dep = webDeployment();
    const result = smp(
      dep,
      { spec: { strategy: { $retainKeys: ['type', 'rollingUpdate'], rollingUpdate: { maxSurge: 1 } } } },
      DEPLOYMENT,
    );
    expect(result.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 },
    });
  });

  it('$patch: replace honours the field schema inside the replacement', () => {
    const result = smp(original, {
      spec: { $patch: 'replace', containers: [{ name: 'x', env: [{ $patch: 'delete', name: 'Y' }] }] },
    });
    expect(result.spec).toEqual({ containers: [{ name: 'x', env: [] }] });
  });

  it('PodDisruptionBudget spec.selector has patchStrategy replace', () => {
    const pdb = { kind: 'PodDisruptionBudget', spec: { minAvailable: 1, selector: { matchLabels: { app: 'a' } } } };
    const result = smp(
      pdb,
      { spec: { selector: { matchExpressions: [{ key: 'k', operator: 'Exists' }] } } },
      { group: 'policy', kind: 'PodDisruptionBudget' },
    );
    expect(result.spec.selector).toEqual({ matchExpressions: [{ key: 'k', operator: 'Exists' }] });
  });
});

describe('strategic merge: kinds without a schema', () => {
  const widget = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', finalizers: ['a'] },
    spec: { items: [{ name: 'a', v: 1 }], size: 1, extra: { x: 1 } },
  };

  it('falls back to merge-patch semantics: lists replace, maps merge, null deletes', () => {
    const result = smp(
      widget,
      { metadata: { finalizers: ['b'] }, spec: { items: [{ name: 'a', v: 2 }], size: null, extra: { y: 2 } } },
      { group: 'example.com', kind: 'Widget' },
    );
    expect(result.spec).toEqual({ items: [{ name: 'a', v: 2 }], extra: { x: 1, y: 2 } });
    // ObjectMeta is only known through a kind's schema, so finalizers replace here too.
    expect(result.metadata.finalizers).toEqual(['b']);
  });

  it('ConfigMaps (built in, no merge keys) merge data maps', () => {
    const cm = { kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['a'] }, data: { a: '1', b: '2' } };
    const result = smp(
      cm,
      { metadata: { finalizers: ['b'] }, data: { a: null, c: '3' } },
      { group: '', kind: 'ConfigMap' },
    );
    expect(result.data).toEqual({ b: '2', c: '3' });
    expect(result.metadata.finalizers).toEqual(['b', 'a']); // new items first, as upstream orders them
  });
});

describe('strategic merge: invalid patches answer 400', () => {
  const original = pod({ containers: [{ name: 'a', image: 'a:1', ports: [{ containerPort: 80 }] }] });
  const cases: Array<[string, unknown, RegExp]> = [
    ['a body that is not an object', [{ op: 'add' }], /must be a JSON object/],
    [
      'a list element without its merge key',
      { spec: { containers: [{ image: 'x' }] } },
      /does not contain declared merge key: name \(at spec\.containers\)/,
    ],
    [
      'a delete without the merge key',
      { spec: { containers: [{ $patch: 'delete', image: 'x' }] } },
      /does not contain declared merge key: name/,
    ],
    [
      'a nested element without its merge key',
      { spec: { containers: [{ name: 'a', ports: [{ protocol: 'UDP' }] }] } },
      /merge key: containerPort \(at spec\.containers\[name="a"\]\.ports\)/,
    ],
    ['an unknown $patch on a map', { spec: { $patch: 'explode' } }, /unknown patch type: "explode"/],
    [
      'an unknown $patch in a list',
      { spec: { containers: [{ $patch: 'explode', name: 'a' }] } },
      /unknown patch type: "explode" in list element at spec\.containers/,
    ],
    ['$retainKeys that is not a list', { spec: { $retainKeys: 'containers' } }, /invalid patch format of retainKeys/],
    [
      'a key missing from $retainKeys',
      { spec: { $retainKeys: ['containers'], hostname: 'h' } },
      /"hostname" is not in \$retainKeys/,
    ],
    [
      '$setElementOrder that is not a list',
      { spec: { '$setElementOrder/containers': { name: 'a' } } },
      /invalid patch format of setElementOrder list/,
    ],
    [
      '$setElementOrder items without the merge key',
      { spec: { '$setElementOrder/containers': ['a'] } },
      /needs the merge key "name"/,
    ],
    [
      '$setElementOrder contradicting the patch list',
      {
        spec: {
          '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
          containers: [{ name: 'b' }, { name: 'a' }],
        },
      },
      /doesn't match \$setElementOrder/,
    ],
    [
      '$setElementOrder missing a patched item',
      { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'z' }] } },
      /doesn't match/,
    ],
    [
      '$deleteFromPrimitiveList that is not a list',
      { metadata: { '$deleteFromPrimitiveList/finalizers': 'x' } },
      /invalid patch format of primitive list/,
    ],
    [
      '$deleteFromPrimitiveList of objects',
      { metadata: { '$deleteFromPrimitiveList/finalizers': [{ a: 1 }] } },
      /primitive list/,
    ],
    [
      'objects in a merging primitive list',
      { metadata: { finalizers: [{ a: 1 }] } },
      /list element types are not identical \(at metadata\.finalizers\)/,
    ],
    ['mixed element types in a merging list', { spec: { containers: [{ name: 'b' }, 'c'] } }, /not identical/],
    ['lists of lists in a merging list', { spec: { containers: [[{ name: 'b' }]] } }, /lists of lists/],
    ['deleting the whole object', { $patch: 'delete' }, /cannot delete the whole object/],
  ];
  it.each(cases)('%s', (_name, patch, message) => {
    const err = apiError(() => smp({ ...original, metadata: { name: 'p', finalizers: ['f'] } }, patch), 400);
    expect(err.reason).toBe('BadRequest');
    expect(err.message).toMatch(message);
  });
});
