import type { WorkloadRevision } from '../../client/rollout.ts';
import type { Controller } from '../controller.ts';
import { StaticDoc } from '../docs.ts';
import { toYaml } from '../yaml.ts';
import { diffLines, sideBySide } from './side-by-side.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'ask' | 'pushText' | 'state' | 'toast'>;

/**
 * `h` in the rollout view: pick two revisions (each one against the one before it, or an older
 * one against the current), then their pod templates side by side with the changed lines marked
 * (`|` changed, `<` only left, `>` only right) — `kubectl rollout history --revision=N` twice, compared.
 */
export function pickRevisionPair(
  c: Host,
  what: string,
  resource: string,
  revisions: WorkloadRevision[],
  current: WorkloadRevision | undefined,
): void {
  if (revisions.length < 2)
    return c.toast(
      `${what} has ${revisions.length ? 'only one revision' : 'no revisions yet'}: nothing to compare`,
      'error',
    );
  const pairs: Array<[WorkloadRevision, WorkloadRevision]> = [];
  for (let i = revisions.length - 1; i > 0; i--) pairs.push([revisions[i - 1], revisions[i]]);
  const paired = (x: WorkloadRevision, y: WorkloadRevision) =>
    pairs.some(([p, q]) => (p === x && q === y) || (p === y && q === x));
  if (current)
    for (const r of [...revisions].reverse())
      if (r !== current && !paired(r, current)) pairs.push(r.revision < current.revision ? [r, current] : [current, r]);
  const label = (r: WorkloadRevision) => `${r.revision}${r === current ? '*' : ''} ${r.images.join(',')}`;
  const options = pairs.map(([a, b]) => `${label(a).padEnd(30)} → ${label(b)}`);
  c.ask(
    { kind: 'pick', title: `Compare revisions of ${what}`, header: 'OLDER → NEWER (* current)', options, index: 0 },
    (ans) => {
      if (!ans.ok || ans.index === undefined) return;
      const [a, b] = pairs[ans.index];
      c.pushText(
        { mode: 'diff', title: `${what} revision ${a.revision} ↔ ${b.revision}`, resource },
        new StaticDoc(revisionDiff(a, b, c.state.size.columns - 4)),
      );
    },
  );
}

export function revisionDiff(a: WorkloadRevision, b: WorkloadRevision, width: number): string[] {
  const yaml = (r: WorkloadRevision) => toYaml(r.template).split('\n');
  const rows = diffLines(yaml(a), yaml(b));
  const changed = rows.filter((r) => r.mark !== ' ').length;
  const cause = (r: WorkloadRevision) => r.changeCause ?? '<none>';
  return [
    `Pod template of revision ${a.revision} (${a.name}) and revision ${b.revision} (${b.name}): ${changed ? `${changed} line${changed === 1 ? '' : 's'} differ${changed === 1 ? 's' : ''}` : 'identical'}`,
    `Change-cause: ${cause(a)} → ${cause(b)}`,
    '',
    ...sideBySide(rows, width, [`REVISION ${a.revision}`, `REVISION ${b.revision}`]),
  ];
}
