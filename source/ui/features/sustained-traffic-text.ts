import type { LiveTraffic } from '../../client/live-traffic.ts';
import { FAILED_GLYPH } from './live-traffic-text.ts';

/** The sustained-load view of `t` on a service (`20/s for 60s`), as plain lines. */

const OK = '█';
const FLIGHT = '░';

function bar(n: number, max: number, width: number): string {
  const w = max > 0 ? Math.round((n / max) * width) : 0;
  return OK.repeat(w) + ' '.repeat(width - w);
}

export function renderSustained(
  traffic: Pick<LiveTraffic, 'route' | 'rate' | 'totals' | 'seconds' | 'remainingMs' | 'durationMs' | 'finished'>,
  width: number,
  rows = 10,
): string[] {
  const { route, totals } = traffic;
  const via = route.kind === 'service' ? `service/${route.name} (${route.url})` : `the pods on port ${route.port}`;
  const left = traffic.remainingMs();
  const total = Math.round((traffic.durationMs ?? 0) / 1000);
  const when = traffic.finished
    ? ' · finished'
    : left === undefined
      ? ''
      : ` · ${Math.ceil(left / 1000)} s left · <esc> stops`;
  const lines = [`SUSTAINED LOAD through ${via} · ${traffic.rate} req/s for ${total} s${when}`];
  const skipped = totals.skipped ? ` · skipped ${totals.skipped} (the target or this machine did not keep up)` : '';
  lines.push(`  sent ${totals.sent} · ok ${totals.ok} · failed ${totals.failed}${skipped}`);
  if (totals.failed && totals.lastError) lines.push(`  last failure: ${totals.lastError}`);
  lines.push('');
  const barW = Math.max(10, Math.min(40, width - 60));
  lines.push(`WHICH POD ANSWERED (from each pod's access log)`);
  const max = Math.max(1, ...totals.byPod.values());
  for (const [pod, n] of [...totals.byPod].sort((a, b) => a[0].localeCompare(b[0])))
    lines.push(`  ${pod.padEnd(40)} ${bar(n, max, barW)} ${n}`);
  if (!totals.byPod.size) lines.push('  (none traced yet)');
  lines.push('', `PER SECOND   ${OK} answered   ${FAILED_GLYPH} failed   ${FLIGHT} no answer yet`);
  const secW = Math.max(10, Math.min(traffic.rate + 4, width - 30));
  const secs = traffic.seconds(rows + 1).slice(0, rows);
  secs.forEach((s, i) => {
    const ok = [...s.byPod.values()].reduce((a, b) => a + b, 0) + s.unattributed;
    const cells = [OK.repeat(ok), FLIGHT.repeat(s.inFlight), FAILED_GLYPH.repeat(s.failed)].join('');
    const shown = cells.length > secW ? `${cells.slice(0, secW - 1)}…` : cells;
    lines.push(`  ${`-${rows - i}s`.padStart(4)} ${shown.padEnd(secW)} ${ok}${s.failed ? ` failed:${s.failed}` : ''}`);
  });
  return lines;
}
