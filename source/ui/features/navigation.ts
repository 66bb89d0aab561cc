import type { Row } from '../../client/table-cache.ts';
import type { Controller } from '../controller.ts';
import { CONTEXTS, viewKind, viewResource } from '../state/view.ts';
import { claimVolume, drillTarget, type DrillRefusal, type DrillTarget } from '../drill.ts';
import { layoutFor } from '../layout.ts';
import { topView, withRecent, type TableViewState } from '../state/types.ts';
import { compileFilter, scrollTop, selectedIndex } from '../table/derive.ts';
import { ObjectTracker, decodedSecretDoc, describeDoc, yamlDoc } from './object-docs.ts';
import { openPrompt } from './open-prompt.ts';
import { clearLogFilter } from './log-view.ts';
import type { CommandHandlers } from '../keys/keymap.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<
  Controller,
  | 'docFor'
  | 'fullObject'
  | 'newId'
  | 'newTable'
  | 'push'
  | 'pushText'
  | 'quit'
  | 'replaceTop'
  | 'resetTo'
  | 'selectedRow'
  | 'selection'
  | 'session'
  | 'sourceFor'
  | 'state'
  | 'store'
  | 'switchContext'
  | 'tableModel'
  | 'textLines'
  | 'toast'
>;

/** Moving around: selection, scrolling, sorting, namespaces, drill-down, back, search, help. */

export function move(c: Host, delta: number): void {
  const view = topView(c.state);
  if (!view) return;
  const layout = layoutFor(c.state);
  if (view.kind === 'table') {
    const rows = c.tableModel(view).rows;
    if (!rows.length) return;
    const cur = selectedIndex(rows, view.selectedUid, view.selectedIndex);
    const next = Math.max(0, Math.min(rows.length - 1, cur + delta));
    const top = scrollTop(view.top, next, layout.tableRows, rows.length);
    return c.replaceTop({ ...view, selectedUid: rows[next].uid, selectedIndex: next, top });
  }
  const total = c.textLines(view).length;
  const maxTop = Math.max(0, total - layout.innerRows);
  const from = view.kind === 'text' && view.follow ? maxTop : Math.min(view.top, maxTop);
  const top = delta === -Infinity ? 0 : delta === Infinity ? maxTop : Math.max(0, Math.min(maxTop, from + delta));
  if (view.kind === 'text' && view.mode === 'logs') {
    // Scrolling up stops following; reaching the end (or G) follows again.
    c.replaceTop({ ...view, top, follow: top >= maxTop && delta > 0 });
  } else {
    c.replaceTop({ ...view, top });
  }
}

function pageSize(c: Host): number {
  return Math.max(1, layoutFor(c.state).tableRows - 1);
}

/** The xray tree keeps its order: a sorted list of lines would tear owners from what they own. */
function treeKeepsOrder(c: Host, view: TableViewState): boolean {
  if (view.virtual?.kind !== 'xray') return false;
  c.toast('Sorting is off in xray: the tree keeps owners above what they own (children in name order)');
  return true;
}

function sortBy(c: Host, pick: (v: TableViewState) => string | undefined): void {
  const view = topView(c.state);
  if (view?.kind !== 'table' || treeKeepsOrder(c, view)) return;
  const column = pick(view);
  if (!column) return;
  const desc = view.sort?.column === column ? !view.sort.desc : false;
  c.replaceTop({ ...view, sort: { column, desc } });
}

function sortStep(c: Host, dir: number): void {
  const view = topView(c.state);
  if (view?.kind !== 'table' || treeKeepsOrder(c, view)) return;
  const cols = c.tableModel(view).columns;
  if (!cols.length) return;
  const cur = cols.findIndex((col) => col.name === view.sort?.column);
  const next = cur < 0 ? (dir > 0 ? 0 : cols.length - 1) : (cur + dir + cols.length) % cols.length;
  c.replaceTop({ ...view, sort: { column: cols[next].name, desc: false } });
}

