import { describe as suite, expect, it } from 'vitest';
import { humanDuration, relatedQueries, describe } from '../../source/describe/index.ts';
import { formatTabbed } from '../../source/describe/tabwriter.ts';
import { canonicalQuantity } from '../../source/describe/quantity.ts';
import { smartLabelFor } from '../../source/describe/generic.ts';
import { NOW } from './fixtures.ts';

suite('tabwriter', () => {
  it('aligns each column over a block of consecutive lines that have it', () => {
    expect(formatTabbed('a:\t1\nlonger:\t2\nbreak\nb:\t3\n')).toBe('a:       1\nlonger:  2\nbreak\nb:  3\n');
    // empty cells are padded; the text after the last tab is not a column
    expect(formatTabbed('L:\tx\n\ty\nName\t\tCPU\n')).toBe('L:    x\n      y\nName    CPU\n');
    // cells are measured in characters, not bytes
    expect(formatTabbed('é\tx\nab\ty')).toBe('é   x\nab  y');
  });
});

suite('age', () => {
  it('follows apimachinery HumanDuration', () => {
    const s = 1000;
    const cases: Array<[number, string]> = [
      [-2 * s, '<invalid>'],
      [-1 * s, '0s'],
      [0, '0s'],
      [119 * s, '119s'],
      [120 * s, '2m'],
      [125 * s, '2m5s'],
      [599 * s, '9m59s'],
      [600 * s, '10m'],
      [179 * 60 * s, '179m'],
      [3 * 3600 * s, '3h'],
      [3 * 3600 * s + 60 * s, '3h1m'],
      [8 * 3600 * s, '8h'],
      [47 * 3600 * s, '47h'],
      [48 * 3600 * s, '2d'],
      [50 * 3600 * s, '2d2h'],
      [8 * 86400 * s, '8d'],
      [729 * 86400 * s, '729d'],
      [730 * 86400 * s, '2y'],
      [731 * 86400 * s, '2y1d'],
      [8 * 365 * 86400 * s, '8y'],
    ];
    for (const [ms, want] of cases) expect(humanDuration(ms), `${ms}`).toBe(want);
  });
});

suite('quantities', () => {
  it('prints the canonical form', () => {
    const cases: Record<string, string> = {
      '1000m': '1',
      '0.5': '500m',
      '100m': '100m',
      '1024Mi': '1Gi',
      '1.5Gi': '1536Mi',
      '16318228Ki': '16318228Ki',
      '2000': '2k',
      '1e3': '1e3',
      '128974848': '128974848',
      '0.5Ki': '512',
      '0': '0',
    };
    for (const [input, want] of Object.entries(cases)) expect(canonicalQuantity(input), input).toBe(want);
  });
});

suite('field labels', () => {
  it('splits camel case and upper-cases acronyms like kubectl', () => {
    expect(smartLabelFor('apiVersion')).toBe('API Version');
    expect(smartLabelFor('creationTimestamp')).toBe('Creation Timestamp');
    expect(smartLabelFor('uid')).toBe('UID');
    expect(smartLabelFor('podCIDR')).toBe('Pod CIDR');
    expect(smartLabelFor('HTTPServer')).toBe('HTTP Server');
    expect(smartLabelFor('ipv4')).toBe('ipv4');
  });
});

suite('escaping and annotations', () => {
  it('escapes terminal control characters and folds long annotations', () => {
    const long = 'x'.repeat(150);
    const text = describe(
      { kind: 'Widget', metadata: { name: 'a\x1b[31mb', annotations: { note: long, multi: 'one\ntwo\n' } } },
      { now: NOW, events: [] },
    );
    expect(text).toContain('Name:         a^[[31mb\n');
    expect(text).toContain(
      `Annotations:  multi:\n                one\n                two\n              note:\n                ${'x'.repeat(138)}...\n`,
    );
    expect(text).not.toContain('\x1b');
  });
});

suite('relatedQueries', () => {
  const meta = { namespace: 'default', uid: 'u-1' };
  it('asks for events like kubectl (no kind for pods, mirror pod uid)', () => {
    expect(relatedQueries({ kind: 'Pod', metadata: { name: 'p', ...meta } })).toEqual([
      {
        apiPath: '/api/v1/namespaces/default/events',
        query: { fieldSelector: 'involvedObject.name=p,involvedObject.namespace=default,involvedObject.uid=u-1' },
        as: 'events',
      },
    ]);
    const mirror = relatedQueries({
      kind: 'Pod',
      metadata: { name: 'p', ...meta, annotations: { 'kubernetes.io/config.mirror': 'static' } },
    });
    expect(mirror[0].query.fieldSelector).toContain('involvedObject.uid=static');
  });

  it('asks for the deployment replica sets by its selector', () => {
    const q = relatedQueries({
      kind: 'Deployment',
      metadata: { name: 'web', ...meta },
      spec: {
        selector: {
          matchLabels: { app: 'web', tier: 'fe' },
          matchExpressions: [{ key: 'env', operator: 'In', values: ['b', 'a'] }],
        },
      },
    });
    expect(q).toEqual([
      {
        apiPath: '/api/v1/namespaces/default/events',
        query: {
          fieldSelector:
            'involvedObject.name=web,involvedObject.namespace=default,involvedObject.kind=Deployment,involvedObject.uid=u-1',
        },
        as: 'events',
      },
      {
        apiPath: '/apis/apps/v1/namespaces/default/replicasets',
        query: { labelSelector: 'app=web,env in (a,b),tier=fe' },
        as: 'replicaSets',
      },
    ]);
  });

  it('asks for endpoint slices, pods and node pods', () => {
    expect(relatedQueries({ kind: 'Service', metadata: { name: 'web', ...meta } })[0]).toEqual({
      apiPath: '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices',
      query: { labelSelector: 'kubernetes.io/service-name=web' },
      as: 'endpointSlices',
    });
    expect(
      relatedQueries({
        kind: 'ReplicaSet',
        metadata: { name: 'rs', ...meta },
        spec: { selector: { matchLabels: { app: 'web' } } },
      })[1],
    ).toEqual({ apiPath: '/api/v1/namespaces/default/pods', query: { labelSelector: 'app=web' }, as: 'pods' });
    const node = relatedQueries({ kind: 'Node', metadata: { name: 'worker-1', uid: 'n-1' } });
    expect(node.map((q) => [q.apiPath, q.as, q.query.fieldSelector])).toEqual([
      ['/api/v1/pods', 'pods', 'spec.nodeName=worker-1,status.phase!=Succeeded,status.phase!=Failed'],
      ['/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', 'leases', 'metadata.name=worker-1'],
      [
        '/api/v1/events',
        'events',
        'involvedObject.name=worker-1,involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=n-1',
      ],
      [
        '/api/v1/events',
        'events',
        'involvedObject.name=worker-1,involvedObject.namespace=,involvedObject.kind=Node,involvedObject.uid=worker-1',
      ],
    ]);
    expect(relatedQueries({ kind: 'Namespace', metadata: { name: 'default' } })).toEqual([]);
  });
});
