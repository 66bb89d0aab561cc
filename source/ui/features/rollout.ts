import type { KObject } from '../../api-types/index.ts';
import { errorMessage } from '../../client/errors.ts';
import { LiveTraffic, routeFor } from '../../client/live-traffic.ts';
import type { ResourceInfo } from '../../client/resource.ts';
import {
  currentRevision,
  revisionOfPod,
  revisionResource,
  revisionsOf,
  type WorkloadKind,
  type WorkloadRevision,
} from '../../client/rollout.ts';
import type { Controller } from '../controller.ts';
import { LiveDoc } from '../docs.ts';
import { selectorString } from '../drill.ts';
import type { CommandHandlers } from '../keys/keymap.ts';
import { topView } from '../state/types.ts';
import { renderLiveTraffic } from './live-traffic-text.ts';
import { MAX_RATE, parseLoad } from './load-spec.ts';
import { ObjectTracker } from './object-docs.ts';
import { pickRevisionPair } from './rollout-history.ts';
import { renderSetRollout } from './rollout-set-text.ts';
import { renderRollout } from './rollout-text.ts';
import {
  askImage,
  askScale,
  confirmRestart,
  confirmUndo,
  togglePause,
  type WorkloadTarget,
} from './workload-dialogs.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<
  Controller,
  'ask' | 'config' | 'fullObject' | 'pushText' | 'selection' | 'session' | 'sourceFor' | 'state' | 'toast'
>;

/**
 * `o` on a deployment, statefulset or daemonset: its revisions and pods as the rollout moves,
 * live from three watches — and a control room: pause/resume, undo, set image, scale, restart,
 * live traffic and a revision diff, all without leaving the view.
 */

interface Room {
  kind: WorkloadKind;
  target: WorkloadTarget;
  info: ResourceInfo;
  latest?: KObject;
  revisionObjects(): KObject[];
  pods(): KObject[];
  doc: LiveDoc;
  traffic?: LiveTraffic;
  trafficTimer?: NodeJS.Timeout;
  /** Pod → revision, remembered after the pod is gone (traffic it answered still counts for its revision). */
  podRevision: Map<string, number>;
}

/** Open rollout views by view id, per controller (view ids are per controller). */
const roomsByController = new WeakMap<Host, Map<number, Room>>();

function roomsOf(c: Host): Map<number, Room> {
  let m = roomsByController.get(c);
  if (!m) roomsByController.set(c, (m = new Map()));
  return m;
}

function roomOf(c: Host): Room | undefined {
  const view = topView(c.state);
  return view ? roomsOf(c).get(view.id) : undefined;
}

function revisionState(room: Room): { revisions: WorkloadRevision[]; current?: WorkloadRevision } {
  if (!room.latest) return { revisions: [] };
  const revisions = revisionsOf(room.kind, room.latest, room.revisionObjects());
  return { revisions, current: currentRevision(room.kind, room.latest, revisions) };
}

function render(room: Room, width: number): string[] {
  const obj = room.latest!;
  const pods = room.pods();
  const { revisions, current } = revisionState(room);
  for (const p of pods) {
    const rev = revisionOfPod(room.kind, p, revisions);
    if (rev) room.podRevision.set(p.metadata.name!, rev.revision);
  }
  const lines =
    room.kind === 'Deployment'
      ? renderRollout(obj, room.revisionObjects(), pods, width)
      : renderSetRollout(room.kind, obj, revisions, current, pods, width);
  if (!room.traffic) return lines;
  room.traffic.setPods(pods);
  const panel = renderLiveTraffic(room.traffic, (pod) => room.podRevision.get(pod), current?.revision, width);
  // Right under the rollout's status, above the revisions, so it is in view.
  const at = lines.indexOf('');
  return [...lines.slice(0, at), '', ...panel, ...lines.slice(at)];
}

function stopTraffic(room: Room): void {
  room.traffic?.stop();
  clearInterval(room.trafficTimer);
  room.traffic = undefined;
}

