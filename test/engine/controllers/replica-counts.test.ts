import { describe, expect, it } from 'vitest';
import type { KObject } from '../../../source/api-types/index.ts';
import { Cache, objKey } from '../../../source/engine/framework/cache.ts';
import { controllerRef } from '../../../source/engine/framework/owner-refs.ts';
import { isPodActive, isPodReady, readySince, selectorMatcher } from '../../../source/engine/controllers/pods.ts';
import {
  ReplicaCounts,
  type ReplicaTally,
  type ReplicaView,
} from '../../../source/engine/controllers/replica-counts.ts';
import type { StoreEvent } from '../../../source/engine/store/store.ts';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The counts as the controller computed them before: every pod it owns, filtered on each sync. */
function recount(pods: Iterable<KObject>, view: ReplicaView) {
  const out = { active: 0, fully: 0, ready: 0, readySince: new Map<string, number>(), unmatched: new Set<string>() };
  for (const pod of pods) {
    if (controllerRef(pod)?.uid !== view.uid) continue;
    const labels = pod.metadata.labels ?? {};
    if (!view.matches(labels)) {
      out.unmatched.add(objKey(pod));
      continue;
    }
    if (!isPodActive(pod)) continue;
    out.active++;
    if (Object.entries(view.templateLabels ?? {}).every(([k, v]) => labels[k] === v)) out.fully++;
    if (isPodReady(pod)) {
      out.ready++;
      out.readySince.set(objKey(pod), readySince(pod));
    }
  }
  return out;
}

const plain = (t: ReplicaTally) => ({
  active: t.active,
  fully: t.fully,
  ready: t.ready,
  readySince: new Map(t.readySince),
  unmatched: new Set(t.unmatched),
});

const UIDS = ['rs-a', 'rs-b'];

describe('ReplicaCounts', () => {
  it('equals a full recount after every one of 3,000 random pod changes', () => {
    const rand = prng(23);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const pods = new Cache({ owner: (o) => [controllerRef(o)?.uid ?? 'orphan'] });
    const counts = new ReplicaCounts((uid) => pods.by('owner', uid));
    const selector = { matchLabels: { app: 'web' } };
    const views = new Map<string, ReplicaView>(
      UIDS.map((uid) => [uid, { uid, matches: selectorMatcher(selector), templateLabels: { app: 'web', tier: 'x' } }]),
    );
    let rv = 0;
    const emit = (type: StoreEvent['type'], object: KObject, prev?: KObject) => {
      const ev = { type, rv: ++rv, resource: 'pods', object, prev } as StoreEvent;
      pods.apply(ev);
      counts.apply(ev);
    };
    const randomLabels = (): Record<string, string> | undefined =>
      pick<Record<string, string> | undefined>([
        { app: 'web', tier: 'x' },
        { app: 'web' },
        { app: 'other' },
        undefined,
      ]);
    const randomOwner = () => {
      const uid = pick([...UIDS, undefined]);
      return uid ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: uid, uid, controller: true }] : undefined;
    };
    const live = new Map<string, KObject>();
    let next = 0;
    for (let step = 0; step < 3000; step++) {
      const r = rand();
      if (r < 0.25 || live.size < 3) {
        const name = `p${next++}`;
        const pod: KObject = {
          metadata: { name, namespace: 'default', labels: randomLabels(), ownerReferences: randomOwner() },
          spec: {},
          status: { phase: 'Pending' },
        };
        live.set(name, pod);
        emit('ADDED', pod);
      } else if (r < 0.35) {
        const pod = pick([...live.values()]);
        live.delete(pod.metadata.name!);
        emit('DELETED', pod);
      } else if (r < 0.97) {
        const prev = pick([...live.values()]);
        const pod = structuredClone(prev);
        const what = rand();
        if (what < 0.4) {
          const ready = rand() < 0.7;
          pod.status.conditions = [
            {
              type: 'Ready',
              status: ready ? 'True' : 'False',
              lastTransitionTime: new Date(step * 1000).toISOString(),
            },
          ];
          if (ready) pod.status.phase = 'Running';
        } else if (what < 0.55) pod.status.phase = pick(['Running', 'Succeeded', 'Failed', 'Pending']);
        else if (what < 0.7) pod.metadata.labels = randomLabels();
        else if (what < 0.85) pod.metadata.ownerReferences = randomOwner();
        else pod.metadata.deletionTimestamp = new Date(step * 1000).toISOString();
        live.set(pod.metadata.name!, pod);
        emit('MODIFIED', pod, prev);
      } else {
        // The controller's template labels change: its counts are rebuilt under the new ones.
        const uid = pick(UIDS);
        views.set(uid, {
          ...views.get(uid)!,
          templateLabels: pick<Record<string, string>>([{ app: 'web', tier: 'x' }, { app: 'web' }]),
        });
      }
      // Read only some of the time, so tallies also see events they were not asked about yet.
      if (rand() < 0.5) {
        for (const view of views.values()) {
          expect(plain(counts.of(view)), `step ${step}, ${view.uid}`).toEqual(recount(live.values(), view));
        }
      }
    }
    // A controller that is forgotten and asked again counts from scratch, to the same result.
    for (const view of views.values()) {
      const before = plain(counts.of(view));
      counts.forget(view.uid);
      expect(plain(counts.of(view))).toEqual(before);
    }
  });
});
