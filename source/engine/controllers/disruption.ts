import type { KObject } from '../../api-types/index.ts';
import { Controller } from '../framework/controller.ts';
import { Cache, objKey, splitKey } from '../framework/cache.ts';
import { ApiError } from '../store/errors.ts';
import { jsonEqual } from '../store/freeze.ts';
import { budgetStatus, PDB } from './eviction.ts';

/**
 * Upstream's disruption controller: keeps each PodDisruptionBudget's status (healthy, desired
 * and expected pods, disruptionsAllowed, the DisruptionAllowed condition) current as its pods
 * and their controllers change, so `kubectl get pdb` shows what an eviction would meet.
 */
export class DisruptionController extends Controller {
  readonly name = 'disruption-controller';

  /** The budgets by namespace: every pod event looks here (most namespaces have none). */
  private budgets = new Cache({ ns: (o) => [o.metadata.namespace ?? ''] });

  protected init(): void {
    this.watch(PDB, (ev) => {
      this.budgets.apply(ev);
      if (ev.type !== 'DELETED') this.queue.add(objKey(ev.object));
    });
    const namespaceChanged = (o: KObject) => {
      for (const pdb of this.budgets.by('ns', o.metadata.namespace ?? '')) this.queue.add(objKey(pdb));
    };
    for (const r of ['pods', 'replicasets.apps', 'statefulsets.apps'])
      this.watch(r, (ev) => namespaceChanged(ev.object));
  }

  protected sync(key: string): void {
    const [ns, name] = splitKey(key);
    const pdb = this.store.get(PDB, ns, name);
    if (!pdb) return;
    const b = budgetStatus(this.store, pdb);
    const allowed = b.disruptionsAllowed > 0;
    const prev = (pdb.status?.conditions ?? []).find((c: { type?: string }) => c.type === 'DisruptionAllowed');
    const status = String(allowed ? 'True' : 'False');
    const condition = {
      type: 'DisruptionAllowed',
      status,
      reason: allowed ? 'SufficientPods' : 'InsufficientPods',
      message: '',
      observedGeneration: pdb.metadata.generation ?? 1,
      lastTransitionTime:
        prev?.status === status
          ? prev.lastTransitionTime
          : new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    const next = {
      ...(pdb.status?.disruptedPods ? { disruptedPods: pdb.status.disruptedPods } : {}),
      ...b,
      observedGeneration: pdb.metadata.generation ?? 1,
      conditions: [condition],
    };
    if (jsonEqual(next, pdb.status ?? {})) return;
    try {
      this.store.mutate(
        PDB,
        ns,
        name,
        (o) => {
          if (o.metadata.uid !== pdb.metadata.uid) return false;
          o.status = next;
        },
        { subresource: 'status' },
      );
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e;
    }
  }
}
