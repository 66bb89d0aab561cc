// The incremental xray tree: objects set and deleted one by one (as watch events bring them) must
// give the forest, rows and row order a full build of the same lists gives, after every batch of
// random changes, for every root kind; and the table patched with the changes each update reports
// must equal a full derive.
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import type { TableSnapshot } from '../../../source/client/table-cache.ts';
import { xrayRows } from '../../../source/ui/troubleshoot/xray-source.ts';
import { deriveTable, memoDerive, type DeriveOptions } from '../../../source/ui/table/derive.ts';
import { XrayModel, type XrayKind } from '../../../source/ui/xray/model.ts';
import { XRAY_COLUMNS, XrayRowModel } from '../../../source/ui/xray/rows.ts';
import { buildXray, type XrayInput, type XrayRoot } from '../../../source/ui/xray/tree.ts';

/** A seeded generator, so a failure repeats. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const KINDS: XrayKind[] = [
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'pods',
  'services',
  'endpointslices',
  'nodes',
];
const WAITING = ['CrashLoopBackOff', 'ImagePullBackOff', 'ContainerCreating'];

/** A small cluster that changes at random; every change makes a new object, as a watch event does. */
class World {
  readonly live = new Map<XrayKind, Map<string, KObject>>(KINDS.map((k) => [k, new Map()]));
  private seq = 0;
  constructor(private readonly rand: () => number) {}

  private pick<T>(xs: readonly T[]): T | undefined {
    return xs.length ? xs[Math.floor(this.rand() * xs.length)] : undefined;
  }
  private n(max: number): number {
    return Math.floor(this.rand() * max);
  }
  list(kind: XrayKind): KObject[] {
    return [...this.live.get(kind)!.values()];
  }
  input(): XrayInput {
    return Object.fromEntries(KINDS.map((k) => [k, this.list(k)]));
  }

