import { appendFileSync } from 'node:fs';
import type { Key } from 'ink';
import type { KObject } from '../api-types/index.ts';
import { errorMessage } from '../client/errors.ts';
import { loadKubeConfig, type KubeconfigSource } from '../client/kubeconfig.ts';
import type { ObjectRef } from '../client/actions.ts';
import { resourceId, resourcePath, type ResourceInfo } from '../client/resource.ts';
import { connect, type ClusterSession } from '../client/session.ts';
import type { Row } from '../client/table-cache.ts';
import { BUILTIN_COMMANDS, completeText, parseCommand } from './commands.ts';
import { drillTarget } from './drill.ts';
import { helpLines, helpSections } from './help.ts';
import { lookup, type ViewKind } from './keys/keymap.ts';
import { keyNames } from './keys/parse.ts';
import { layoutFor } from './layout.ts';
import { contextsSource, type RowSource } from './sources.ts';
import { Store } from './state/store.ts';
import {
  initialState,
  type Dialog,
  topView,
  type HelpViewState,
  type TableViewState,
  type TextViewState,
  type UiState,
  type ViewState,
} from './state/types.ts';
import { compileFilter, memoDerive, scrollTop, selectedIndex, type DerivedTable } from './table/derive.ts';
import { StaticDoc, type Lines, type TextDoc } from './docs.ts';
import { runActionCommand } from './features/cli-commands.ts';
import { logCommands } from './features/logs.ts';
import { terminalCommands } from './features/terminal.ts';
import { rolloutCommands } from './features/rollout.ts';
import { trafficCommands } from './features/traffic.ts';
import { objectCommands } from './features/object-actions.ts';
import { ObjectTracker, describeDoc, yamlDoc } from './features/object-docs.ts';

export interface DialogAnswer {
  ok: boolean;
  value?: string;
  index?: number;
}

export interface TuiOptions {
  kubeconfigPath?: string;
  context?: string;
  namespace?: string;
  allNamespaces?: boolean;
  readonly?: boolean;
  command?: string;
  ensureLocalCluster?: () => Promise<string>;
}

/** The real terminal, for handing it to a shell or an editor. */
export interface TerminalIO {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

export interface ControllerOptions extends TuiOptions {
  terminal?: TerminalIO;
  columns: number;
  rows: number;
  onQuit: () => void;
  connectTimeoutMs?: number;
  /** Watch events are published at most this often. */
  coalesceMs?: number;
}

const CONTEXTS = 'contexts';
/** Debugging aid: SKIFF_KEYLOG=FILE records every key as it is read. */
const KEYLOG = process.env.SKIFF_KEYLOG;
const TOAST_MS = 5000;

/**
 * Owns the UI state (an external store), the cluster session and the data sources of the views,
 * and turns keys into state changes. Key handlers read the store synchronously, so a key that
 * arrives before React re-rendered still sees the current state.
 */
export class Controller {
  readonly store: Store<UiState>;
  session?: ClusterSession;
  private kubeSource: KubeconfigSource = {};
  private nextId = 1;
  private readonly sources = new Map<number, { source: RowSource; release: () => void }>();
  private readonly derivers = new Map<number, ReturnType<typeof memoDerive>>();
  private readonly docs = new Map<number, TextDoc>();
  private toastTimer?: NodeJS.Timeout;
  /** Handles the open dialog's answer; a returned string is an error that keeps it open. */
  private dialogSubmit?: (answer: DialogAnswer) => string | void;
  private toastSeq = 0;
  private connectSeq = 0;
  private disposed = false;

  private readonly features: Record<string, (key: string) => void>;

  constructor(private readonly opts: ControllerOptions) {
    this.store = new Store(initialState({ columns: opts.columns, rows: opts.rows, readonly: opts.readonly }));
    this.store.subscribe(() => this.collectSources());
    this.features = { ...objectCommands(this), ...logCommands(this), ...terminalCommands(this), ...rolloutCommands(this), ...trafficCommands(this) };
  }

  get state(): UiState {
    return this.store.get();
  }

  // ---- lifecycle -------------------------------------------------------------------------

