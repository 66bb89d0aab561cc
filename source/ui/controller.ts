import { appendFileSync } from 'node:fs';
import type { Key } from 'ink';
import type { KObject } from '../api-types/index.ts';
import { errorMessage } from '../client/errors.ts';
import { loadKubeConfig, type KubeconfigSource } from '../client/kubeconfig.ts';
import type { ObjectRef } from '../client/actions.ts';
import { resourcePath, type ResourceInfo } from '../client/resource.ts';
import { connect, type ClusterSession } from '../client/session.ts';
import type { Row } from '../client/table-cache.ts';
import { helpLines, helpSections } from './help.ts';
import { lookup, type ViewKind } from './keys/keymap.ts';
import { keyNames } from './keys/parse.ts';
import { contextsSource, type RowSource } from './sources.ts';
import { Store } from './state/store.ts';
import {
  initialState,
  type Dialog,
  topView,
  withRecent,
  type HelpViewState,
  type TableViewState,
  type TextViewState,
  type UiState,
  type ViewState,
} from './state/types.ts';
import { memoDerive, selectedIndex, type DerivedTable } from './table/derive.ts';
import { editLine } from './line-edit.ts';
import { StaticDoc, type Lines, type TextDoc } from './docs.ts';
import { runCommand } from './features/command-line.ts';
import { navigationCommands } from './features/navigation.ts';
import { promptKey } from './features/prompt.ts';
import { logCommands } from './features/logs.ts';
import { terminalCommands } from './features/terminal.ts';
import { rolloutCommands } from './features/rollout.ts';
import { trafficCommands } from './features/traffic.ts';
import { objectCommands } from './features/object-actions.ts';

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

/** The client-side table of kubeconfig contexts. */
export const CONTEXTS = 'contexts';
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
    this.features = {
      ...navigationCommands(this),
      ...objectCommands(this),
      ...logCommands(this),
      ...terminalCommands(this),
      ...rolloutCommands(this),
      ...trafficCommands(this),
    };
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
      recentNamespaces: withRecent(s.recentNamespaces, ns ?? session.defaultNamespace),
      stack: [],
    }));
    const initial = first && this.opts.command ? this.opts.command : 'pods';
    if (!runCommand(this, initial, true)) runCommand(this, 'pods', true);
  }

  switchContext(name: string): void {
    this.kubeSource = { ...this.kubeSource, context: name };
    this.store.update((s) => ({ ...s, stack: [], recentNamespaces: [] }));
    void this.connect();
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
    if (s.prompt) return promptKey(this, name);
    const view = topView(s);
    if (!view) return;
    const binding = lookup(name, viewKind(view), viewResource(view), s.readonly);
    if (binding) this.run(binding.command, name);
  }

  private run(command: string, key: string): void {
    this.features[command]?.(key);
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

  // ---- the view stack --------------------------------------------------------------------

  newId(): number {
    return this.nextId++;
  }

  newTable(resource: string, namespace: string | null): TableViewState {
    return { kind: 'table', id: this.newId(), resource, namespace, filter: '', sort: null, selectedIndex: 0, top: 0 };
  }

  push(view: ViewState): void {
    this.store.update((s) => ({ ...s, stack: [...s.stack, view] }));
  }

  resetTo(view: ViewState): void {
    this.store.update((s) => ({ ...s, stack: [view] }));
  }

  replaceTop(view: ViewState): void {
    this.store.update((s) => ({ ...s, stack: [...s.stack.slice(0, -1), view] }));
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

  /** Pushes a text view whose content comes from `doc` (closed when the view goes). */
  pushText(view: Omit<TextViewState, 'id' | 'kind' | 'top'> & { top?: number }, doc: TextDoc): void {
    const id = this.newId();
    this.docs.set(id, doc);
    this.push({ kind: 'text', id, top: 0, ...view });
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