  private meta(kind: XrayKind, owner?: KObject): KObject['metadata'] {
    const i = ++this.seq;
    return {
      // Few namespaces and names that collide across namespaces and kinds: the order must hold.
      name: `${kind.slice(0, 3)}-${this.n(40)}-${i}`,
      namespace: `ns-${this.n(3)}`,
      uid: `${kind}-${i}`,
      ...(owner
        ? { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: owner.metadata.name!, uid: owner.metadata.uid! }] }
        : {}),
    };
  }

  private status(kind: XrayKind): KObject['status'] {
    const progress =
      kind === 'deployments' && this.rand() < 0.2
        ? [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out' }]
        : [];
    return {
      readyReplicas: this.n(4),
      updatedReplicas: this.n(4),
      numberReady: this.n(3),
      desiredNumberScheduled: this.n(3),
      succeeded: this.n(2),
      active: this.n(2),
      conditions: [...progress, { type: 'Ready', status: this.rand() < 0.8 ? 'True' : 'False' }],
    };
  }

  private pod(old?: KObject): KObject {
    const owners = [
      ...this.list('replicasets'),
      ...this.list('statefulsets'),
      ...this.list('jobs'),
      ...this.list('daemonsets'),
    ];
    const metadata = old ? { ...old.metadata } : this.meta('pods', this.pick(owners));
    if (!old && this.rand() < 0.1) {
      // A second owner: the pod hangs under both.
      const other = this.pick(owners);
      if (other)
        metadata.ownerReferences = [
          ...(metadata.ownerReferences ?? []),
          { apiVersion: 'v1', kind: 'X', name: other.metadata.name!, uid: other.metadata.uid! },
        ];
    }
    if (old && this.rand() < 0.1) metadata.ownerReferences = []; // orphaned
    const waiting = this.rand() < 0.3 ? this.pick(WAITING) : undefined;
    return {
      kind: 'Pod',
      metadata,
      spec: {
        nodeName: this.rand() < 0.9 ? `node-${this.n(4)}` : undefined,
        containers: [{ name: 'app', image: 'nginx' }, ...(this.rand() < 0.3 ? [{ name: 'side', image: 'envoy' }] : [])],
      },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            ready: !waiting,
            restartCount: this.n(5),
            state: waiting ? { waiting: { reason: waiting, message: 'm' } } : { running: {} },
          },
        ],
      },
    };
  }

  private slice(old?: KObject): KObject {
    const svc = this.pick(this.list('services'));
    const metadata = old
      ? { ...old.metadata }
      : { ...this.meta('endpointslices'), namespace: svc?.metadata.namespace ?? 'ns-0' };
    if (!old && svc) metadata.labels = { 'kubernetes.io/service-name': svc.metadata.name! };
    const pods = this.list('pods').filter((p) => p.metadata.namespace === metadata.namespace);
    const endpoints = Array.from({ length: this.n(4) }, () => {
      const p = this.pick(pods);
      const byName = this.rand() < 0.3;
      return {
        conditions: { ready: this.rand() < 0.7 },
        targetRef: p
          ? {
              kind: 'Pod',
              name: p.metadata.name,
              namespace: p.metadata.namespace,
              uid: byName ? undefined : p.metadata.uid,
            }
          : { kind: 'Pod', name: 'gone', uid: 'gone' },
      };
    });
    return { kind: 'EndpointSlice', metadata, endpoints, ports: [{ port: 80 + this.n(3) }] };
  }

  private make(kind: XrayKind, old?: KObject): KObject {
    if (kind === 'pods') return this.pod(old);
    if (kind === 'endpointslices') return this.slice(old);
    if (kind === 'replicasets') {
      const metadata = old ? { ...old.metadata } : this.meta(kind, this.pick(this.list('deployments')));
      // Revisions move (a rollback makes an old ReplicaSet the newest): its place among its siblings changes.
      metadata.annotations = { 'deployment.kubernetes.io/revision': String(1 + this.n(4)) };
      return { kind: 'ReplicaSet', metadata, spec: { replicas: this.n(4) }, status: this.status(kind) };
    }
    if (kind === 'services') {
      const metadata = old ? { ...old.metadata } : this.meta(kind);
      return {
        kind: 'Service',
        metadata,
        spec: { selector: this.rand() < 0.8 ? { app: 'x' } : {}, clusterIP: '10.0.0.1' },
      };
    }
    if (kind === 'nodes') {
      const i = this.n(5);
      const metadata = old ? { ...old.metadata } : { name: `node-${i}`, uid: `node-${++this.seq}` };
      return { kind: 'Node', metadata, spec: { unschedulable: this.rand() < 0.2 }, status: this.status(kind) };
    }
    const metadata = old ? { ...old.metadata } : this.meta(kind);
    return { kind, metadata, spec: { replicas: this.n(4), completions: 1 }, status: this.status(kind) };
  }

  /** One random change to a kind: a new object, a new version of one, or a deletion. */
  change(kind: XrayKind): { kind: XrayKind; set?: KObject; deleted?: KObject } {
    const map = this.live.get(kind)!;
    const old = this.pick([...map.values()]);
    const r = this.rand();
    if (old && r < 0.15) {
      map.delete(old.metadata.uid!);
      return { kind, deleted: old };
    }
    // Node names are unique: a new node with a taken name is a new version of it.
    const next = this.make(kind, old && r < 0.75 ? old : undefined);
    const same = kind === 'nodes' ? [...map.values()].find((n) => n.metadata.name === next.metadata.name) : undefined;
    if (same && same !== old) next.metadata = { ...same.metadata };
    map.set(next.metadata.uid!, next);
    return { kind, set: next };
  }
}

const ROOTS: XrayRoot[] = ['deployments', 'statefulsets', 'daemonsets', 'jobs', 'services', 'nodes'];
const OPTS: DeriveOptions = { filter: '', sort: null, wide: false, showNamespace: true };

