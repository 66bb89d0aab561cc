import type { KObject } from '../../api-types/index.ts';
import { Groups } from './groups.ts';
import {
  byName,
  byRevision,
  deploymentNode,
  nodeNode,
  podKeys,
  podNode,
  podOwnerNode,
  serviceNode,
  sliceService,
  targetKeys,
  uidOf,
  XRAY_NEEDS,
  type XrayInput,
  type XrayNode,
  type XrayRoot,
} from './tree.ts';

export type XrayKind = keyof XrayInput;

const ROOT_KIND: Record<XrayRoot, XrayKind> = {
  deployments: 'deployments',
  statefulsets: 'statefulsets',
  daemonsets: 'daemonsets',
  jobs: 'jobs',
  services: 'services',
  nodes: 'nodes',
};

const ownerUids = (o: KObject) => (o.metadata.ownerReferences ?? []).map((r) => r.uid);

/**
 * The xray forest kept up to date by watch changes: each object that changes marks the roots
 * whose build read it (a pod → the group of its owner → the Deployment that listed that group),
 * and only those roots are built again, from indexes kept as the objects come and go; a pod's
 * line is made once per pod object. `forest()` equals `buildXray(root, lists)` of the same
 * objects; a root that did not change is the very same node as before.
 */
export class XrayModel {
  private readonly needs: ReadonlySet<XrayKind>;
  private readonly rootKind: XrayKind;
  private readonly objects = new Map<XrayKind, Map<string, KObject>>();
  /** ReplicaSets by owner uid; pods by owner uid, node name; slices by `namespace/service`. */
  private readonly rsByOwner = new Groups(byRevision);
  private readonly podsByOwner = new Groups(byName);
  private readonly podsByNode = new Groups(byName);
  private readonly slicesByService = new Groups(byName);
  /** A slice's target pod by uid and by namespace/name, as buildXray finds it. */
  private readonly podsByKey = new KeyIndex();
  private readonly podNodes = new WeakMap<KObject, XrayNode>();
  private readonly built = new Map<string, XrayNode>();
  /** What each root's build read (`pods:<owner uid>`, `pod:<ns/name>` …), and who read each. */
  private readonly readsOf = new Map<string, string[]>();
  private readonly readers = new Map<string, Set<string>>();
  private readonly dirty = new Set<string>();
  private order?: string[];
  private rootsChanged = true;
  private last: XrayNode[] = [];

  constructor(private readonly root: XrayRoot) {
    this.needs = new Set(XRAY_NEEDS[root]);
    this.rootKind = ROOT_KIND[root];
    for (const k of this.needs) this.objects.set(k, new Map());
  }

  set(kind: XrayKind, obj: KObject): void {
    const map = this.objects.get(kind);
    if (!map) return;
    const uid = uidOf(obj);
    const old = map.get(uid);
    if (old === obj) return;
    map.set(uid, obj);
    this.refile(kind, uid, old, obj);
    if (!old && kind === this.rootKind) this.order = undefined;
  }

  delete(kind: XrayKind, obj: KObject): void {
    const map = this.objects.get(kind);
    const uid = uidOf(obj);
    const old = map?.get(uid);
    if (!map || !old) return;
    map.delete(uid);
    this.refile(kind, uid, old, undefined);
    if (kind === this.rootKind) {
      this.order = undefined;
      this.forget(uid);
    }
  }

  /** The whole list of a kind (after a relist): what is gone is deleted, the rest set. */
  reset(kind: XrayKind, list: readonly KObject[]): void {
    const map = this.objects.get(kind);
    if (!map) return;
    const keep = new Set(list.map(uidOf));
    for (const [uid, o] of [...map]) if (!keep.has(uid)) this.delete(kind, o);
    for (const o of list) this.set(kind, o);
  }

  /** The roots in order, built again where something they read changed. */
  forest(): XrayNode[] {
    if (!this.order) {
      this.order = [...this.objects.get(this.rootKind)!.values()].sort(byName).map(uidOf);
      this.rootsChanged = true;
    }
    if (!this.dirty.size && !this.rootsChanged) return this.last;
    const roots = this.objects.get(this.rootKind)!;
    for (const uid of this.dirty) {
      const o = roots.get(uid);
      if (o) this.build(uid, o);
    }
    this.dirty.clear();
    const out: XrayNode[] = [];
    for (const uid of this.order) {
      let n = this.built.get(uid);
      if (!n) n = this.build(uid, roots.get(uid)!);
      out.push(n);
    }
    this.rootsChanged = false;
    return (this.last = out);
  }

  private podNode = (pod: KObject): XrayNode => {
    let n = this.podNodes.get(pod);
    if (!n) this.podNodes.set(pod, (n = podNode(pod)));
    return n;
  };

