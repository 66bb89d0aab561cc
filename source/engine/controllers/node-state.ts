import { errors } from '../store/errors.ts';
import type { Store } from '../store/store.ts';

export type NodeListener = (node: string, up: boolean) => void;

/**
 * Whether each node's kubelet is up (`skiff node stop/start`). A stopped node stops renewing its
 * lease (node lifecycle), and its kubelet stops its containers (the kubelet subscribes here).
 */
export class NodeState {
  private down = new Set<string>();
  private listeners = new Set<NodeListener>();

  isUp(node: string): boolean {
    return !this.down.has(node);
  }

  downNodes(): string[] {
    return [...this.down];
  }

  set(node: string, up: boolean): void {
    if (this.isUp(node) === up) return;
    if (up) this.down.delete(node);
    else this.down.add(node);
    for (const fn of this.listeners) {
      try {
        fn(node, up);
      } catch (e) {
        console.error('node state listener failed:', e);
      }
    }
  }

  /** Called with (node, up) on every change; returns an unsubscribe function. */
  subscribe(fn: NodeListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

const states = new WeakMap<Store, NodeState>();

/** The node up/down state of the engine that owns this store. */
export function nodeState(store: Store): NodeState {
  let s = states.get(store);
  if (!s) states.set(store, (s = new NodeState()));
  return s;
}

/** `skiff node stop NAME`: the node's kubelet goes down (404 for an unknown node). */
export function stopNode(store: Store, name: string): void {
  store.mustGet('nodes', undefined, name);
  nodeState(store).set(name, false);
}

/** `skiff node start NAME`: the node's kubelet comes back. */
export function startNode(store: Store, name: string): void {
  if (!store.get('nodes', undefined, name)) throw errors.notFound('', 'nodes', name);
  nodeState(store).set(name, true);
}
