import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { ProblemModel, type ProblemChanges } from '../../../source/ui/problems/model.ts';
import { RECENT_EVENT_MS } from '../../../source/ui/problems/rules.ts';
import { meta, pod } from '../xray/fixtures.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');

const names = (ch: ProblemChanges) => ({
  removed: ch.removed.map((p) => `${p.kind}/${p.name} ${p.reason}`),
  added: ch.added.map((p) => `${p.kind}/${p.name} ${p.reason}`),
});

/** The same object as the watch would send it after a change. */
const changed = (o: KObject, patch: Partial<KObject>): KObject => ({ ...o, ...patch });

function service(name: string): KObject {
  return { kind: 'Service', metadata: meta(name), spec: { selector: { app: name } } };
}

function slice(name: string, service: string, ready: boolean[]): KObject {
  return {
    kind: 'EndpointSlice',
    metadata: meta(name, { labels: { 'kubernetes.io/service-name': service } }),
    endpoints: ready.map((r) => ({ conditions: { ready: r } })),
  };
}

function warning(name: string, about: KObject, reason: string, at: number): KObject {
  return {
    kind: 'Event',
    metadata: meta(name),
    involvedObject: { kind: about.kind, name: about.metadata.name, uid: about.metadata.uid },
    reason,
    type: 'Warning',
    message: `${reason} happened`,
    lastTimestamp: new Date(at).toISOString(),
  };
}

describe('problem model, one watch event at a time', () => {
  it("an event for one object changes only that object's problems", () => {
    const m = new ProblemModel(() => NOW);
    const a = pod('a', { waiting: { reason: 'CrashLoopBackOff' } });
    const b = pod('b');
    const c = pod('c', { waiting: { reason: 'ImagePullBackOff' } });
    m.reset('pods', [a, b, c]);
    expect(names(m.takeChanges())).toEqual({
      removed: [],
      added: ['pod/a CrashLoopBackOff', 'pod/c ImagePullBackOff'],
    });
    const cProblem = m.problems().find((p) => p.name === 'c')!;

    // b starts failing: only b's problem is added.
    const b2 = changed(b, { status: pod('b', { waiting: { reason: 'ErrImagePull' } }).status });
    m.set('pods', b2);
    expect(names(m.takeChanges())).toEqual({ removed: [], added: ['pod/b ErrImagePull'] });

    // a recovers: only a's problem goes.
    const a2 = changed(a, { status: pod('a').status });
    m.set('pods', a2);
    expect(names(m.takeChanges())).toEqual({ removed: ['pod/a CrashLoopBackOff'], added: [] });

    // The same object again (a resync) changes nothing; c's problem is the very same one throughout.
    m.reset('pods', [a2, b2, c]);
    expect(names(m.takeChanges())).toEqual({ removed: [], added: [] });
    expect(m.problems().find((p) => p.name === 'c')).toBe(cProblem);

    // c deleted: its problem goes, nothing else moves.
    m.delete('pods', c.metadata.uid!);
    expect(names(m.takeChanges())).toEqual({ removed: ['pod/c ImagePullBackOff'], added: [] });
    expect(m.problems().map((p) => p.name)).toEqual(['b']);
  });

  it('re-judges a Service when one of its EndpointSlices changes, and only that Service', () => {
    const m = new ProblemModel(() => NOW);
    const web = service('web');
    const api = service('api');
    m.reset('services', [web, api]);
    expect(names(m.takeChanges()).added).toEqual(['svc/web NoReadyEndpoints', 'svc/api NoReadyEndpoints']);

    const s1 = slice('web-1', 'web', [false]);
    m.set('endpointslices', s1);
    expect(names(m.takeChanges())).toEqual({ removed: [], added: [] });

    // One endpoint of web turns ready: web is fine, api still is not.
    const s1Ready = { ...slice('web-1', 'web', [false, true]), metadata: s1.metadata };
    m.set('endpointslices', s1Ready);
    expect(names(m.takeChanges())).toEqual({ removed: ['svc/web NoReadyEndpoints'], added: [] });
    expect(m.problems().map((p) => p.name)).toEqual(['api']);

    // A second slice: web stays fine when the first one goes.
    const s2 = slice('web-2', 'web', [true]);
    m.set('endpointslices', s2);
    m.delete('endpointslices', s1.metadata.uid!);
    expect(names(m.takeChanges())).toEqual({ removed: [], added: [] });
    m.delete('endpointslices', s2.metadata.uid!);
    expect(names(m.takeChanges())).toEqual({ removed: [], added: ['svc/web NoReadyEndpoints'] });

    // A slice that arrives before its Service counts once the Service does.
    const db = service('db');
    m.set('endpointslices', slice('db-1', 'db', [true]));
    m.set('services', db);
    expect(names(m.takeChanges())).toEqual({ removed: [], added: [] });
  });

  it('shows a Warning event while no rule flags its object, and drops it once it is no longer recent', () => {
    let now = NOW;
    const m = new ProblemModel(() => now);
    const p = pod('p');
    const other = pod('other');
    m.reset('pods', [p, other]);
    m.reset('events', [
      warning('e1', p, 'Unhealthy', NOW - 5000),
      warning('e2', p, 'Unhealthy', NOW - 1000),
      warning('e3', other, 'FailedMount', NOW - 2000),
    ]);
    expect(names(m.takeChanges()).added).toEqual(['event/e2 Unhealthy', 'event/e3 FailedMount']);

    // p crash-loops: its pod problem replaces its event; the other pod's event stays.
    const crashing = { ...pod('p', { waiting: { reason: 'CrashLoopBackOff' } }), metadata: p.metadata };
    m.set('pods', crashing);
    expect(names(m.takeChanges())).toEqual({ removed: ['event/e2 Unhealthy'], added: ['pod/p CrashLoopBackOff'] });
    m.set('pods', { ...p });
    expect(names(m.takeChanges())).toEqual({ removed: ['pod/p CrashLoopBackOff'], added: ['event/e2 Unhealthy'] });

    // Time passes: each event goes when it leaves the window, the newest last.
    expect(m.nextExpiry()).toBe(NOW - 2000 + RECENT_EVENT_MS + 1);
    now = NOW - 2000 + RECENT_EVENT_MS + 1;
    m.expire();
    expect(names(m.takeChanges())).toEqual({ removed: ['event/e3 FailedMount'], added: [] });
    now = NOW + RECENT_EVENT_MS;
    m.expire();
    expect(names(m.takeChanges())).toEqual({ removed: ['event/e2 Unhealthy'], added: [] });
    expect(m.nextExpiry()).toBeUndefined();
  });

  it('nets out a problem that came and went between two looks', () => {
    const m = new ProblemModel(() => NOW);
    const a = pod('a', { waiting: { reason: 'CrashLoopBackOff' } });
    m.set('pods', a);
    m.delete('pods', a.metadata.uid!);
    expect(m.takeChanges()).toEqual({ removed: [], added: [] });
  });
});