  private build(uid: string, o: KObject): XrayNode {
    const reads: string[] = [];
    const read = (key: string) => reads.push(key);
    const podsOf = (groups: Groups, prefix: string, key: string) => {
      read(`${prefix}${key}`);
      return groups.list(key).map(this.podNode);
    };
    let node: XrayNode;
    switch (this.root) {
      case 'deployments':
        read(`rs:${uid}`);
        node = deploymentNode(o, this.rsByOwner.list(uid), (rs) => podsOf(this.podsByOwner, 'owner:', uidOf(rs)));
        break;
      case 'statefulsets':
      case 'daemonsets':
      case 'jobs':
        node = podOwnerNode(this.root, o, podsOf(this.podsByOwner, 'owner:', uid));
        break;
      case 'services': {
        const key = `${o.metadata.namespace}/${o.metadata.name}`;
        read(`slices:${key}`);
        const find = (ref: Parameters<typeof targetKeys>[0], s: KObject) => {
          for (const k of targetKeys(ref, s)) {
            read(`pod:${k}`);
            const p = this.podsByKey.get(k);
            if (p) return p;
          }
          return undefined;
        };
        node = serviceNode(o, this.slicesByService.list(key), find, this.podNode);
        break;
      }
      case 'nodes':
        node = nodeNode(o, podsOf(this.podsByNode, 'node:', o.metadata.name ?? ''));
        break;
    }
    this.forget(uid);
    this.built.set(uid, node);
    this.readsOf.set(uid, reads);
    for (const k of reads) {
      let s = this.readers.get(k);
      if (!s) this.readers.set(k, (s = new Set()));
      s.add(uid);
    }
    this.rootsChanged = true;
    return node;
  }

  private forget(uid: string): void {
    this.built.delete(uid);
    this.dirty.delete(uid);
    for (const k of this.readsOf.get(uid) ?? []) {
      const s = this.readers.get(k);
      s?.delete(uid);
      if (s?.size === 0) this.readers.delete(k);
    }
    this.readsOf.delete(uid);
    this.rootsChanged = true;
  }

  /** Marks the roots that read `key` for a new build. */
  private touch(key: string): void {
    for (const uid of this.readers.get(key) ?? []) this.dirty.add(uid);
  }

  /** Where objects of a kind are filed (under which keys), for this root. */
  private indexOf(kind: XrayKind): { index: Index; prefix: string; keys: (o: KObject) => string[] } | undefined {
    switch (kind) {
      case 'replicasets':
        return { index: this.rsByOwner, prefix: 'rs:', keys: ownerUids };
      case 'endpointslices':
        return { index: this.slicesByService, prefix: 'slices:', keys: (o) => [sliceService(o) ?? ''].filter(Boolean) };
      case 'pods':
        if (this.root === 'services') return { index: this.podsByKey, prefix: 'pod:', keys: podKeys };
        if (this.root === 'nodes')
          return { index: this.podsByNode, prefix: 'node:', keys: (o) => [o.spec?.nodeName ?? ''].filter(Boolean) };
        return { index: this.podsByOwner, prefix: 'owner:', keys: ownerUids };
      default:
        return undefined;
    }
  }

  /** Moves an object's entries from its old version's keys to its new one's; touches their readers. */
  private refile(kind: XrayKind, uid: string, old: KObject | undefined, next: KObject | undefined): void {
    if (kind === this.rootKind) {
      // A root's own object changed: build it again (a new root is built by forest()).
      if (next && this.built.has(uid)) this.dirty.add(uid);
      return;
    }
    const at = this.indexOf(kind);
    if (!at) return;
    const before = old ? at.keys(old) : [];
    const after = next ? [...new Set(at.keys(next))] : [];
    for (const k of before) {
      if (after.includes(k)) continue;
      at.index.delete(k, uid);
      this.touch(`${at.prefix}${k}`);
    }
    for (const k of after) {
      at.index.set(k, uid, next!);
      this.touch(`${at.prefix}${k}`);
    }
  }
}

interface Index {
  set(key: string, uid: string, obj: KObject): void;
  delete(key: string, uid: string): void;
}

/** One object per key (the last one filed), as buildXray's lookup map of slice targets. */
class KeyIndex implements Index {
  private readonly map = new Map<string, KObject>();
  set(key: string, _uid: string, obj: KObject): void {
    this.map.set(key, obj);
  }
  delete(key: string, uid: string): void {
    const o = this.map.get(key);
    if (o && uidOf(o) === uid) this.map.delete(key);
  }
  get(key: string): KObject | undefined {
    return this.map.get(key);
  }
}