  async start(): Promise<void> {
    const { context, kubeconfigPath, ensureLocalCluster } = this.opts;
    this.kubeSource = { path: kubeconfigPath, context };
    if (!context && !kubeconfigPath && ensureLocalCluster) {
      this.setConn({ phase: 'starting', message: 'Starting the local cluster…' });
      try {
        this.kubeSource = { path: await ensureLocalCluster() };
      } catch (err) {
        this.setConn({ phase: 'error', message: 'Could not start the local cluster', detail: errorMessage(err) });
        return;
      }
    }
    await this.connect();
  }

  private async connect(): Promise<void> {
    const seq = ++this.connectSeq;
    this.closeSession();
    let kc;
    try {
      kc = loadKubeConfig(this.kubeSource);
    } catch (err) {
      this.setConn({ phase: 'error', message: 'Cannot load kubeconfig', detail: errorMessage(err) });
      return;
    }
    const server = kc.getCurrentCluster()?.server ?? '';
    this.store.update((s) => ({
      ...s,
      conn: { phase: 'connecting', message: `Connecting to ${kc.getCurrentContext()} (${server})…` },
      header: { context: kc.getCurrentContext(), server },
    }));
    let session: ClusterSession;
    try {
      session = await connect(kc, {
        timeoutMs: this.opts.connectTimeoutMs ?? 8000,
        cache: { coalesceMs: this.opts.coalesceMs ?? 150 },
      });
    } catch (err) {
      if (seq !== this.connectSeq || this.disposed) return;
      this.setConn({ phase: 'error', message: `Cannot reach cluster "${kc.getCurrentContext()}"`, detail: errorMessage(err) });
      return;
    }
    if (seq !== this.connectSeq || this.disposed) {
      session.close();
      return;
    }
    this.session = session;
    const first = this.state.stack.length === 0 && !this.state.header.cluster;
    const ns = first
      ? this.opts.allNamespaces
        ? null
        : (this.opts.namespace ?? session.defaultNamespace)
      : session.defaultNamespace;
    this.store.update((s) => ({
      ...s,
      conn: { phase: 'ready' },
      header: {
        context: session.context.name,
        cluster: session.context.cluster,
        user: session.context.user,
        server: session.transport.server,
        version: session.version.gitVersion,
      },
      namespace: ns,
      recentNamespaces: mru(s.recentNamespaces, ns ?? session.defaultNamespace),
      stack: [],
    }));
    const initial = first && this.opts.command ? this.opts.command : 'pods';
    if (!this.runCommand(initial, true)) this.runCommand('pods', true);
  }

  retry(): void {
    if (this.state.conn.phase !== 'error') return;
    if (!this.kubeSource.path && !this.kubeSource.context && this.opts.ensureLocalCluster) void this.start();
    else void this.connect();
  }

  quit(): void {
    this.dispose();
    this.opts.onQuit();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.toastTimer);
    this.closeSession();
  }

  private closeSession(): void {
    for (const e of this.sources.values()) e.release();
    this.sources.clear();
    for (const d of this.docs.values()) d.close();
    this.docs.clear();
    this.derivers.clear();
    this.session?.close();
    this.session = undefined;
  }

  resize(columns: number, rows: number): void {
    const s = this.state.size;
    if (s.columns === columns && s.rows === rows) return;
    this.store.update((st) => ({ ...st, size: { columns, rows } }));
  }

  private setConn(conn: UiState['conn']): void {
    this.store.update((s) => ({ ...s, conn }));
  }

  // ---- data for views -------------------------------------------------------------------

  sourceFor(view: TableViewState): RowSource {
    let entry = this.sources.get(view.id);
    if (!entry) {
      entry = this.openSource(view);
      this.sources.set(view.id, entry);
    }
    return entry.source;
  }