describe('the incremental xray tree', () => {
  for (const root of ROOTS) {
    it(`equals a full build after every batch of random changes (:xray ${root})`, () => {
      const rand = rng(7 + ROOTS.indexOf(root));
      const world = new World(rand);
      const model = new XrayModel(root);
      const lines = new XrayRowModel();
      const collapsed = new Set<string>();
      // A start with everything, as a first list brings it.
      for (let i = 0; i < 60; i++) for (const k of KINDS) world.change(k);
      for (const k of KINDS) model.reset(k, world.list(k));
      lines.update(model.forest(), collapsed);
      const memo = memoDerive();
      let snap: TableSnapshot = { columns: XRAY_COLUMNS, rows: lines.rows, version: 1, state: 'ready', ordered: true };
      memo(snap, OPTS);
      let patched = 0;
      let kept = 0;
      for (let batch = 0; batch < 80; batch++) {
        const before = model.forest();
        for (let k = 0; k < 1 + Math.floor(rand() * 4); k++) {
          // Mostly pods, as status churn is; the other kinds now and then.
          const kind = rand() < 0.6 ? 'pods' : KINDS[Math.floor(rand() * KINDS.length)];
          const ch = world.change(kind);
          if (ch.set) model.set(ch.kind, ch.set);
          else model.delete(ch.kind, ch.deleted!);
        }
        if (rand() < 0.15) {
          // A relist of one kind: the model is given the whole list again.
          const k = KINDS[Math.floor(rand() * KINDS.length)];
          model.reset(k, world.list(k));
        }
        const forest = model.forest();
        expect(forest).toEqual(buildXray(root, world.input()));
        kept += forest.filter((n) => before.includes(n)).length;
        if (rand() < 0.2) {
          const all = lines.rows;
          const id = all[Math.floor(rand() * all.length)]?.uid;
          if (id) collapsed.has(id) ? collapsed.delete(id) : collapsed.add(id);
          lines.relayout();
        }
        const { removed, added } = lines.update(forest, collapsed);
        const full = xrayRows(root, world.input(), collapsed);
        expect(lines.rows.map((r) => [r.uid, r.name, r.namespace, ...r.cells])).toEqual(
          full.rows.map((r) => [r.uid, r.name, r.namespace, ...r.cells]),
        );
        expect(lines.rows.map((r) => r.object)).toEqual(full.rows.map((r) => r.object));
        expect(lines.rows.map((r) => lines.resourceOf(r))).toEqual(full.rows.map((r) => full.resources.get(r.uid)));
        // The order the rows are said to keep is the order they are in.
        for (let i = 1; i < lines.rows.length; i++)
          expect(lines.order(lines.rows[i - 1], lines.rows[i])).toBeLessThan(0);
        snap = {
          columns: XRAY_COLUMNS,
          rows: lines.rows,
          version: snap.version + 1,
          state: 'ready',
          ordered: true,
          order: lines.order,
          changes: { since: snap.version, removed, added },
        };
        const prev = memo(snap, OPTS);
        expect(prev.rows).toEqual(deriveTable(snap, OPTS).rows);
        if (removed.length + added.length < lines.rows.length) patched++;
      }
      // Most updates are patches of a few rows, and most roots are left as they were.
      expect(patched).toBeGreaterThan(40);
      expect(kept).toBeGreaterThan(0);
    });
  }

  it('builds again only the roots a change reaches', () => {
    const world = new World(rng(3));
    for (let i = 0; i < 40; i++) for (const k of ['deployments', 'replicasets', 'pods'] as XrayKind[]) world.change(k);
    const model = new XrayModel('deployments');
    for (const k of KINDS) model.reset(k, world.list(k));
    const before = model.forest();
    const pod = world.list('pods').find((p) => p.metadata.ownerReferences?.length === 1)!;
    const rs = world.list('replicasets').find((r) => r.metadata.uid === pod.metadata.ownerReferences![0].uid);
    const next = { ...pod, status: { phase: 'Failed' } };
    model.set('pods', next);
    const after = model.forest();
    const owner = rs?.metadata.ownerReferences?.[0]?.uid;
    for (let i = 0; i < after.length; i++) {
      if (after[i].id === owner) expect(after[i]).not.toBe(before[i]);
      else expect(after[i]).toBe(before[i]);
    }
    expect(after).toEqual(
      buildXray('deployments', { ...world.input(), pods: world.list('pods').map((p) => (p === pod ? next : p)) }),
    );
  });
});
