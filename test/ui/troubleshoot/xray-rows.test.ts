import { describe, expect, it } from 'vitest';
import { xrayRows } from '../../../source/ui/troubleshoot/xray-source.ts';
import { deployment, pod, replicaSet } from '../xray/fixtures.ts';

describe('xray rows', () => {
  it('say which resource each line is, and a container line addresses its pod', () => {
    const d = deployment('web', 1, 1);
    const rs = replicaSet(d, 'web-1', 1, 1, 1);
    const p = pod('web-1-a', { owner: rs });
    const out = xrayRows('deployments', { deployments: [d], replicasets: [rs], pods: [p] }, new Set());
    expect(out.rows.map((r) => [r.name, out.resources.get(r.uid), r.cells[1]])).toEqual([
      ['web', 'deployments.apps', 'Ready'],
      ['web-1', 'replicasets.apps', 'Ready'],
      ['web-1-a', 'pods', 'Running'],
      ['web-1-a', 'pods', 'Running'],
    ]);
    expect(out.rows[3].cells[0]).toBe('      · container/app');
    expect(out.rows[3].object).toBe(p);
    expect(new Set(out.rows.map((r) => r.uid)).size).toBe(4);
  });
});
