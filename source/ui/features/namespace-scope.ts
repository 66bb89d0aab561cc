import type { Controller } from '../controller.ts';
import type { CommandHandlers } from '../keys/keymap.ts';
import { joinNamespaces } from '../namespace-set.ts';
import { topView, withRecent } from '../state/types.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<
  Controller,
  'newTable' | 'replaceTop' | 'resetTo' | 'selectedRow' | 'state' | 'store' | 'tableModel' | 'toast'
>;

/** In `:ns`: space marks namespaces, enter scopes every view to the marked set (or to the selected one). */
export function namespaceCommands(c: Host) {
  const nsView = () => {
    const view = topView(c.state);
    return view?.kind === 'table' && view.resource === 'namespaces' ? view : undefined;
  };
  return {
    'ns.mark': () => {
      const view = nsView();
      const row = view && c.selectedRow(view);
      if (!view || !row) return;
      const marked = new Set(view.marked ?? []);
      if (marked.has(row.name)) marked.delete(row.name);
      else marked.add(row.name);
      const rows = c.tableModel(view).rows;
      const i = rows.findIndex((r) => r.uid === row.uid);
      const next = rows[Math.min(rows.length - 1, i + 1)] ?? row;
      // Like k9s, marking moves down so that several are marked with repeated presses.
      c.replaceTop({
        ...view,
        marked: [...marked],
        selectedUid: next.uid,
        selectedIndex: Math.min(rows.length - 1, i + 1),
      });
      c.toast(marked.size ? `Marked ${joinNamespaces(marked)} (enter scopes to them)` : 'No namespaces marked');
    },
    'ns.scope': () => {
      const view = nsView();
      const row = view && c.selectedRow(view);
      if (!view) return;
      const scope = view.marked?.length ? joinNamespaces(view.marked) : row?.name;
      if (!scope) return;
      c.store.update((s) => ({ ...s, namespace: scope, recentNamespaces: withRecent(s.recentNamespaces, scope) }));
      c.resetTo(c.newTable('pods', scope));
    },
  } satisfies CommandHandlers;
}