  private openSource(view: TableViewState): { source: RowSource; release: () => void } {
    const session = this.session;
    if (view.resource === CONTEXTS || !session) {
      return { source: contextsSource(session ? session.contexts() : []), release: () => {} };
    }
    const resource = session.registry.get(view.resource)!;
    const labelSelector = [view.labelSelector, view.labelFilter].filter(Boolean).join(',') || undefined;
    const { cache, release } = session.pool.acquire({
      resource,
      namespace: view.namespace ?? undefined,
      labelSelector,
      fieldSelector: view.fieldSelector,
    });
    return { source: cache, release };
  }

  /** Releases the sources of views no longer on the stack. */
  private collectSources(): void {
    if (this.sources.size + this.docs.size <= this.state.stack.length) return;
    const live = new Set(this.state.stack.map((v) => v.id));
    for (const [id, doc] of this.docs) {
      if (live.has(id)) continue;
      doc.close();
      this.docs.delete(id);
    }
    for (const [id, e] of this.sources) {
      if (live.has(id)) continue;
      e.release();
      this.sources.delete(id);
      this.derivers.delete(id);
    }
  }

  tableModel(view: TableViewState): DerivedTable {
    let derive = this.derivers.get(view.id);
    if (!derive) this.derivers.set(view.id, (derive = memoDerive()));
    const info = this.session?.registry.get(view.resource);
    return derive(this.sourceFor(view).getSnapshot(), {
      filter: view.filter,
      sort: view.sort,
      wide: this.state.wide,
      showNamespace: !!info?.namespaced && view.namespace === null,
    });
  }

  /** The selected object of the top table view, with what actions need to address it. */
  selection(): { view: TableViewState; row: Row; info: ResourceInfo; ref: ObjectRef } | undefined {
    const view = topView(this.state);
    if (view?.kind !== 'table' || view.resource === CONTEXTS) return undefined;
    const info = this.session?.registry.get(view.resource);
    const row = this.selectedRow(view);
    if (!info || !row) return undefined;
    return { view, row, info, ref: { info, namespace: row.namespace, name: row.name } };
  }

  selectedRow(view: TableViewState): Row | undefined {
    const rows = this.tableModel(view).rows;
    const i = selectedIndex(rows, view.selectedUid, view.selectedIndex);
    return i >= 0 ? rows[i] : undefined;
  }

  // ---- keys ------------------------------------------------------------------------------

  handleInput(input: string, key: Key): void {
    const names = keyNames(input, key);
    if (KEYLOG) appendFileSync(KEYLOG, `${Date.now()} ${JSON.stringify(input)} ${names.join(' ')}\n`);
    for (const name of names) this.handleKey(name);
  }

  handleKey(name: string): void {
    const s = this.state;
    if (s.conn.phase !== 'ready') {
      if (name === 'q' || name === 'ctrl-c') this.quit();
      else if (name === 'r' || name === 'enter') this.retry();
      return;
    }
    if (s.dialog) return this.dialogKey(name);
    if (s.prompt) return this.promptKey(name);
    const view = topView(s);
    if (!view) return;
    const binding = lookup(name, viewKind(view), viewResource(view), s.readonly);
    if (binding) this.run(binding.command, name);
  }

