import type { KObject } from '../../api-types/index.ts';
import * as actions from '../../client/actions.ts';
import { setSuspend, triggerCronJob } from '../../client/cronjobs.ts';
import { drainStatus, evictNodePods } from '../../client/drain.ts';
import { errorMessage } from '../../client/errors.ts';
import type { Controller } from '../controller.ts';
import type { CommandHandlers } from '../keys/keymap.ts';
import { askImage, askScale, confirm, confirmRestart, confirmUndo, report } from './workload-dialogs.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'ask' | 'config' | 'fullObject' | 'selection' | 'session' | 'state' | 'toast'>;

/** Key commands acting on the selected object (see the keymap for keys and where they apply). */
export function objectCommands(c: Host) {
  const transport = () => c.session!.transport;
  const label = (info: { singular: string; plural: string }, name: string) => `${info.singular || info.plural}/${name}`;

  return {
    'obj.delete': () => {
      const sel = c.selection();
      if (!sel) return;
      const what = label(sel.info, sel.row.name);
      confirm(
        c,
        'Delete',
        `Delete ${what}${sel.row.namespace ? ` in ${sel.row.namespace}` : ''}?`,
        'Delete',
        () => void report(c, () => actions.deleteObject(transport(), sel.ref), `${what} deleted`),
      );
    },

    'pod.kill': () => {
      const sel = c.selection();
      if (!sel) return;
      const what = label(sel.info, sel.row.name);
      confirm(
        c,
        'Kill',
        `Kill ${what} now (grace period 0)?`,
        'Kill',
        () => void report(c, () => actions.deleteObject(transport(), sel.ref, { force: true }), `${what} killed`),
      );
    },

    'workload.scale': () => {
      const sel = c.selection();
      if (!sel) return;
      // Table rows carry metadata only: the spec comes from a GET.
      void c.fullObject(sel.view, sel.row).then((obj) => {
        if (!obj) return;
        const replicas = obj.spec?.replicas;
        askScale(
          c,
          { ref: sel.ref, what: label(sel.info, sel.row.name) },
          typeof replicas === 'number' ? replicas : undefined,
        );
      });
    },

    'workload.restart': () => {
      const sel = c.selection();
      if (sel) confirmRestart(c, { ref: sel.ref, what: label(sel.info, sel.row.name) });
    },

    'workload.image': () => {
      const sel = c.selection();
      if (!sel) return;
      void c.fullObject(sel.view, sel.row).then((obj) => {
        if (obj) askImage(c, { ref: sel.ref, what: label(sel.info, sel.row.name) }, obj);
      });
    },

    'deploy.undo': () => {
      const sel = c.selection();
      if (!sel) return;
      void c.fullObject(sel.view, sel.row).then((obj) => {
        if (obj) confirmUndo(c, { ref: sel.ref, what: label(sel.info, sel.row.name) }, obj.spec?.paused === true);
      });
    },

    'deploy.history': () => {
      const sel = c.selection();
      if (!sel) return;
      const what = label(sel.info, sel.row.name);
      void (async () => {
        const obj = await c.fullObject(sel.view, sel.row);
        if (!obj) return;
        let history: actions.Revision[];
        try {
          history = await actions.rolloutHistory(transport(), obj);
        } catch (err) {
          return c.toast(errorMessage(err), 'error');
        }
        if (!history.length) return c.toast(`${what} has no rollout history yet`, 'error');
        const current = Number(obj.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
        const imgW = Math.max(5, ...history.map((h) => h.images.join(',').length));
        const options = history.map(
          (h) =>
            `${String(h.revision).padStart(3)}${h.revision === current ? '*' : ' '} ${h.images.join(',').padEnd(imgW)}  ${h.changeCause ?? '<none>'}`,
        );
        const header = `REV  ${'IMAGE'.padEnd(imgW)}  CHANGE-CAUSE`;
        c.ask({ kind: 'pick', title: `History of ${what}`, header, options, index: options.length - 1 }, (a) => {
          if (!a.ok || a.index === undefined || c.state.readonly) return;
          const rev = history[a.index].revision;
          if (rev === current) return void c.toast(`Revision ${rev} is the current one`);
          confirm(
            c,
            'Rollout undo',
            `Roll ${what} back to revision ${rev}?`,
            'Undo',
            () =>
              void report(
                c,
                async () => `${what} rolled back to revision ${await actions.rolloutUndo(transport(), sel.ref, rev)}`,
                '',
              ),
          );
        });
      })();
    },

    'cronjob.trigger': () => {
      const sel = c.selection();
      if (!sel) return;
      const what = label(sel.info, sel.row.name);
      confirm(
        c,
        'Trigger',
        `Run ${what} now (a Job from its template)?`,
        'Trigger',
        () => void report(c, async () => `job/${await triggerCronJob(transport(), sel.ref)} created from ${what}`, ''),
      );
    },

    'cronjob.suspend': () => {
      const sel = c.selection();
      if (!sel) return;
      const what = label(sel.info, sel.row.name);
      void c.fullObject(sel.view, sel.row).then((obj) => {
        if (!obj) return;
        const suspend = obj.spec?.suspend !== true;
        const verb = suspend ? 'Suspend' : 'Resume';
        confirm(
          c,
          verb,
          suspend ? `Suspend ${what}? No new runs start until it is resumed.` : `Resume ${what}?`,
          verb,
          () =>
            void report(
              c,
              () => setSuspend(transport(), sel.ref, suspend),
              `${what} ${suspend ? 'suspended' : 'resumed'}`,
            ),
        );
      });
    },

    'node.cordon': () => nodeSchedulable(c, true),
    'node.uncordon': () => nodeSchedulable(c, false),

    'node.drain': () => {
      const sel = c.selection();
      if (!sel) return;
      const node = sel.row.name;
      confirm(
        c,
        'Drain',
        `Cordon node ${node} and evict its pods (DaemonSet pods stay)?`,
        'Drain',
        () =>
          void report(
            c,
            async () => {
              await actions.cordon(transport(), sel.ref, true);
              let last = '';
              const evicted = await evictNodePods(transport(), node, {
                onProgress: (p) => {
                  const line = drainStatus(node, p);
                  if ((line !== last || p.blocked.size) && p.evicted < p.total) c.toast((last = line));
                },
              });
              return `node/${node} drained (${evicted} pods evicted)`;
            },
            '',
          ),
      );
    },
  } satisfies CommandHandlers;
}

function nodeSchedulable(c: Host, cordon: boolean): void {
  const sel = c.selection();
  if (!sel) return;
  const node = sel.row.name;
  const verb = cordon ? 'Cordon' : 'Uncordon';
  const message = cordon
    ? `Cordon node ${node}? New pods will not be scheduled there.`
    : `Uncordon node ${node}? Pods may be scheduled there again.`;
  confirm(
    c,
    verb,
    message,
    verb,
    () =>
      void report(
        c,
        () => actions.cordon(c.session!.transport, sel.ref, cordon),
        `node/${node} ${cordon ? 'cordoned' : 'uncordoned'}`,
      ),
  );
}
