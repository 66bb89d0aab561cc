import { describe, expect, it } from 'vitest';
import type { TableSnapshot } from '../../../source/client/table-cache.ts';
import { HpaTrendSource } from '../../../source/ui/metrics/hpa-source.ts';

const col = (name: string) => ({ name, type: 'string', format: '', description: '', priority: 0 });

function snapshot(replicas: number, version: number): TableSnapshot {
  return {
    columns: [col('Name'), col('Replicas'), col('Age')],
    rows: [
      {
        uid: 'u1',
        name: 'web',
        namespace: 'default',
        cells: ['web', String(replicas), '1m'],
        object: { metadata: { name: 'web' }, spec: { maxReplicas: 4 }, status: { currentReplicas: replicas } },
      },
    ],
    version,
    state: 'ready',
  };
}

describe(':hpa replicas trend', () => {
  it('a sparkline of currentReplicas as it changed, scaled to maxReplicas, before AGE; stable snapshots', () => {
    let snap = snapshot(1, 1);
    const src = new HpaTrendSource({ subscribe: () => () => {}, getSnapshot: () => snap });
    expect(src.getSnapshot().columns.map((c) => c.name)).toEqual(['Name', 'Replicas', 'Replicas Trend', 'Age']);
    expect(src.getSnapshot()).toBe(src.getSnapshot());
    for (const [i, r] of [4, 4, 2].entries()) {
      snap = snapshot(r, i + 2);
      src.getSnapshot();
    }
    expect(src.getSnapshot().rows[0]!.cells).toEqual(['web', '2', '▃█▅ 2', '1m']);
  });
});