  private run(command: string, key: string): void {
    const view = topView(this.state)!;
    const feature = this.features[command];
    if (feature) return feature(key);
    switch (command) {
      case 'app.quit':
        return this.quit();
      case 'app.help':
        if (view.kind === 'help') return;
        return this.push({ kind: 'help', id: this.nextId++, about: { kind: viewKind(view), resource: viewResource(view) }, top: 0 });
      case 'app.command':
        return this.openPrompt('command', '');
      case 'app.back':
        return this.back();
      case 'nav.down':
        return this.move(1);
      case 'nav.up':
        return this.move(-1);
      case 'nav.pageDown':
        return this.move(this.pageSize());
      case 'nav.pageUp':
        return this.move(-this.pageSize());
      case 'nav.top':
        return this.move(-Infinity);
      case 'nav.bottom':
        return this.move(Infinity);
      case 'table.filter':
        if (view.kind === 'table') this.openPrompt('filter', view.labelFilter ? `-l ${view.labelFilter}` : view.filter);
        return;
      case 'table.enter':
        return this.enter();
      case 'ns.all':
        return this.setNamespace(null);
      case 'ns.recent': {
        const ns = this.state.recentNamespaces[Number(key) - 1];
        if (ns) this.setNamespace(ns);
        return;
      }
      case 'table.sortName':
        return this.sortBy((v) => this.tableModel(v).columns.find((c) => c.isName)?.name);
      case 'table.sortAge':
        return this.sortBy((v) => this.tableModel(v).columns.find((c) => c.isAge)?.name);
      case 'table.sortStatus':
        return this.sortBy((v) => this.tableModel(v).columns.find((c) => c.isStatus)?.name);
      case 'table.sortPrev':
        return this.sortStep(-1);
      case 'table.sortNext':
        return this.sortStep(1);
      case 'table.wide':
        this.store.update((s) => ({ ...s, wide: !s.wide }));
        return this.toast(this.state.wide ? 'Wide columns on' : 'Wide columns off');
      case 'obj.describe':
        return this.openObject('describe');
      case 'obj.yaml':
        return this.openObject('yaml');
      case 'text.search':
        if (view.kind === 'text') this.openPrompt('search', view.search ?? '');
        return;
      case 'text.next':
        return this.findMatch(1);
      case 'text.prev':
        return this.findMatch(-1);
      case 'table.refresh':
        if (view.kind === 'table') this.sourceFor(view).refresh?.();
        return this.toast('Refreshing…');
    }
  }

  // ---- dialogs ---------------------------------------------------------------------------

  /** Opens a modal; `submit` gets the answer (ok=false on cancel). */
  ask(dialog: Dialog, submit: (answer: DialogAnswer) => string | void): void {
    this.dialogSubmit = submit;
    this.store.update((s) => ({ ...s, dialog, prompt: null }));
  }

  setDialogValue(value: string): void {
    const d = this.state.dialog;
    if (d?.kind !== 'input') return;
    this.store.update((s) => ({ ...s, dialog: { ...d, value, error: undefined } }));
  }

  private closeDialog(answer: DialogAnswer): void {
    const submit = this.dialogSubmit;
    const d = this.state.dialog;
    const error = answer.ok ? submit?.(answer) : (submit?.(answer), undefined);
    if (typeof error === 'string' && d?.kind === 'input' && this.state.dialog === d) {
      this.store.update((s) => ({ ...s, dialog: { ...d, error } }));
      return;
    }
    // The handler may have opened the next dialog.
    if (this.state.dialog === d) {
      this.dialogSubmit = undefined;
      this.store.update((s) => ({ ...s, dialog: null }));
    }
  }

  private dialogKey(name: string): void {
    const d = this.state.dialog!;
    if (name === 'ctrl-c') return this.quit();
    if (name === 'esc') return this.closeDialog({ ok: false });
    if (d.kind === 'confirm') {
      if (['left', 'right', 'tab', 'shift-tab', 'h', 'l'].includes(name)) {
        this.store.update((s) => ({ ...s, dialog: { ...d, focus: d.focus === 0 ? 1 : 0 } }));
      } else if (name === 'enter') this.closeDialog({ ok: d.focus === 1 });
      return;
    }
    if (d.kind === 'input') {
      if (name === 'enter') return this.closeDialog({ ok: true, value: d.value });
      const value = editLine(d.value, name);
      if (value !== undefined) this.setDialogValue(value);
      return;
    }
    const delta = name === 'down' || name === 'j' ? 1 : name === 'up' || name === 'k' ? -1 : 0;
    if (delta) {
      const index = Math.max(0, Math.min(d.options.length - 1, d.index + delta));
      this.store.update((s) => ({ ...s, dialog: { ...d, index } }));
    } else if (name === 'enter') this.closeDialog({ ok: true, index: d.index, value: d.options[d.index] });
  }

  // ---- prompt ----------------------------------------------------------------------------

  private openPrompt(kind: 'command' | 'filter' | 'search', text: string): void {
    this.store.update((s) => ({ ...s, prompt: { kind, text } }));
  }

