import { appendFileSync } from 'node:fs';
import type { Key } from 'ink';
import type { KObject } from '../api-types/index.ts';
import { errorMessage } from '../client/errors.ts';
import { loadKubeConfig, localEngineSource, type KubeconfigSource } from '../client/kubeconfig.ts';
import type { EarlyConnection } from '../client/early-connection.ts';
import type { ObjectRef } from '../client/actions.ts';
import { resourcePath, type ResourceInfo } from '../client/resource.ts';
import { connect, type ClusterSession, type Handshake } from '../client/session.ts';
import type { Row } from '../client/table-cache.ts';
import { helpLines, helpSections } from './help.ts';
import { KEYMAP, lookup, type Binding, type CommandId, type ViewKind } from './keys/keymap.ts';
import { ConfigRuntime } from './config/runtime.ts';
import { configDir } from './config/load.ts';
import { attachConfig, issuesMessage, mouseWanted } from './config/attach.ts';
import { effectiveBindings, resolveKey } from './config/key-layer.ts';
import { userHelpSections } from './config/help.ts';
import { MOUSE_OFF, MOUSE_ON, parseSgrMouse } from './mouse/sgr.ts';
import { mouseEvent } from './features/mouse.ts';
import { clipboardCommands } from './features/clipboard.ts';
import { runHotkey, runPlugin } from './features/plugins.ts';
import { AccessReviews } from '../client/access.ts';
import { deniedCommands } from './features/access.ts';
import { keyNames } from './keys/parse.ts';
import { contextsSource, type RowSource } from './sources.ts';
import { Store } from './state/store.ts';
import { CONTEXTS, viewKind, viewResource } from './state/view.ts';
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
import { inputDialogKey, inputDialogPaste, openInput } from './features/input-dialog.ts';
import { pasteRuns } from './keys/paste.ts';
import { StaticDoc, type Lines, type TextDoc } from './docs.ts';
import { runCommand } from './features/command-line.ts';
import { navigationCommands } from './features/navigation.ts';
import { promptKey, promptPaste } from './features/prompt.ts';
import { logCommands } from './features/logs.ts';
import { terminalCommands } from './features/terminal.ts';
import { rolloutCommands } from './features/rollout.ts';
import { trafficCommands } from './features/traffic.ts';
import { pulsesCommands } from './features/pulses.ts';
import { objectCommands } from './features/object-actions.ts';
import { portForwardCommands } from './features/port-forward.ts';
import { namespaceCommands } from './features/namespace-scope.ts';
import { logViewCommands } from './features/log-view.ts';
import { ClaimPodsSource } from './claim-pods.ts';
import { JobRetrySource } from './job-retry-source.ts';
import { engineTimeScale } from '../client/engine-clock.ts';
import { MergedSource } from './merged-source.ts';
import { namespaceSet } from './namespace-set.ts';
import { lookupKey, openVirtual, rowResource, troubleshootCommands } from './troubleshoot/commands.ts';
import { metricsPoller } from '../client/metrics.ts';
import { rowObjects, withMetrics } from './metrics/source.ts';

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
  /** The first connection, begun before the UI loaded (main.tsx): taken over when it is for the same kubeconfig. */
  early?: Promise<EarlyConnection | undefined>;
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
  /** Watch events are published at most this often (default: config.yaml's refreshRate). */
  coalesceMs?: number;
  /** The user's configuration directory (default $XDG_CONFIG_HOME/skiff). */
  configDir?: string;
}

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
  /** The user's configuration (config.yaml, keys, plugins, skins), hot-reloaded. */
  readonly config: ConfigRuntime;
  session?: ClusterSession;
  private kubeSource: KubeconfigSource = {};
  private early?: Promise<EarlyConnection | undefined>;
  /** The early connection's handshake, for the next connect(). */
  private handshake?: Handshake;
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
  /** Tables that are not API resources (`:pf`), by resource name; their sources outlive the views. */
  readonly clientViews = new Map<string, () => RowSource>();

  /** A handler for every command in the keymap: a key bound to a command nobody handles does not compile. */
  private readonly features: Record<CommandId, (key: string) => void>;
  private access: AccessReviews | undefined;
  /** The view (resource, namespace) whose permissions `denied` describes. */
  private accessKey = '';
  /** The table view whose first rows the access reviews wait for. */
  private accessWait?: { id: number; off: () => void };

  /** Ask, once per context/resource/namespace (cached), which actions the user may not run. */
  private refreshAccess(): void {
    const s = this.state;
    const table = [...s.stack].reverse().find((v) => v.kind === 'table');
    const info = table?.kind === 'table' ? this.session?.registry.get(table.resource) : undefined;
    if (!this.access || table?.kind !== 'table' || !info) return;
    const namespace = info.namespaced ? (table.namespace ?? '') : '';
    const key = `${table.resource}\0${namespace}`;
    if (key === this.accessKey) return;
    // Asked once the view's first rows are in: beside its first LIST page (on the server and in
    // this process) the reviews delayed the first paint. The source opens here if the view has
    // not rendered yet, so the LIST is sent before the frame that shows the empty table.
    const source = this.sourceFor(table);
    const loading = () => source.getSnapshot().state === 'loading' && source.getSnapshot().rows.length === 0;
    if (loading()) {
      if (this.accessWait?.id === table.id) return;
      this.accessWait?.off();
      const off = source.subscribe(() => {
        if (loading()) return;
        this.stopAccessWait();
        this.refreshAccess();
      });
      this.accessWait = { id: table.id, off };
      return;
    }
    this.stopAccessWait();
    this.accessKey = key;
    const access = this.access;
    // A set of namespaces: a command is denied when it is denied in any of them.
    const checks = (namespaceSet(namespace) ?? [namespace]).map((ns) =>
      deniedCommands(access, table.resource, info, ns),
    );
    void Promise.all(checks).then((lists) => {
      const denied = [...new Set(lists.flat())].sort();
      if (this.accessKey !== key) return;
      const cur = this.state.denied;
      if (cur.length === denied.length && cur.every((c, i) => c === denied[i])) return;
      this.store.update((st) => ({ ...st, denied }));
    });
  }

  private stopAccessWait(): void {
    this.accessWait?.off();
    this.accessWait = undefined;
  }

  constructor(private readonly opts: ControllerOptions) {
    this.config = new ConfigRuntime(opts.configDir ?? configDir());
    this.store = new Store(
      initialState({
        columns: opts.columns,
        rows: opts.rows,
        readonly: opts.readonly || this.config.active.settings.readOnly,
      }),
    );
    this.store.subscribe(() => this.collectSources());
    this.store.subscribe(() => this.refreshAccess());
    this.features = {
      ...navigationCommands(this),
      ...objectCommands(this),
      ...logCommands(this),
      ...terminalCommands(this),
      ...rolloutCommands(this),
      ...trafficCommands(this),
      ...pulsesCommands(this),
      ...portForwardCommands(this),
      ...namespaceCommands(this),
      ...logViewCommands(this),
      ...clipboardCommands(this),
      ...troubleshootCommands(this),
    };
    attachConfig(this, !!opts.readonly);
    this.early = opts.early;
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
        this.kubeSource = localEngineSource(await ensureLocalCluster());
      } catch (err) {
        this.setConn({ phase: 'error', message: 'Could not start the local cluster', detail: errorMessage(err) });
        return;
      }
    }
    const early = this.early;
    this.early = undefined;
    this.handshake = (await early)?.take(this.kubeSource);
    if (this.disposed) this.handshake?.transport.close();
    else await this.connect();
  }

  private async connect(): Promise<void> {
    const seq = ++this.connectSeq;
    this.closeSession();
    const handshake = this.handshake;
    this.handshake = undefined;
    let kc;
    try {
      kc = handshake?.kc ?? loadKubeConfig(this.kubeSource);
    } catch (err) {
      this.setConn({ phase: 'error', message: 'Cannot load kubeconfig', detail: errorMessage(err) });
      return;
    }
    const server = kc.getCurrentCluster()?.server ?? '';
    this.config.setContext(kc.getCurrentContext());
    const settings = this.config.active.settings;
    this.store.update((s) => ({
      ...s,
      conn: { phase: 'connecting', message: `Connecting to ${kc.getCurrentContext()} (${server})…` },
      header: { context: kc.getCurrentContext(), server },
    }));
    let session: ClusterSession;
    try {
      const said: string[] = [];
      session = await connect(kc, {
        onAuthOutput: (line) => {
          if (seq !== this.connectSeq || this.disposed) return;
          if (this.state.conn.phase === 'connecting') {
            said.push(line);
            const plugin = kc.getCurrentUser()?.exec?.command ?? 'credential plugin';
            this.setConn({
              phase: 'connecting',
              message: `Waiting for ${plugin} (credential plugin)…`,
              detail: said.slice(-8).join('\n'),
            });
          } else this.toast(`credential plugin: ${line}`);
        },
        lendTerminal: (fn) =>
          this.handOver(async ({ stdin, stdout }) => {
            // A line-reading prompt wants the terminal's own echo and line editing.
            stdin.setRawMode(false);
            stdin.pause();
            stdout.write(
              `\x1b[2J\x1b[H\x1b[2m# skiff: the credential plugin of context "${kc.getCurrentContext()}" needs you\x1b[0m\r\n`,
            );
            return fn();
          }),
        // Requests time out from when they are sent: a plugin waiting for a login is not cut short.
        timeoutMs: this.opts.connectTimeoutMs ?? 8000,
        cache: { coalesceMs: this.opts.coalesceMs ?? Math.round(settings.refreshRate * 1000) },
        handshake,
      });
    } catch (err) {
      if (seq !== this.connectSeq || this.disposed) return;
      this.setConn({
        phase: 'error',
        message: `Cannot reach cluster "${kc.getCurrentContext()}"`,
        detail: errorMessage(err),
      });
      return;
    }
    if (seq !== this.connectSeq || this.disposed) {
      session.close();
      return;
    }
    this.session = session;
    this.access = new AccessReviews(session.transport);
    this.accessKey = '';
    const first = this.state.stack.length === 0 && !this.state.header.cluster;
    const ns = first
      ? this.opts.allNamespaces
        ? null
        : (this.opts.namespace ?? settings.namespace ?? session.defaultNamespace)
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
    const initial = first && this.opts.command ? this.opts.command : settings.defaultView;
    if (!runCommand(this, initial, true)) runCommand(this, 'pods', true);
    const problems = issuesMessage(this.config.active);
    if (problems) this.toast(problems.text, problems.level);
  }

  switchContext(name: string): void {
    this.kubeSource = { ...this.kubeSource, context: name };
    this.store.update((s) => ({ ...s, stack: [], recentNamespaces: [] }));
    void this.connect();
  }

  retry(): void {
    if (this.state.conn.phase !== 'error') return;
    if (!this.kubeSource.path && !this.kubeSource.paths && !this.kubeSource.context && this.opts.ensureLocalCluster)
      void this.start();
    else void this.connect();
  }

  quit(): void {
    this.dispose();
    this.opts.onQuit();
  }

  dispose(): void {
    this.disposed = true;
    void this.early?.then((e) => e?.close());
    this.early = undefined;
    this.config.close();
    clearTimeout(this.toastTimer);
    this.closeSession();
  }

  private closeSession(): void {
    this.stopAccessWait();
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
    const local = this.clientViews.get(view.resource);
    if (local) return { source: local(), release: () => {} };
    const virtual = openVirtual(session, view);
    if (virtual) return virtual;
    const resource = session.registry.get(view.resource)!;
    const labelSelector = [view.labelSelector, view.labelFilter].filter(Boolean).join(',') || undefined;
    const metrics = metricsPoller(session.transport, session.registry);
    const set = resource.namespaced ? namespaceSet(view.namespace) : undefined;
    if (set) {
      // One list+watch per namespace: works with RBAC that grants only those namespaces.
      const objects = rowObjects(view.resource, metrics);
      const parts = set.map((namespace) =>
        session.pool.acquire({ resource, namespace, labelSelector, fieldSelector: view.fieldSelector, objects }),
      );
      return {
        source: withMetrics(new MergedSource(parts.map((p) => p.cache)), view.resource, metrics),
        release: () => parts.forEach((p) => p.release()),
      };
    }
    const { cache, release } = session.pool.acquire({
      resource,
      namespace: view.namespace ?? undefined,
      labelSelector,
      fieldSelector: view.fieldSelector,
      // A table draws cells; actions on a row read its spec through fullObject(). Usage columns
      // keep requests, limits and allocatable as figures beside the metadata; a claim's pods
      // need their volumes, a retried Job's pods their objects.
      objects: view.claimName || view.retryOf ? 'full' : rowObjects(view.resource, metrics),
    });
    const jobs = session.registry.get('jobs.batch');
    if (view.retryOf && jobs && view.namespace) {
      // The Job's conditions and parallelism say whether a retry is pending.
      const job = session.pool.acquire({
        resource: jobs,
        namespace: view.namespace,
        fieldSelector: `metadata.name=${view.retryOf}`,
      });
      let timeScale = 1;
      void engineTimeScale(session.transport).then((s) => (timeScale = s));
      const rows = new JobRetrySource(
        cache,
        job.cache,
        () => session.transport.serverClock.now(),
        () => timeScale,
      );
      return { source: withMetrics(rows, view.resource, metrics), release: () => (release(), job.release()) };
    }
    const rows = view.claimName ? new ClaimPodsSource(cache, view.claimName) : cache;
    return { source: withMetrics(rows, view.resource, metrics), release };
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
      showNamespace: !!info?.namespaced && (view.namespace === null || !!namespaceSet(view.namespace)),
    });
  }

  /** The selected object of the top table view, with what actions need to address it. */
  selection(): { view: TableViewState; row: Row; info: ResourceInfo; ref: ObjectRef } | undefined {
    const view = topView(this.state);
    if (view?.kind !== 'table' || view.resource === CONTEXTS) return undefined;
    // In xray and problems each row is an object of its own kind.
    const resource = rowResource(this, view);
    const info = resource ? this.session?.registry.get(resource) : undefined;
    const row = this.selectedRow(view);
    if (!info || !row || !resource) return undefined;
    const v = resource === view.resource ? view : { ...view, resource };
    return { view: v, row, info, ref: { info, namespace: row.namespace, name: row.name } };
  }

  selectedRow(view: TableViewState): Row | undefined {
    const rows = this.tableModel(view).rows;
    const i = selectedIndex(rows, view.selectedUid, view.selectedIndex);
    return i >= 0 ? rows[i] : undefined;
  }

  // ---- keys ------------------------------------------------------------------------------

  handleInput(input: string, key: Key): void {
    const mouse = parseSgrMouse(input);
    if (mouse) {
      const command = mouseEvent(this, mouse);
      if (command) this.run(command, 'enter');
      return;
    }
    const runs = this.editingText() ? pasteRuns(input, key) : undefined;
    if (runs) {
      // A key in the chunk (enter) may close the field: what follows it is keys again.
      for (const r of runs) {
        if ('key' in r) this.handleKey(r.key);
        else if (this.editingText()) this.paste(r.text);
        else for (const name of keyNames(r.text, key)) this.handleKey(name);
      }
      return;
    }
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
    const denied = new Set(s.denied);
    let action = resolveKey(this.config.active.keys, name, viewKind(view), viewResource(view), s.readonly, denied);
    // In xray and problems a row's own resource decides what a resource-specific key does.
    if (view.kind === 'table' && view.virtual && !(action?.kind === 'builtin' && action.binding.resources)) {
      const res = rowResource(this, view);
      const forRow =
        res && res !== view.resource
          ? resolveKey(this.config.active.keys, name, 'table', res, s.readonly, denied)
          : undefined;
      if (forRow?.kind === 'builtin' && forRow.binding.resources) action = forRow;
    }
    if (action?.kind === 'builtin') return this.run(action.binding.command, name);
    if (action?.kind === 'plugin') return runPlugin(this, action.plugin);
    if (action?.kind === 'hotkey') return runHotkey(this, action.hotkey);
    const refused = denied.size ? lookup(name, viewKind(view), viewResource(view), s.readonly) : undefined;
    if (refused && denied.has(refused.command))
      this.toast(`${refused.label}: not permitted for ${s.header.user ?? 'this user'} here`, 'error');
  }

  /** A text field has the focus: an input dialog, or the prompt with no dialog over it. */
  private editingText(): boolean {
    const s = this.state;
    return s.conn.phase === 'ready' && (s.dialog?.kind === 'input' || (!s.dialog && !!s.prompt));
  }

  /** Pasted text into the focused text field (an input dialog or the prompt). */
  private paste(text: string): void {
    const d = this.state.dialog;
    if (d?.kind === 'input') this.store.update((s) => ({ ...s, dialog: inputDialogPaste(d, text) }));
    else if (!d && this.state.prompt) promptPaste(this, text);
  }

  run(command: CommandId, key: string): void {
    this.features[command](key);
  }

  /** The keys of a view after the user's rebinding (header hints, help). */
  bindings(view: ViewKind, resource: string | undefined): Binding[] {
    return effectiveBindings(
      this.config.active.keys.overrides,
      view,
      resource,
      this.state.readonly,
      new Set(this.state.denied),
    );
  }

  /** The kubeconfig file in use, when it is a file (plugins get it as $KUBECONFIG). */
  kubeconfigPath(): string | undefined {
    return this.kubeSource.path ?? process.env.KUBECONFIG?.split(':')[0];
  }

  /** Writes a control sequence to the real terminal (clipboard, mouse modes); false without one. */
  writeTerminal(seq: string): boolean {
    const out = this.opts.terminal?.stdout;
    if (!out?.isTTY) return false;
    out.write(seq);
    return true;
  }

  // ---- dialogs ---------------------------------------------------------------------------

  /** Opens a modal; `submit` gets the answer (ok=false on cancel). */
  ask(dialog: Dialog, submit: (answer: DialogAnswer) => string | void): void {
    this.dialogSubmit = submit;
    const opened = dialog.kind === 'input' ? openInput(dialog) : dialog;
    this.store.update((s) => ({ ...s, dialog: opened, prompt: null }));
  }

  setDialogValue(value: string): void {
    const d = this.state.dialog;
    if (d?.kind !== 'input') return;
    this.store.update((s) => ({ ...s, dialog: { ...d, value, cursor: undefined, selected: false, error: undefined } }));
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
      const next = inputDialogKey(d, name);
      if (next) this.store.update((s) => ({ ...s, dialog: next }));
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
    const { kind, resource } = view.about;
    const sections = helpSections(
      view.about,
      this.state.readonly,
      new Set(this.state.denied),
      this.bindings(kind, resource),
    );
    return helpLines(
      [...userHelpSections(this.config.active.keys, kind, resource, this.state.readonly), ...sections],
      this.state.size.columns - 4,
    );
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
    io.stdout.write(MOUSE_OFF + '\x1b[?1049l\x1b[?25h');
    try {
      return await fn(io);
    } finally {
      io.stdin.setRawMode(false);
      io.stdout.write('\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l' + (mouseWanted(this) ? MOUSE_ON : ''));
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
