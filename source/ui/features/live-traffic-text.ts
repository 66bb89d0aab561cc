import type { LiveTraffic } from '../../client/live-traffic.ts';

/** The live-traffic panel of the rollout view, as plain lines (pure apart from reading the traffic's counters). */

const GLYPHS = ['█', '▒', '░', '▚'];
export const FAILED_GLYPH = '✗';
const UNTRACED = '·';

function scaled(counts: Array<[string, number]>, width: number): string {
  const total = counts.reduce((n, [, c]) => n + c, 0);
  if (total <= width) return counts.map(([g, c]) => g.repeat(c)).join('');
  // More requests than cells: each kind gets its share, at least one cell when present.
  return counts.map(([g, c]) => (c ? g.repeat(Math.max(1, Math.round((c / total) * width))) : '')).join('');
}

/**
 * `podRevision` maps a pod to its revision; `current` is the revision being rolled out to. A bar
 * per second: one cell per request, the newest revision `█`, older ones `▒`, `░`, failures `✗`.
 */
export function renderLiveTraffic(
  traffic: Pick<LiveTraffic, 'route' | 'rate' | 'totals' | 'seconds'> &
    Partial<Pick<LiveTraffic, 'remainingMs' | 'finished'>>,
  podRevision: (pod: string) => number | undefined,
  current: number | undefined,
  width: number,
  rows = 8,
): string[] {
  const { route, totals } = traffic;
  const via =
    route.kind === 'service'
      ? `service/${route.name} (${route.url})`
      : `the ready pods directly on port ${route.port} (no Service selects them)`;
  const secs = traffic.seconds(rows + 1).slice(0, rows); // the current second is still filling
  const revs = new Set<number>();
  const byRev = new Map<number, number>();
  let untraced = totals.ok;
  for (const [pod, n] of totals.byPod) {
    const rev = podRevision(pod);
    if (rev === undefined) continue;
    revs.add(rev);
    byRev.set(rev, (byRev.get(rev) ?? 0) + n);
    untraced -= n;
  }
  for (const s of secs)
    for (const pod of s.byPod.keys()) {
      const rev = podRevision(pod);
      if (rev !== undefined) revs.add(rev);
    }
  if (current !== undefined) revs.add(current);
  const order = [...revs].sort((a, b) => b - a);
  const glyph = (rev: number) => GLYPHS[Math.min(GLYPHS.length - 1, order.indexOf(rev))];
  const name = (rev: number) => `rev ${rev}${rev === current ? ' (new)' : ' (old)'}`;

  const left = traffic.remainingMs?.();
  const when = traffic.finished
    ? 'finished · <t> clears'
    : left === undefined
      ? '<t> stops'
      : `${Math.ceil(left / 1000)} s left · <t> stops`;
  const lines = [`LIVE TRAFFIC through ${via} · ${traffic.rate} req/s · ${when}`];
  const perRev = order.map((r) => `${name(r)} answered ${byRev.get(r) ?? 0}`).join(' · ');
  lines.push(
    `  sent ${totals.sent} · ok ${totals.ok} · failed ${totals.failed}${perRev ? ` · ${perRev}` : ''}${untraced > 0 ? ` · untraced ${untraced}` : ''}`,
  );
  if (totals.failed && totals.lastError) lines.push(`  last failure: ${totals.lastError}`);
  lines.push(
    `  ${order.map((r) => `${glyph(r)} ${name(r)}`).join('   ')}   ${FAILED_GLYPH} failed   ${UNTRACED} not traced yet`,
  );
  const barW = Math.max(10, Math.min(traffic.rate + 4, width - 40));
  secs.forEach((s, i) => {
    const perRevNow = new Map<number, number>();
    let unknown = s.unattributed;
    for (const [pod, n] of s.byPod) {
      const rev = podRevision(pod);
      if (rev === undefined) unknown += n;
      else perRevNow.set(rev, (perRevNow.get(rev) ?? 0) + n);
    }
    const counts: Array<[string, number]> = [
      ...order.map((r): [string, number] => [glyph(r), perRevNow.get(r) ?? 0]),
      [UNTRACED, unknown + s.inFlight],
      [FAILED_GLYPH, s.failed],
    ];
    const bar = scaled(counts, barW);
    const detail = order.filter((r) => perRevNow.get(r)).map((r) => `r${r}:${perRevNow.get(r)}`);
    if (s.failed) detail.push(`failed:${s.failed}`);
    lines.push(`  ${`-${rows - i}s`.padStart(4)} ${bar.padEnd(barW)} ${detail.join(' ')}`);
  });
  return lines;
}