function openRollout(c: Host): void {
  const sel = c.selection();
  const session = c.session;
  if (!sel || !session) return;
  const kind = sel.info.kind as WorkloadKind;
  void c.fullObject(sel.view, sel.row).then((obj) => {
    if (!obj) return;
    const ns = sel.row.namespace!;
    const selector = selectorString(obj.spec?.selector);
    const revInfo = session.registry.get(revisionResource(kind));
    const podInfo = session.registry.get('pods');
    if (!selector || !revInfo || !podInfo) return c.toast(`This ${kind.toLowerCase()} has no selector`, 'error');
    const revs = session.pool.acquire({ resource: revInfo, namespace: ns, labelSelector: selector });
    const pods = session.pool.acquire({ resource: podInfo, namespace: ns, labelSelector: selector });
    const tracker = new ObjectTracker(
      session.transport,
      sel.info,
      c.sourceFor(sel.view),
      sel.row.uid,
      ns,
      sel.row.name,
    );
    const what = `${sel.info.singular || kind.toLowerCase()}/${sel.row.name}`;
    const room: Room = {
      kind,
      info: sel.info,
      target: { ref: sel.ref, what },
      latest: obj,
      revisionObjects: () =>
        revs.cache
          .getSnapshot()
          .rows.map((r) => r.object)
          .filter((o): o is KObject => !!o),
      pods: () =>
        pods.cache
          .getSnapshot()
          .rows.map((r) => r.object)
          .filter((o): o is KObject => !!o),
      podRevision: new Map(),
      doc: undefined as unknown as LiveDoc,
    };
    // The workload is fetched again only when its table row changed: pod events and traffic
    // redraw the view many times a second.
    let stale = false;
    let deleted = false;
    const doc = new LiveDoc(async () => {
      if (stale) {
        stale = false;
        ({ obj: room.latest, deleted } = await tracker.current());
      }
      const current = room.latest!;
      const status = deleted
        ? 'deleted'
        : ['live', current.spec?.paused ? 'PAUSED' : '', room.traffic ? 'traffic' : ''].filter(Boolean).join(' · ');
      return { lines: render(room, c.state.size.columns - 4), status };
    }, [(fn) => tracker.onChange(() => ((stale = true), fn())), revs.cache.subscribe, pods.cache.subscribe]);
    room.doc = doc;
    const close = doc.close.bind(doc);
    let id = -1;
    doc.close = () => {
      close();
      stopTraffic(room);
      revs.release();
      pods.release();
      roomsOf(c).delete(id);
    };
    c.pushText({ mode: 'rollout', title: what, resource: sel.view.resource }, doc);
    id = topView(c.state)!.id;
    roomsOf(c).set(id, room);
  });
}

function startTraffic(c: Host, room: Room): void {
  const session = c.session!;
  const obj = room.latest!;
  c.ask(
    {
      kind: 'input',
      title: `Live traffic to ${room.target.what}`,
      label: 'Requests per second (10), or for a time (10/s for 60s):',
      value: '10',
    },
    (a) => {
      if (!a.ok) return;
      const spec = parseLoad(a.value ?? '');
      if (typeof spec === 'string') return spec;
      const rate = spec.kind === 'burst' ? spec.count : spec.rate;
      if (rate > MAX_RATE) return `Enter a rate from 1 to ${MAX_RATE}`;
      const durationMs = spec.kind === 'sustained' ? spec.seconds * 1000 : undefined;
      void (async () => {
        try {
          const ns = room.target.ref.namespace!;
          const services = await session.transport.json<{ items: KObject[] }>({
            path: `/api/v1/namespaces/${encodeURIComponent(ns)}/services`,
          });
          const labels: Record<string, string> = obj.spec?.template?.metadata?.labels ?? {};
          const port = Number(obj.spec?.template?.spec?.containers?.[0]?.ports?.[0]?.containerPort ?? 80);
          const route = routeFor(session.transport, services.items, labels, port);
          if (![...roomsOf(c).values()].includes(room) || room.traffic) return; // closed or started meanwhile
          room.traffic = new LiveTraffic(session.transport, route, rate, 2000, durationMs);
          room.traffic.subscribe(() => room.doc.refresh());
          // The bars move on with the clock even when nothing answers.
          room.trafficTimer = setInterval(() => room.doc.refresh(), 500);
          room.trafficTimer.unref?.();
          room.doc.refresh();
          c.toast(
            `Live traffic: ${rate} req/s through ${route.kind === 'service' ? `service/${route.name}` : 'the pods directly'}`,
            'success',
          );
        } catch (err) {
          c.toast(errorMessage(err), 'error');
        }
      })();
    },
  );
}

export function rolloutCommands(c: Host) {
  const inRoom = (fn: (room: Room) => void) => () => {
    const room = roomOf(c);
    if (room?.latest) fn(room);
  };
  return {
    'deploy.rollout': () => openRollout(c),
    'rollout.pause': inRoom((room) => togglePause(c, room.target, room.latest!.spec?.paused === true)),
    'rollout.undo': inRoom((room) =>
      confirmUndo(c, room.target, room.latest!.spec?.paused === true, undefined, room.kind),
    ),
    'rollout.image': inRoom((room) => askImage(c, room.target, room.latest!)),
    'rollout.scale': inRoom((room) => askScale(c, room.target, room.latest!.spec?.replicas)),
    'rollout.restart': inRoom((room) => confirmRestart(c, room.target)),
    'rollout.traffic': inRoom((room) => {
      if (!room.traffic) return startTraffic(c, room);
      const { sent, failed } = room.traffic.totals;
      stopTraffic(room);
      room.doc.refresh();
      c.toast(`Live traffic stopped: ${sent} sent, ${failed} failed`);
    }),
    'rollout.history': inRoom((room) => {
      const { revisions, current } = revisionState(room);
      pickRevisionPair(
        c,
        room.target.what,
        room.info.group ? `${room.info.plural}.${room.info.group}` : room.info.plural,
        revisions,
        current,
      );
    }),
  } satisfies CommandHandlers;
}
