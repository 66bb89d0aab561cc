import type { EventObject } from '../api-types/event.ts';
import { parseTime, since } from './age.ts';
import type { PrefixWriter } from './writer.ts';

const ZERO = -Infinity;

/** kubectl's DescribeEvents: oldest lastTimestamp first, `Age` as `2m (x3 over 5m)` for repeats. */
export function describeEvents(events: readonly EventObject[], w: PrefixWriter, now: number): void {
  if (events.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const sorted = [...events].sort(
    (a, b) => (parseTime(a.lastTimestamp) ?? ZERO) - (parseTime(b.lastTimestamp) ?? ZERO) || 0,
  );
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = parseTime(e.eventTime) !== undefined ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    let interval = first;
    if (e.series) {
      interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
    } else if ((e.count ?? 0) > 1) {
      interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    }
    const from = e.source?.component || e.reportingComponent || '';
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${from}\t${String(e.message ?? '').trim()}\n`);
  }
}
