import { apiVersion, resourceId, type ResourceInfo } from '../../client/resource.ts';
import type { ClusterSession } from '../../client/session.ts';
import { explainAt } from '../../client/openapi-schema.ts';
import { tokenize } from '../commands.ts';
import type { Controller } from '../controller.ts';
import { StaticDoc } from '../docs.ts';
import { KEYMAP, lookup, type Binding, type CommandHandlers, type Denied } from '../keys/keymap.ts';
import type { RowSource } from '../sources.ts';
import { topView, type TableViewState, type ViewState } from '../state/types.ts';
import { viewKind, viewResource } from '../state/view.ts';
import { xrayRoot } from '../xray/tree.ts';
import { eventsOfSource } from './events-source.ts';
import { ExplainSource, explainText, schemaFor } from './explain-source.ts';
import { problemsSource } from './problems-source.ts';
import { XraySource } from './xray-source.ts';

/** The data source of a client-computed table, or undefined for a plain resource table. */
export function openVirtual(
  session: ClusterSession,
  view: TableViewState,
): { source: RowSource; release: () => void } | undefined {
  const v = view.virtual;
  if (!v) return undefined;
  if (v.kind === 'explain') {
    const info = session.registry.get(v.resource)!;
    return { source: new ExplainSource(session.transport, info, v.path), release: () => {} };
  }
  const source =
    v.kind === 'xray'
      ? new XraySource(session, v.root, view.namespace)
      : v.kind === 'problems'
        ? problemsSource(session, view.namespace)
        : eventsOfSource(session, v.target, view.fieldSelector);
  return { source, release: () => source.close() };
}

/** The resource of the selected row's object in a client-computed table (a pod line of an xray). */
export function rowResource(c: Controller, view: TableViewState): string | undefined {
  if (!view.virtual) return view.resource;
  const row = c.selectedRow(view);
  return row ? c.sourceFor(view).resourceOf?.(row) : undefined;
}

/**
 * The binding for a key: in xray and problems a key the view binds itself wins, then the keys of
 * the selected row's kind (`l` on a pod line, `s` on a deployment line), then the generic ones.
 */
export function lookupKey(
  c: Controller,
  key: string,
  view: ViewState,
  readonly: boolean,
  denied: Denied,
): Binding | undefined {
  const own = lookup(key, viewKind(view), viewResource(view), readonly, KEYMAP, denied);
  if (view.kind !== 'table' || !view.virtual || own?.resources) return own;
  const res = rowResource(c, view);
  const forRow = res && res !== view.resource ? lookup(key, 'table', res, readonly, KEYMAP, denied) : undefined;
  return forRow?.resources ? forRow : own;
}

function shortName(info: ResourceInfo): string {
  return info.shortNames[0] ?? info.singular ?? info.plural;
}

/** Opens the table of an object's resource with that object selected; the crumb names it. */
export function gotoObject(
  c: Controller,
  info: ResourceInfo,
  namespace: string | undefined,
  name: string,
  uid: string | undefined,
): void {
  const next = c.newTable(resourceId(info), info.namespaced ? (namespace ?? c.state.namespace) : null);
  c.push({ ...next, selectedUid: uid, crumb: `${shortName(info)}/${name}` });
}

function jumpToOwner(c: Controller): void {
  const sel = c.selection();
  const session = c.session;
  if (!sel || !session) return;
  void c.fullObject(sel.view, sel.row).then((obj) => {
    const refs = obj?.metadata.ownerReferences ?? [];
    if (!refs.length) return c.toast(`${sel.info.singular}/${sel.row.name} has no owner`, 'error');
    const go = (i: number) => {
      const ref = refs[i];
      const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
      const info = session.registry.resources.find((r) => r.kind === ref.kind && r.group === group);
      if (!info) return c.toast(`Unknown owner kind ${ref.kind} (${ref.apiVersion})`, 'error');
      gotoObject(c, info, sel.row.namespace, ref.name, ref.uid);
    };
    if (refs.length === 1) return go(0);
    c.ask(
      { kind: 'pick', title: 'Jump to which owner?', options: refs.map((r) => `${r.kind}/${r.name}`), index: 0 },
      (a) => {
        if (a.ok && a.index !== undefined) go(a.index);
      },
    );
  });
}

function eventsOf(c: Controller): void {
  const sel = c.selection();
  if (!sel || !c.session?.registry.get('events')) return;
  const uid = sel.row.object?.metadata?.uid;
  if (!uid) return c.toast(`${sel.row.name} has no uid to match events on`, 'error');
  const target = { resource: sel.view.resource, namespace: sel.row.namespace, name: sel.row.name, uid };
  const label = `${shortName(sel.info)}/${sel.row.name}`;
  const next = c.newTable('events', sel.info.namespaced ? (sel.row.namespace ?? null) : null);
  c.push({ ...next, virtual: { kind: 'eventsOf', target }, scopeLabel: label, crumb: `events ${label}` });
}