  private promptKey(name: string): void {
    const p = this.state.prompt!;
    if (name === 'ctrl-c') return this.quit();
    if (name === 'esc') {
      if (p.kind === 'filter') this.applyFilter('');
      if (p.kind === 'search') this.setSearch('');
      return this.closePrompt();
    }
    if (name === 'enter') {
      this.closePrompt();
      if (p.kind === 'search') {
        this.setSearch(p.text);
      } else if (p.kind === 'command') {
        if (p.text.trim()) {
          this.store.update((s) => ({ ...s, commandHistory: [p.text.trim(), ...s.commandHistory.filter((h) => h !== p.text.trim())].slice(0, 50) }));
        }
        this.runCommand(p.text);
      } else {
        this.applyFilter(p.text, true);
      }
      return;
    }
    if (name === 'tab') {
      if (p.suggestion) this.setPromptText(p.suggestion);
      return;
    }
    if ((name === 'up' || name === 'down') && p.kind === 'command') {
      const hist = this.state.commandHistory;
      const cur = p.historyIndex ?? -1;
      const next = Math.max(-1, Math.min(hist.length - 1, cur + (name === 'up' ? 1 : -1)));
      const text = next < 0 ? '' : hist[next];
      this.store.update((s) => ({ ...s, prompt: { ...p, text, historyIndex: next, suggestion: undefined } }));
      return;
    }
    if (name === 'backspace' && !p.text) return this.closePrompt();
    const text = editLine(p.text, name);
    if (text !== undefined) this.setPromptText(text);
  }

  private setPromptText(text: string): void {
    const p = this.state.prompt!;
    const suggestion = p.kind === 'command' ? completeText(text, (i, w) => this.candidates(i, w)) : undefined;
    this.store.update((s) => ({ ...s, prompt: { ...p, text, suggestion, historyIndex: undefined } }));
    if (p.kind === 'filter') this.applyFilter(text);
  }

  private closePrompt(): void {
    this.store.update((s) => ({ ...s, prompt: null }));
  }

  private candidates(index: number, words: string[]): string[] {
    const session = this.session;
    if (index === 0) return [...BUILTIN_COMMANDS, ...(session?.registry.completions() ?? [])];
    const head = words[0]?.toLowerCase();
    if (head === 'ctx' || head === 'context' || head === 'contexts') return session?.contexts().map((c) => c.name) ?? [];
    return this.knownNamespaces();
  }

  /** Namespace names from an open namespaces cache, plus the recent ones. */
  private knownNamespaces(): string[] {
    const names = new Set(this.state.recentNamespaces);
    const info = this.session?.registry.get('namespaces');
    const cache = info && this.session?.pool.peek({ resource: info });
    for (const r of cache?.getSnapshot().rows ?? []) names.add(r.name);
    return [...names];
  }

  /** The filter prompt: regex text live as typed; `-l sel` asks the server on enter. */
  private applyFilter(text: string, commit = false): void {
    const view = topView(this.state);
    if (view?.kind !== 'table') return;
    const label = /^\s*-l\s*(.*)$/.exec(text);
    if (label) {
      if (!commit) return;
      const sel = label[1].trim() || undefined;
      this.replaceTop({ ...view, id: this.nextId++, filter: '', labelFilter: sel, selectedIndex: 0, top: 0 });
      return;
    }
    if (view.labelFilter && !text) {
      this.replaceTop({ ...view, id: this.nextId++, filter: '', labelFilter: undefined, selectedIndex: 0, top: 0 });
      return;
    }
    if (view.filter !== text) this.replaceTop({ ...view, filter: text, top: 0 });
  }

  // ---- commands --------------------------------------------------------------------------

