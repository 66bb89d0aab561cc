import type { KObject } from '../api-types/index.ts';
import type { Row, TableSnapshot } from '../client/table-cache.ts';
import type { RowSource } from './sources.ts';

/** Whether a pod mounts the PersistentVolumeClaim `claimName` (a volume or an ephemeral claim of it). */
export function mountsClaim(pod: KObject | undefined, claimName: string): boolean {
  const podName = pod?.metadata?.name;
  const volumes: Array<{ name?: string; persistentVolumeClaim?: { claimName?: string }; ephemeral?: unknown }> =
    pod?.spec?.volumes ?? [];
  // An ephemeral volume's claim is named <pod>-<volume> (upstream's ephemeral.VolumeClaimName).
  return volumes.some(
    (v) => v.persistentVolumeClaim?.claimName === claimName || (!!v.ephemeral && `${podName}-${v.name}` === claimName),
  );
}

/**
 * The pods of a PVC drill: the API cannot select pods by volume, so the namespace's pods (full
 * objects) are filtered here by `spec.volumes[].persistentVolumeClaim.claimName`.
 */
export class ClaimPodsSource implements RowSource {
  private last?: { base: TableSnapshot; out: TableSnapshot };

  constructor(
    private readonly base: RowSource,
    private readonly claimName: string,
  ) {}

  subscribe = (fn: () => void): (() => void) => this.base.subscribe(fn);

  getSnapshot = (): TableSnapshot => {
    const base = this.base.getSnapshot();
    if (this.last?.base === base) return this.last.out;
    const rows: Row[] = base.rows.filter((r) => mountsClaim(r.object, this.claimName));
    const out = { ...base, rows, changes: undefined }; // its changes are of the unfiltered rows
    this.last = { base, out };
    return out;
  };

  refresh(): void {
    this.base.refresh?.();
  }
}
