import { describe, expect, it } from 'vitest';
import { MetricsPoller, quantityValue, type MetricsSnapshot } from '../../../source/client/metrics.ts';
import { ResourceRegistry } from '../../../source/client/registry.ts';
import type { TableSnapshot } from '../../../source/client/table-cache.ts';
import type { Transport } from '../../../source/client/transport.ts';
import { withMetricColumns } from '../../../source/ui/metrics/columns.ts';

const col = (name: string) => ({ name, type: 'string', format: '', description: '', priority: 0 });

describe('usage columns', () => {
  it('quantities: nanocores, Ki, plain numbers, exponents', () => {
    expect(quantityValue('250000000n')).toBeCloseTo(0.25);
    expect(quantityValue('2048Ki')).toBe(2 * 2 ** 20);
    expect(quantityValue('1.5')).toBe(1.5);
    expect(quantityValue('1e3')).toBe(1000);
    expect(quantityValue('bogus')).toBeUndefined();
  });

  it('pods: inserted before AGE, percentages of requests and limits, n/a without figures', () => {
    const snap: TableSnapshot = {
      columns: [col('Name'), col('Status'), col('Age')],
      rows: [
        {
          uid: '1',
          name: 'web',
          namespace: 'default',
          cells: ['web', 'Running', '5m'],
          object: {
            metadata: { name: 'web' },
            spec: { containers: [{ resources: { requests: { cpu: '200m', memory: '100Mi' }, limits: { cpu: '1' } } }] },
          },
        },
        {
          uid: '2',
          name: 'new',
          namespace: 'default',
          cells: ['new', 'Pending', '1s'],
          object: { metadata: { name: 'new' } },
        },
      ],
      version: 1,
      state: 'ready',
    };
    const metrics: MetricsSnapshot = {
      version: 1,
      failing: false,
      nodes: new Map(),
      pods: new Map([['default/web', { cpu: 0.05, memory: 25 * 2 ** 20 }]]),
    };
    const out = withMetricColumns(snap, metrics, 'pods');
    expect(out.columns.map((c) => c.name)).toEqual([
      'Name',
      'Status',
      'CPU',
      'MEM',
      '%CPU/R',
      '%CPU/L',
      '%MEM/R',
      '%MEM/L',
      'Age',
    ]);
    expect(out.rows[0]!.cells).toEqual(['web', 'Running', '50m', '25Mi', '25', '5', '25', 'n/a', '5m']);
    expect(out.rows[1]!.cells).toEqual(['new', 'Pending', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', '1s']);
  });

  it('the poller is off without metrics.k8s.io in discovery, and retries a failing API no more than every 30 s', async () => {
    const none = new MetricsPoller({} as Transport, new ResourceRegistry([]));
    expect(none.available).toBe(false);
    const info = (plural: string, namespaced: boolean) => ({
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      kind: plural,
      plural,
      singular: '',
      namespaced,
      shortNames: [],
      verbs: ['get', 'list'],
      categories: [],
      subresources: [],
    });
    let calls = 0;
    const failing = {
      json: async () => {
        calls++;
        throw new Error('503');
      },
    } as unknown as Transport;
    const p = new MetricsPoller(failing, new ResourceRegistry([info('pods', true), info('nodes', false)]), 10, 200);
    expect(p.available).toBe(true);
    const seen: boolean[] = [];
    const off = p.subscribe(() => seen.push(p.getSnapshot().failing));
    await new Promise((r) => setTimeout(r, 300));
    off();
    // The first try at once, one retry after 200 ms (two requests each: pods and nodes), one notification.
    expect(calls).toBe(4);
    expect(seen).toEqual([true]);
  });

  it('the poller publishes a new version only when the figures changed', async () => {
    const info = (plural: string, namespaced: boolean) => ({
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      kind: plural,
      plural,
      singular: '',
      namespaced,
      shortNames: [],
      verbs: ['get', 'list'],
      categories: [],
      subresources: [],
    });
    let polls = 0;
    const podList = (cpu: string) => ({
      items: [
        { metadata: { name: 'web', namespace: 'a' }, containers: [{ name: 'c', usage: { cpu, memory: '1Mi' } }] },
      ],
    });
    const transport = {
      json: async ({ path }: { path: string }) => {
        if (path.endsWith('/nodes'))
          return { items: [{ metadata: { name: 'n1' }, usage: { cpu: '1', memory: '1Gi' } }] };
        polls++;
        return podList(polls < 3 ? '5m' : '7m'); // the same twice, then changed
      },
    } as unknown as Transport;
    const p = new MetricsPoller(transport, new ResourceRegistry([info('pods', true), info('nodes', false)]), 10, 10);
    const versions: number[] = [];
    const off = p.subscribe(() => versions.push(p.getSnapshot().version));
    await new Promise<void>((resolve) => {
      const check = setInterval(() => polls >= 4 && (clearInterval(check), resolve()), 5);
    });
    off();
    expect(versions).toEqual([1, 2]); // the first figures, then the change; the repeats published nothing
    expect(p.getSnapshot().pods.get('a/web')?.cpu).toBeCloseTo(0.007);
  });
});