  /** Runs a `:` command line; false when it was not understood. */
  runCommand(text: string, quiet = false): boolean {
    const cmd = parseCommand(text);
    const session = this.session;
    switch (cmd.type) {
      case 'empty':
        return true;
      case 'quit':
        this.quit();
        return true;
      case 'help': {
        const view = topView(this.state);
        if (view && view.kind !== 'help') this.run('app.help', '?');
        return true;
      }
      case 'contexts':
        this.resetTo({ ...this.newTable(CONTEXTS, null), sort: null });
        return true;
      case 'context':
        if (!session?.contexts().some((c) => c.name === cmd.name)) {
          this.toast(`No context "${cmd.name}"`, 'error');
          return false;
        }
        this.switchContext(cmd.name);
        return true;
      case 'namespace':
        this.setNamespace(cmd.name);
        return true;
      case 'error':
        this.toast(cmd.message, 'error');
        return false;
      case 'apply':
      case 'deleteFile':
      case 'createDeployment':
      case 'run':
      case 'expose':
        runActionCommand(this, cmd);
        return true;
      case 'resource': {
        if (!session) return false;
        const info = session.registry.resolve(cmd.name);
        if (!info || !info.verbs.includes('list')) {
          if (!quiet) this.toast(`Unknown command or resource "${cmd.name}"`, 'error');
          return false;
        }
        let ns = cmd.namespace === undefined ? this.state.namespace : cmd.namespace;
        if (cmd.namespace !== undefined) {
          this.store.update((s) => ({ ...s, namespace: ns, recentNamespaces: ns ? mru(s.recentNamespaces, ns) : s.recentNamespaces }));
        }
        if (!info.namespaced) ns = null;
        const view = this.newTable(resourceId(info), ns);
        this.resetTo({ ...view, labelSelector: cmd.labelSelector });
        return true;
      }
    }
  }

  private newTable(resource: string, namespace: string | null): TableViewState {
    return { kind: 'table', id: this.nextId++, resource, namespace, filter: '', sort: null, selectedIndex: 0, top: 0 };
  }

  private switchContext(name: string): void {
    this.kubeSource = { ...this.kubeSource, context: name };
    this.store.update((s) => ({ ...s, stack: [], recentNamespaces: [] }));
    void this.connect();
  }

  // ---- navigation ------------------------------------------------------------------------

  private push(view: ViewState): void {
    this.store.update((s) => ({ ...s, stack: [...s.stack, view] }));
  }

  private resetTo(view: ViewState): void {
    this.store.update((s) => ({ ...s, stack: [view] }));
  }

  /** Replaces the top view (features use it to change view settings). */
  updateTop(view: ViewState): void {
    this.replaceTop(view);
  }

  private replaceTop(view: ViewState): void {
    this.store.update((s) => ({ ...s, stack: [...s.stack.slice(0, -1), view] }));
  }

  private back(): void {
    const view = topView(this.state);
    if (view?.kind === 'table' && (view.filter || view.labelFilter)) return this.applyFilter('');
    if (view?.kind === 'text' && view.search) return this.setSearch('');
    if (this.state.stack.length > 1) this.store.update((s) => ({ ...s, stack: s.stack.slice(0, -1) }));
  }

  private setSearch(text: string): void {
    const view = topView(this.state);
    if (view?.kind !== 'text') return;
    this.replaceTop({ ...view, search: text || undefined, match: undefined });
    if (text) this.findMatch(1, true);
  }

  /** Moves to the next (or previous) line matching the search; from the top line when starting. */
  private findMatch(dir: 1 | -1, fromTop = false): void {
    const view = topView(this.state);
    if (view?.kind !== 'text' || !view.search) return;
    const test = compileFilter(view.search);
    const lines = this.textLines(view);
    if (!test || !lines.length) return;
    const start = fromTop ? view.top : (view.match ?? view.top) + dir;
    for (let k = 0; k < lines.length; k++) {
      const i = (((start + dir * k) % lines.length) + lines.length) % lines.length;
      if (test.test([lines.at(i) ?? ''])) {
        const height = layoutFor(this.state).innerRows;
        const top = i >= view.top && i < view.top + height ? view.top : Math.max(0, i - Math.floor(height / 3));
        this.replaceTop({ ...view, match: i, top, follow: false });
        return;
      }
    }
    this.toast(`No match for "${view.search}"`, 'error');
  }

  private pageSize(): number {
    return Math.max(1, layoutFor(this.state).tableRows - 1);
  }

