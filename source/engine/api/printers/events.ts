import type { ObjectReference } from 'kubernetes-types/core/v1.d.ts';
import type { EventObject } from '../../../api-types/event.ts';
import { humanDuration, timestampMs, translateTimestampSince } from './age.ts';
import { column, type TablePrinter } from './common.ts';

/** `component, host`, falling back to reportingComponent/reportingInstance; no `, ` without a host. */
function source(ev: EventObject): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const table: TablePrinter = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', 'A short, machine understandable reason for the transition into the current status.'),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', 'The piece of the object the event is about, e.g. spec.containers{nginx}.', 1),
    column(
      'Source',
      'string',
      'The component reporting this event. Should be a short machine understandable string.',
      1,
    ),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column(
      'First Seen',
      'string',
      'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)',
      1,
    ),
    column('Count', 'string', 'The number of times this event has occurred.', 1),
    column('Name', 'string', 'Name must be unique within a namespace.', 1, 'name'),
  ],
  row(ev: EventObject, now: number) {
    const first = timestampMs(ev.firstTimestamp);
    const firstSeen = Number.isNaN(first) ? translateTimestampSince(ev.eventTime, now) : humanDuration(now - first);
    const last = timestampMs(ev.lastTimestamp);
    let lastSeen = Number.isNaN(last) ? firstSeen : humanDuration(now - last);
    let count: number = ev.count ?? 0;
    if (ev.series) {
      lastSeen = translateTimestampSince(ev.series.lastObservedTime, now);
      count = ev.series.count ?? 0;
    } else if (count === 0) {
      count = 1; // singleton events from the events.k8s.io API carry no count
    }
    const involved: ObjectReference = ev.involvedObject ?? {};
    const kind = String(involved.kind ?? '').toLowerCase();
    return [
      lastSeen,
      ev.type ?? '',
      ev.reason ?? '',
      involved.name ? `${kind}/${involved.name}` : kind,
      involved.fieldPath ?? '',
      source(ev),
      String(ev.message ?? '').trim(),
      firstSeen,
      count,
      ev.metadata.name,
    ];
  },
};