const WARNINGS = 'type=Warning';

/** `w` on events: only Warning events (a field selector the server applies), or all again. */
function toggleWarnings(c: Controller): void {
  const view = topView(c.state);
  if (view?.kind !== 'table') return;
  const parts = (view.fieldSelector ?? '').split(',').filter(Boolean);
  const on = parts.includes(WARNINGS);
  const fieldSelector = (on ? parts.filter((p) => p !== WARNINGS) : [...parts, WARNINGS]).join(',') || undefined;
  const base = (view.scopeLabel ?? '').replace(/ ?\(warnings\)$/, '');
  const scopeLabel = on ? base || undefined : `${base} (warnings)`.trim();
  c.replaceTop({ ...view, id: c.newId(), fieldSelector, scopeLabel, selectedIndex: 0, top: 0, selectedUid: undefined });
  c.toast(on ? 'All events' : 'Warning events only');
}

function gotoSelected(c: Controller): void {
  const sel = c.selection();
  if (!sel) return;
  gotoObject(c, sel.info, sel.row.namespace, sel.row.name, sel.row.object?.metadata?.uid);
}

function toggleNode(c: Controller): void {
  const view = topView(c.state);
  if (view?.kind !== 'table') return;
  const source = c.sourceFor(view);
  const row = c.selectedRow(view);
  if (source instanceof XraySource && row) source.toggle(row.uid);
}

function explainField(c: Controller, open: boolean): void {
  const view = topView(c.state);
  const session = c.session;
  if (view?.kind !== 'table' || view.virtual?.kind !== 'explain' || !session) return;
  const spec = view.virtual;
  const row = c.selectedRow(view);
  if (!row) return;
  const info = session.registry.get(spec.resource)!;
  const path = [...spec.path, row.name];
  const kindPath = (info.singular || info.kind).toLowerCase();
  if (open && row.cells[0]?.endsWith('▸')) {
    const next = c.newTable('explain', null);
    return c.push({
      ...next,
      virtual: { kind: 'explain', resource: spec.resource, path },
      scopeLabel: [kindPath, ...path].join('.'),
      crumb: path[path.length - 1],
    });
  }
  void schemaFor(session.transport, info).then(({ schemas, root }) => {
    const out = explainAt(schemas, root, kindPath, path);
    if (typeof out === 'string') return c.toast(out, 'error');
    c.pushText(
      { mode: 'describe', title: `explain ${out.path.join('.')}` },
      new StaticDoc(explainText(out, info.kind, apiVersion(info))),
    );
  });
}

/** `:xray KIND [NS]`, `:problems|:pop [NS]`, `:explain KIND[.field…]`; undefined when the line is something else. */
export function runTroubleshootCommand(c: Controller, text: string): boolean | undefined {
  const [head, ...args] = tokenize(text);
  const cmd = head?.toLowerCase();
  if (cmd !== 'xray' && cmd !== 'problems' && cmd !== 'pop' && cmd !== 'explain') return undefined;
  const session = c.session;
  if (!session) return false;
  const scope = (word: string | undefined): string | null =>
    word === undefined ? c.state.namespace : ['-A', 'all', '*', '--all-namespaces'].includes(word) ? null : word;
  if (cmd === 'explain') {
    const [kind, ...fields] = (args[0] ?? '').split('.').filter(Boolean);
    const info = kind ? session.registry.resolve(kind) : undefined;
    if (!info) {
      c.toast(kind ? `Unknown resource "${kind}"` : 'usage: explain RESOURCE[.field…]', 'error');
      return false;
    }
    const kindPath = (info.singular || info.kind).toLowerCase();
    c.resetTo({
      ...c.newTable('explain', null),
      virtual: { kind: 'explain', resource: resourceId(info), path: fields },
      scopeLabel: [kindPath, ...fields].join('.'),
      crumb: `explain ${kindPath}`,
    });
    return true;
  }
  if (cmd === 'xray') {
    const root = xrayRoot(args[0]);
    if (!root) {
      c.toast('usage: xray deploy|sts|ds|job|svc|node [NAMESPACE|-A]', 'error');
      return false;
    }
    const ns = root === 'nodes' ? null : scope(args[1]);
    c.resetTo({ ...c.newTable('xray', ns), virtual: { kind: 'xray', root }, scopeLabel: root });
    return true;
  }
  c.resetTo({ ...c.newTable('problems', scope(args[0])), virtual: { kind: 'problems' } });
  return true;
}

export function troubleshootCommands(c: Controller) {
  return {
    'obj.events': () => eventsOf(c),
    'obj.owner': () => jumpToOwner(c),
    'events.warnings': () => toggleWarnings(c),
    'xray.toggle': () => toggleNode(c),
    'virtual.goto': () => gotoSelected(c),
    'explain.open': () => explainField(c, true),
    'explain.describe': () => explainField(c, false),
  } satisfies CommandHandlers;
}