  private move(delta: number): void {
    const view = topView(this.state);
    if (!view) return;
    const layout = layoutFor(this.state);
    if (view.kind === 'table') {
      const rows = this.tableModel(view).rows;
      if (!rows.length) return;
      const cur = selectedIndex(rows, view.selectedUid, view.selectedIndex);
      const next = Math.max(0, Math.min(rows.length - 1, cur + delta));
      const top = scrollTop(view.top, next, layout.tableRows, rows.length);
      this.replaceTop({ ...view, selectedUid: rows[next].uid, selectedIndex: next, top });
      return;
    }
    const total = this.textLines(view).length;
    const maxTop = Math.max(0, total - layout.innerRows);
    const from = view.kind === 'text' && view.follow ? maxTop : Math.min(view.top, maxTop);
    const top = delta === -Infinity ? 0 : delta === Infinity ? maxTop : Math.max(0, Math.min(maxTop, from + delta));
    if (view.kind === 'text' && view.mode === 'logs') {
      // Scrolling up stops following; reaching the end (or G) follows again.
      this.replaceTop({ ...view, top, follow: top >= maxTop && delta > 0 });
    } else {
      this.replaceTop({ ...view, top });
    }
  }

  docFor(view: TextViewState): TextDoc {
    let doc = this.docs.get(view.id);
    if (!doc) this.docs.set(view.id, (doc = new StaticDoc([])));
    return doc;
  }

  textLines(view: TextViewState | HelpViewState): Lines {
    if (view.kind === 'text') return this.docFor(view).getSnapshot().lines;
    return helpLines(helpSections(view.about, this.state.readonly), this.state.size.columns - 4);
  }

  /** Pushes a text view whose content comes from `doc`. */
  pushText(view: Omit<TextViewState, 'id' | 'kind' | 'top'> & { top?: number }, doc: TextDoc): void {
    const id = this.nextId++;
    this.docs.set(id, doc);
    this.push({ kind: 'text', id, top: 0, ...view });
  }

  private sortBy(pick: (v: TableViewState) => string | undefined): void {
    const view = topView(this.state);
    if (view?.kind !== 'table') return;
    const column = pick(view);
    if (!column) return;
    const desc = view.sort?.column === column ? !view.sort.desc : false;
    this.replaceTop({ ...view, sort: { column, desc } });
  }

  private sortStep(dir: number): void {
    const view = topView(this.state);
    if (view?.kind !== 'table') return;
    const cols = this.tableModel(view).columns;
    if (!cols.length) return;
    const cur = cols.findIndex((c) => c.name === view.sort?.column);
    const next = cur < 0 ? (dir > 0 ? 0 : cols.length - 1) : (cur + dir + cols.length) % cols.length;
    this.replaceTop({ ...view, sort: { column: cols[next].name, desc: false } });
  }

  private setNamespace(ns: string | null): void {
    this.store.update((s) => ({ ...s, namespace: ns, recentNamespaces: ns ? mru(s.recentNamespaces, ns) : s.recentNamespaces }));
    const view = topView(this.state);
    if (view?.kind !== 'table' || view.resource === CONTEXTS) return;
    const info = this.session?.registry.get(view.resource);
    if (!info?.namespaced || view.namespace === ns) return;
    this.replaceTop({ ...view, id: this.nextId++, namespace: ns, selectedIndex: 0, top: 0, selectedUid: undefined });
  }

  private enter(): void {
    const view = topView(this.state);
    if (view?.kind !== 'table') return;
    const row = this.selectedRow(view);
    if (!row) return;
    if (view.resource === CONTEXTS) return this.switchContext(row.name);
    if (view.resource === 'namespaces') {
      this.store.update((s) => ({ ...s, namespace: row.name, recentNamespaces: mru(s.recentNamespaces, row.name) }));
      return this.resetTo(this.newTable('pods', row.name));
    }
    void this.drill(view, row);
  }

  private async drill(view: TableViewState, row: Row): Promise<void> {
    const obj = await this.fullObject(view, row);
    if (!obj) return;
    const target = drillTarget(view.resource, obj);
    if (target === 'no-selector') return this.toast(`${row.name} has no selector`, 'error');
    if (!target) return this.openObject('describe');
    const next = this.newTable(target.resource, target.namespace);
    this.push({ ...next, labelSelector: target.labelSelector, fieldSelector: target.fieldSelector, scopeLabel: target.scopeLabel });
  }

