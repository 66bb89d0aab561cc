import type { KObject } from '../../api-types/index.ts';
import * as actions from '../../client/actions.ts';
import { errorMessage } from '../../client/errors.ts';
import type { Controller } from '../controller.ts';

/** Runs a mutation and reports it in a toast. */
async function report(c: Controller, work: () => Promise<string | void>, success: string): Promise<void> {
  try {
    const msg = await work();
    c.toast(msg || success, 'success');
  } catch (err) {
    c.toast(errorMessage(err), 'error');
  }
}

function confirm(c: Controller, title: string, message: string, confirmLabel: string, run: () => void): void {
  c.ask({ kind: 'confirm', title, message, confirm: confirmLabel, focus: 0, danger: true }, (a) => {
    if (a.ok) run();
  });
}

function containersOf(obj: KObject): Array<{ name: string; image: string; init: boolean }> {
  const spec = obj.kind === 'Pod' ? obj.spec : obj.spec?.template?.spec;
  return [
    ...(spec?.initContainers ?? []).map((x: any) => ({ name: x.name, image: x.image, init: true })),
    ...(spec?.containers ?? []).map((x: any) => ({ name: x.name, image: x.image, init: false })),
  ];
}

/** Key commands acting on the selected object (see the keymap for keys and where they apply). */
export function objectCommands(c: Controller): Record<string, (key: string) => void> {
  const transport = () => c.session!.transport;
  const label = (info: { singular: string; plural: string }, name: string) => `${info.singular || info.plural}/${name}`;

  return {
    'obj.delete': () => {
      const sel = c.selection();
      if (!sel) return;
      const what = label(sel.info, sel.row.name);
      confirm(c, 'Delete', `Delete ${what}${sel.row.namespace ? ` in ${sel.row.namespace}` : ''}?`, 'Delete', () =>
        void report(c, () => actions.deleteObject(transport(), sel.ref), `${what} deleted`),
      );
    },

    'pod.kill': () => {
      const sel = c.selection();
      if (!sel) return;
      const what = label(sel.info, sel.row.name);
      confirm(c, 'Kill', `Kill ${what} now (grace period 0)?`, 'Kill', () =>
        void report(c, () => actions.deleteObject(transport(), sel.ref, { force: true }), `${what} killed`),
      );
    },

    'workload.scale': () => {
      const sel = c.selection();
      if (!sel) return;
      const what = label(sel.info, sel.row.name);
      const current = String(sel.row.object?.spec?.replicas ?? '');
      c.ask({ kind: 'input', title: `Scale ${what}`, label: 'Replicas:', value: current }, (a) => {
        if (!a.ok) return;
        const v = (a.value ?? '').trim();
        if (!/^\d+$/.test(v) || Number(v) > 10_000) return 'Enter a whole number (0 or more)';
        void report(c, () => actions.scale(transport(), sel.ref, Number(v)), `${what} scaled to ${v}`);
      });
    },

    'workload.restart': () => {
      const sel = c.selection();
      if (!sel) return;
      const what = label(sel.info, sel.row.name);
      confirm(c, 'Restart', `Restart every pod of ${what} (rolling)?`, 'Restart', () =>
        void report(c, () => actions.restart(transport(), sel.ref), `${what} restarted`),
      );
    },

    'workload.image': () => {
      const sel = c.selection();
      if (!sel) return;
      const what = label(sel.info, sel.row.name);
      void c.fullObject(sel.view, sel.row).then((obj) => {
        if (!obj) return;
        const list = containersOf(obj);
        const askImage = (i: number) => {
          const ct = list[i];
          c.ask({ kind: 'input', title: `Set image of ${ct.name} in ${what}`, label: 'Image:', value: ct.image }, (a) => {
            if (!a.ok) return;
            const image = (a.value ?? '').trim();
            if (!image || /\s/.test(image)) return 'Enter an image like nginx:1.9.1';
            void report(c, () => actions.setImage(transport(), sel.ref, ct.name, image, ct.init), `${what}: ${ct.name} image set to ${image}`);
          });
        };
        if (list.length === 1) return askImage(0);
        c.ask({ kind: 'pick', title: `Container of ${what}`, options: list.map((x) => `${x.name}  ${x.image}`), index: 0 }, (a) => {
          if (a.ok && a.index !== undefined) askImage(a.index);
        });
      });
    },

    'deploy.undo': () => {
      const sel = c.selection();
      if (!sel) return;
      const what = label(sel.info, sel.row.name);
      confirm(c, 'Rollout undo', `Roll ${what} back to its previous revision?`, 'Undo', () =>
        void report(c, async () => `${what} rolled back to revision ${await actions.rolloutUndo(transport(), sel.ref)}`, ''),
      );
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
          (h) => `${String(h.revision).padStart(3)}${h.revision === current ? '*' : ' '} ${h.images.join(',').padEnd(imgW)}  ${h.changeCause ?? '<none>'}`,
        );
        const header = `REV  ${'IMAGE'.padEnd(imgW)}  CHANGE-CAUSE`;
        c.ask({ kind: 'pick', title: `History of ${what}`, header, options, index: options.length - 1 }, (a) => {
          if (!a.ok || a.index === undefined || c.state.readonly) return;
          const rev = history[a.index].revision;
          if (rev === current) return void c.toast(`Revision ${rev} is the current one`);
          confirm(c, 'Rollout undo', `Roll ${what} back to revision ${rev}?`, 'Undo', () =>
            void report(c, async () => `${what} rolled back to revision ${await actions.rolloutUndo(transport(), sel.ref, rev)}`, ''),
          );
        });
      })();
    },

    'node.cordon': () => nodeSchedulable(c, true),
    'node.uncordon': () => nodeSchedulable(c, false),

    'node.drain': () => {
      const sel = c.selection();
      if (!sel) return;
      const node = sel.row.name;
      confirm(c, 'Drain', `Cordon node ${node} and evict its pods (DaemonSet pods stay)?`, 'Drain', () =>
        void report(
          c,
          async () => {
            await actions.cordon(transport(), sel.ref, true);
            const pods = await transport().json<{ items: KObject[] }>({
              path: '/api/v1/pods',
              query: { fieldSelector: `spec.nodeName=${node}` },
            });
            const evictable = pods.items.filter(
              (p) => !p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet') && !p.metadata.deletionTimestamp,
            );
            await Promise.all(evictable.map((p) => actions.evict(transport(), { namespace: p.metadata.namespace!, name: p.metadata.name! })));
            return `node/${node} drained (${evictable.length} pods evicted)`;
          },
          '',
        ),
      );
    },
  };
}

function nodeSchedulable(c: Controller, cordon: boolean): void {
  const sel = c.selection();
  if (!sel) return;
  const node = sel.row.name;
  const verb = cordon ? 'Cordon' : 'Uncordon';
  const message = cordon ? `Cordon node ${node}? New pods will not be scheduled there.` : `Uncordon node ${node}? Pods may be scheduled there again.`;
  confirm(c, verb, message, verb, () =>
    void report(c, () => actions.cordon(c.session!.transport, sel.ref, cordon), `node/${node} ${cordon ? 'cordoned' : 'uncordoned'}`),
  );
}