/** Sets the session's namespace scope and re-scopes the current table; null = all. */
export function setNamespace(c: Host, ns: string | null): void {
  c.store.update((s) => ({
    ...s,
    namespace: ns,
    recentNamespaces: ns ? withRecent(s.recentNamespaces, ns) : s.recentNamespaces,
  }));
  const view = topView(c.state);
  if (view?.kind !== 'table' || view.resource === CONTEXTS) return;
  const info = c.session?.registry.get(view.resource);
  const scoped = info?.namespaced || view.virtual?.kind === 'xray' || view.virtual?.kind === 'problems';
  if (!scoped || view.namespace === ns) return;
  c.replaceTop({ ...view, id: c.newId(), namespace: ns, selectedIndex: 0, top: 0, selectedUid: undefined });
}

/** The filter prompt: regex text applies as typed; `-l sel` asks the server when committed. */
export function applyFilter(c: Host, text: string, commit = false): void {
  const view = topView(c.state);
  if (view?.kind !== 'table') return;
  const label = /^\s*-l\s*(.*)$/.exec(text);
  if (label) {
    if (!commit) return;
    const sel = label[1].trim() || undefined;
    return c.replaceTop({ ...view, id: c.newId(), filter: '', labelFilter: sel, selectedIndex: 0, top: 0 });
  }
  if (view.labelFilter && !text) {
    return c.replaceTop({ ...view, id: c.newId(), filter: '', labelFilter: undefined, selectedIndex: 0, top: 0 });
  }
  if (view.filter !== text) c.replaceTop({ ...view, filter: text, top: 0 });
}

export function setSearch(c: Host, text: string): void {
  const view = topView(c.state);
  if (view?.kind !== 'text') return;
  c.replaceTop({ ...view, search: text || undefined, match: undefined });
  if (text) findMatch(c, 1, true);
}

/** Moves to the next (or previous) line matching the search; from the top line when starting. */
function findMatch(c: Host, dir: 1 | -1, fromTop = false): void {
  const view = topView(c.state);
  if (view?.kind !== 'text' || !view.search) return;
  const test = compileFilter(view.search);
  const lines = c.textLines(view);
  if (!test || !lines.length) return;
  const start = fromTop ? view.top : (view.match ?? view.top) + dir;
  for (let k = 0; k < lines.length; k++) {
    const i = (((start + dir * k) % lines.length) + lines.length) % lines.length;
    if (test.test([lines.at(i) ?? ''])) {
      const height = layoutFor(c.state).innerRows;
      const top = i >= view.top && i < view.top + height ? view.top : Math.max(0, i - Math.floor(height / 3));
      return c.replaceTop({ ...view, match: i, top, follow: false });
    }
  }
  c.toast(`No match for "${view.search}"`, 'error');
}

/** esc: clear the filter or search first, then go back one view. */
function back(c: Host): void {
  const view = topView(c.state);
  if (view?.kind === 'table' && (view.filter || view.labelFilter)) return applyFilter(c, '');
  if (view?.kind === 'text' && view.search) return setSearch(c, '');
  if (clearLogFilter(c)) return;
  if (c.state.stack.length > 1) c.store.update((s) => ({ ...s, stack: s.stack.slice(0, -1) }));
}

export function openHelp(c: Host): void {
  const view = topView(c.state);
  if (!view || view.kind === 'help') return;
  c.push({ kind: 'help', id: c.newId(), about: { kind: viewKind(view), resource: viewResource(view) }, top: 0 });
}

/** `d` and `y`: live describe or YAML of the selected object. */
function openObject(c: Host, mode: 'describe' | 'yaml' | 'decoded'): void {
  const sel = c.selection();
  const session = c.session;
  if (!sel || !session) return;
  const tracker = new ObjectTracker(
    session.transport,
    sel.info,
    c.sourceFor(sel.view),
    sel.row.uid,
    sel.row.namespace,
    sel.row.name,
  );
  const doc =
    mode === 'describe'
      ? describeDoc(session.transport, tracker)
      : mode === 'decoded'
        ? decodedSecretDoc(tracker)
        : yamlDoc(tracker);
  const title = `${sel.info.singular || sel.info.plural}/${sel.row.name}${mode === 'decoded' ? ' (decoded)' : ''}`;
  c.pushText({ mode: mode === 'decoded' ? 'yaml' : mode, title, resource: sel.view.resource }, doc);
}