  /** The row's full object: from the Table row when the server included it, else a GET. */
  async fullObject(view: TableViewState, row: Row): Promise<KObject | undefined> {
    if (row.object?.kind && row.object.kind !== 'PartialObjectMetadata') return row.object;
    const session = this.session;
    const info = session?.registry.get(view.resource);
    if (!session || !info) return undefined;
    try {
      return await session.transport.json<KObject>({ path: resourcePath(info, row.namespace, row.name) });
    } catch (err) {
      this.toast(errorMessage(err), 'error');
      return undefined;
    }
  }

  /** `d` and `y`: live describe or YAML of the selected object. */
  private openObject(mode: 'describe' | 'yaml'): void {
    const view = topView(this.state);
    if (view?.kind !== 'table' || view.resource === CONTEXTS) return;
    const row = this.selectedRow(view);
    const session = this.session;
    const info = session?.registry.get(view.resource);
    if (!row || !session || !info) return;
    const tracker = new ObjectTracker(session.transport, info, this.sourceFor(view), row.uid, row.namespace, row.name);
    const doc = mode === 'describe' ? describeDoc(session.transport, tracker) : yamlDoc(tracker);
    this.pushText({ mode, title: `${info.singular || info.plural}/${row.name}`, resource: view.resource }, doc);
  }

  // ---- terminal hand-over ----------------------------------------------------------------

  /**
   * Gives the terminal to `fn` (a shell, an editor): Ink renders nothing and reads no keys, the
   * main screen is shown; afterwards the alternate screen comes back and Ink repaints in full.
   */
  async handOver<T>(fn: (io: TerminalIO) => Promise<T>): Promise<T | undefined> {
    const io = this.opts.terminal;
    if (!io?.stdin.isTTY) {
      this.toast('This needs an interactive terminal', 'error');
      return undefined;
    }
    this.store.update((s) => ({ ...s, suspended: true, prompt: null, dialog: null }));
    // Let Ink's throttled renderer write its empty frame before the terminal changes hands.
    await new Promise((r) => setTimeout(r, 80));
    io.stdout.write('\x1b[?1049l\x1b[?25h');
    try {
      return await fn(io);
    } finally {
      io.stdin.setRawMode(false);
      io.stdout.write('\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l');
      this.store.update((s) => ({ ...s, suspended: false }));
    }
  }

  // ---- toasts ----------------------------------------------------------------------------

  toast(text: string, level: 'info' | 'success' | 'error' = 'info'): void {
    const id = ++this.toastSeq;
    this.store.update((s) => ({ ...s, toast: { id, text, level } }));
    clearTimeout(this.toastTimer);
    const lines = text.split('\n').length;
    const ms = Math.min(15_000, TOAST_MS + 1000 * (lines - 1) + (level === 'error' ? 2000 : 0));
    this.toastTimer = setTimeout(() => {
      if (this.state.toast?.id === id) this.store.update((s) => ({ ...s, toast: null }));
    }, ms);
    this.toastTimer.unref?.();
  }
}

export function viewKind(view: ViewState): ViewKind {
  if (view.kind === 'table') return 'table';
  if (view.kind === 'text' && view.mode === 'logs') return 'logs';
  return 'text';
}

export function viewResource(view: ViewState): string | undefined {
  if (view.kind === 'table') return view.resource;
  return view.kind === 'help' ? view.about.resource : view.resource;
}

/** One key applied to a one-line text field; undefined when the key does not edit. */
function editLine(text: string, name: string): string | undefined {
  if (name === 'backspace') return text.slice(0, -1);
  if (name === 'ctrl-u') return '';
  if (name === 'ctrl-w') return text.replace(/\S+\s*$/, '');
  if (name === 'space') return text + ' ';
  if ([...name].length === 1) return text + name;
  return undefined;
}

function mru(list: string[], ns: string): string[] {
  return [ns, ...list.filter((n) => n !== ns)].slice(0, 9);
}

