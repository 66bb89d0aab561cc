import { describe, expect, it } from 'vitest';
import { relatedUids } from '../../../source/ui/troubleshoot/events-source.ts';
import { deployment, pod, replicaSet } from '../xray/fixtures.ts';

describe('events of one object', () => {
  it('includes what a deployment owns, through its ReplicaSets to their pods, and nothing else', () => {
    const d = deployment('web', 1, 1);
    const other = deployment('other', 1, 1);
    const rs = replicaSet(d, 'web-1', 1, 1, 1);
    const otherRs = replicaSet(other, 'other-1', 1, 1, 1);
    const p = pod('web-1-a', { owner: rs });
    const q = pod('other-1-a', { owner: otherRs });
    const uids = relatedUids(d.metadata.uid!, [
      [rs, otherRs],
      [p, q],
    ]);
    expect([...uids].sort()).toEqual([d.metadata.uid, rs.metadata.uid, p.metadata.uid].sort());
  });
});
