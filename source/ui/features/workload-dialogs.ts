import type { KObject } from '../../api-types/index.ts';
import * as actions from '../../client/actions.ts';
import { errorMessage } from '../../client/errors.ts';
import { setPaused, undoWorkload, type WorkloadKind } from '../../client/rollout.ts';
import type { Controller } from '../controller.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'ask' | 'config' | 'session' | 'toast'>;

/**
 * The questions behind scale, set image, restart, undo and pause, for one workload: asked from a
 * table row and from inside the rollout view alike.
 */

export interface WorkloadTarget {
  ref: actions.ObjectRef;
  /** `deployment/web`, for titles and toasts. */
  what: string;
}

export const MAX_REPLICAS = 10_000;

/** Runs a mutation and reports it in a toast. */
export async function report(c: Host, work: () => Promise<string | void>, success: string): Promise<void> {
  try {
    const msg = await work();
    c.toast(msg || success, 'success');
  } catch (err) {
    c.toast(errorMessage(err), 'error');
  }
}

/** A yes/no question with Cancel focused. */
export function confirm(c: Host, title: string, message: string, confirmLabel: string, run: () => void): void {
  // config.yaml `confirm: never`: the user asked not to be asked.
  if (c.config.active.settings.confirm === 'never') return run();
  c.ask({ kind: 'confirm', title, message, confirm: confirmLabel, focus: 0, danger: true }, (a) => {
    if (a.ok) run();
  });
}

export function containersOf(obj: KObject): Array<{ name: string; image: string; init: boolean }> {
  const spec = obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  const list = (xs: unknown, init: boolean) =>
    (Array.isArray(xs) ? (xs as Array<{ name: string; image: string }>) : []).map((x) => ({
      name: x.name,
      image: x.image,
      init,
    }));
  return [...list(spec?.initContainers, true), ...list(spec?.containers, false)];
}

export function askScale(c: Host, t: WorkloadTarget, current: number | undefined): void {
  const transport = c.session!.transport;
  c.ask(
    {
      kind: 'input',
      title: `Scale ${t.what}`,
      label: 'Replicas:',
      value: current === undefined ? '' : String(current),
      numeric: { min: 0, max: MAX_REPLICAS },
    },
    (a) => {
      if (!a.ok) return;
      const v = (a.value ?? '').trim().replace(/^\+/, '');
      if (!/^\d+$/.test(v) || Number(v) > MAX_REPLICAS) return `Enter a whole number from 0 to ${MAX_REPLICAS}`;
      void report(c, () => actions.scale(transport, t.ref, Number(v)), `${t.what} scaled to ${Number(v)}`);
    },
  );
}

export function askImage(c: Host, t: WorkloadTarget, obj: KObject): void {
  const transport = c.session!.transport;
  const list = containersOf(obj);
  const askFor = (i: number) => {
    const ct = list[i];
    c.ask({ kind: 'input', title: `Set image of ${ct.name} in ${t.what}`, label: 'Image:', value: ct.image }, (a) => {
      if (!a.ok) return;
      const image = (a.value ?? '').trim();
      if (!image || /\s/.test(image)) return 'Enter an image like nginx:1.9.1';
      void report(
        c,
        () => actions.setImage(transport, t.ref, ct.name, image, ct.init),
        `${t.what}: ${ct.name} image set to ${image}`,
      );
    });
  };
  if (!list.length) return c.toast(`${t.what} has no containers`, 'error');
  if (list.length === 1) return askFor(0);
  c.ask(
    { kind: 'pick', title: `Container of ${t.what}`, options: list.map((x) => `${x.name}  ${x.image}`), index: 0 },
    (a) => {
      if (a.ok && a.index !== undefined) askFor(a.index);
    },
  );
}

export function confirmRestart(c: Host, t: WorkloadTarget): void {
  const transport = c.session!.transport;
  confirm(
    c,
    'Restart',
    `Restart every pod of ${t.what} (rolling)?`,
    'Restart',
    () => void report(c, () => actions.restart(transport, t.ref), `${t.what} restarted`),
  );
}

/** `kubectl rollout undo`; like kubectl, a paused deployment must be resumed first. */
export function confirmUndo(
  c: Host,
  t: WorkloadTarget,
  paused: boolean,
  toRevision?: number,
  kind: WorkloadKind = 'Deployment',
): void {
  const transport = c.session!.transport;
  if (paused) return c.toast(`${t.what} is paused: resume it (p) before undoing`, 'error');
  const to = toRevision ? `revision ${toRevision}` : 'its previous revision';
  confirm(
    c,
    'Rollout undo',
    `Roll ${t.what} back to ${to}?`,
    'Undo',
    () =>
      void report(
        c,
        async () => `${t.what} rolled back to revision ${await undoWorkload(transport, kind, t.ref, toRevision)}`,
        '',
      ),
  );
}

/** `kubectl rollout pause` / `resume`: no question, it is undone by the same key. */
export function togglePause(c: Host, t: WorkloadTarget, paused: boolean): void {
  const transport = c.session!.transport;
  void report(c, () => setPaused(transport, t.ref, !paused), `${t.what} ${paused ? 'resumed' : 'paused'}`);
}