/** enter: into a context or namespace, to the pods behind a workload/service/node, else describe. */
function enter(c: Host): void {
  const view = topView(c.state);
  if (view?.kind !== 'table') return;
  const row = c.selectedRow(view);
  if (!row) return;
  if (view.resource === CONTEXTS) return c.switchContext(row.name);
  if (view.resource === 'namespaces') {
    c.store.update((s) => ({ ...s, namespace: row.name, recentNamespaces: withRecent(s.recentNamespaces, row.name) }));
    return c.resetTo(c.newTable('pods', row.name));
  }
  void drill(c, view, row);
}

async function drill(c: Host, view: TableViewState, row: Row): Promise<void> {
  const obj = await c.fullObject(view, row);
  if (!obj) return;
  const target = drillTarget(view.resource, obj);
  if (!target) return openObject(c, 'describe');
  pushDrill(c, target);
}

function pushDrill(c: Host, target: DrillTarget | DrillRefusal): void {
  if ('refused' in target) return c.toast(target.refused, 'error');
  const next = c.newTable(target.resource, target.namespace);
  c.push({
    ...next,
    labelSelector: target.labelSelector,
    fieldSelector: target.fieldSelector,
    claimName: target.claimName,
    retryOf: target.retryOf,
    scopeLabel: target.scopeLabel,
  });
}

/** `v` on a PVC: the PersistentVolume it is bound to. */
async function claimToVolume(c: Host): Promise<void> {
  const view = topView(c.state);
  if (view?.kind !== 'table') return;
  const row = c.selectedRow(view);
  const obj = row && (await c.fullObject(view, row));
  if (obj) pushDrill(c, claimVolume(obj));
}

export function navigationCommands(c: Host) {
  const column = (pick: 'isName' | 'isAge' | 'isStatus') => (v: TableViewState) =>
    c.tableModel(v).columns.find((col) => col[pick])?.name;
  return {
    'app.quit': () => c.quit(),
    'app.help': () => openHelp(c),
    'app.command': () => openPrompt(c, 'command', ''),
    'app.back': () => back(c),
    'nav.down': () => move(c, 1),
    'nav.up': () => move(c, -1),
    'nav.pageDown': () => move(c, pageSize(c)),
    'nav.pageUp': () => move(c, -pageSize(c)),
    'nav.top': () => move(c, -Infinity),
    'nav.bottom': () => move(c, Infinity),
    'table.filter': () => {
      const view = topView(c.state);
      if (view?.kind === 'table') openPrompt(c, 'filter', view.labelFilter ? `-l ${view.labelFilter}` : view.filter);
    },
    'table.enter': () => enter(c),
    'ns.all': () => setNamespace(c, null),
    'ns.recent': (key) => {
      const ns = c.state.recentNamespaces[Number(key) - 1];
      if (ns) setNamespace(c, ns);
    },
    'table.sortName': () => sortBy(c, column('isName')),
    'table.sortAge': () => sortBy(c, column('isAge')),
    'table.sortStatus': () => sortBy(c, column('isStatus')),
    'table.sortPrev': () => sortStep(c, -1),
    'table.sortNext': () => sortStep(c, 1),
    'table.wide': () => {
      c.store.update((s) => ({ ...s, wide: !s.wide }));
      c.toast(c.state.wide ? 'Wide columns on' : 'Wide columns off');
    },
    'table.refresh': () => {
      const view = topView(c.state);
      if (view?.kind === 'table') c.sourceFor(view).refresh?.();
      c.toast('Refreshing…');
    },
    'obj.describe': () => openObject(c, 'describe'),
    'obj.yaml': () => openObject(c, 'yaml'),
    'secret.decode': () => openObject(c, 'decoded'),
    'pvc.volume': () => void claimToVolume(c),
    'text.search': () => {
      const view = topView(c.state);
      if (view?.kind === 'text') openPrompt(c, 'search', view.search ?? '');
    },
    'text.next': () => findMatch(c, 1),
    'text.prev': () => findMatch(c, -1),
  } satisfies CommandHandlers;
}
