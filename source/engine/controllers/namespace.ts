import type { NamespaceCondition } from 'kubernetes-types/core/v1.d.ts';
import { rfc3339 } from '../clock.ts';
import { resourceKey } from '../resources/types.ts';
import { ApiError } from '../store/errors.ts';
import { Controller } from '../framework/controller.ts';

const RECHECK_MS = 1000;

/**
 * Deletes the content of a terminating namespace (every namespaced kind in the registry), then
 * clears `spec.finalizers` so the store removes the namespace.
 */
export class NamespaceController extends Controller {
  readonly name = 'namespace-controller';

  protected init(): void {
    this.watch('namespaces', (ev) => {
      if (ev.type !== 'DELETED' && ev.object.metadata.deletionTimestamp) this.queue.add(ev.object.metadata.name!);
    });
  }

  protected sync(name: string): void {
    const ns = this.store.get('namespaces', undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    const remaining = new Map<string, number>();
    for (const def of this.store.registry.all()) {
      if (!def.namespaced) continue;
      const resource = resourceKey(def);
      for (const obj of this.store.list(resource, { namespace: name }).items) {
        let gone = false;
        if (!obj.metadata.deletionTimestamp) {
          try {
            gone = this.store.delete(resource, name, obj.metadata.name!, { propagationPolicy: 'Background' }).deleted;
          } catch (e) {
            if (!(e instanceof ApiError && e.code === 404)) throw e;
            gone = true;
          }
        }
        if (!gone) remaining.set(resource, (remaining.get(resource) ?? 0) + 1);
      }
    }
    if (remaining.size) {
      this.setContentCondition(name, remaining);
      this.queue.addAfter(name, RECHECK_MS);
      return;
    }
    this.store.mutate('namespaces', undefined, name, (o) => {
      if (!o.spec?.finalizers?.length) return false;
      o.spec.finalizers = [];
    });
  }

  /** NamespaceContentRemaining, as `kubectl describe namespace` shows while it terminates. */
  private setContentCondition(name: string, remaining: Map<string, number>): void {
    const message = `Some resources are remaining: ${[...remaining]
      .sort()
      .map(([r, n]) => `${r} has ${n} resource instances`)
      .join(', ')}`;
    try {
      this.store.mutate(
        'namespaces',
        undefined,
        name,
        (o) => {
          const conds = (o.status.conditions ?? []).filter(
            (c: NamespaceCondition) => c.type !== 'NamespaceContentRemaining',
          );
          const cur = (o.status.conditions ?? []).find(
            (c: NamespaceCondition) => c.type === 'NamespaceContentRemaining',
          );
          if (cur?.message === message) return false;
          conds.push({
            type: 'NamespaceContentRemaining',
            status: 'True',
            lastTransitionTime: cur?.lastTransitionTime ?? rfc3339(this.clock.now()),
            reason: 'SomeResourcesRemain',
            message,
          });
          o.status.conditions = conds;
        },
        { subresource: 'status' },
      );
    } catch {
      // best effort
    }
  }
}
