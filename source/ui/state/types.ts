import type { ViewKind } from '../keys/keymap.ts';
export interface SortSpec {
  column: string;
  desc: boolean;
}

interface ViewBase {
  /** Unique per pushed view; keys the data source the controller holds for it. */
  id: number;
}

export interface TableViewState extends ViewBase {
  kind: 'table';
  /** A resource id (`pods`, `deployments.apps`) or a client-side list (`contexts`). */
  resource: string;
  /** null: all namespaces. */
  namespace: string | null;
  /** From a drill-down (a deployment's selector). */
  labelSelector?: string;
  /** From the filter prompt (`/-l app=web`); cleared by esc. */
  labelFilter?: string;
  fieldSelector?: string;
  /** Pods that mount this PersistentVolumeClaim only (a PVC drill; filtered on the client). */
  claimName?: string;
  /** The pods of this Job (in the view's namespace): the title counts down to its next retry. */
  retryOf?: string;
  /** Where a drill-down came from, shown in the title: `deploy/nginx`. */
  scopeLabel?: string;
  /** Names of marked rows (`:ns`: space marks namespaces for a multi-namespace scope). */
  marked?: string[];
  /** Client-side filter as typed (`nginx`, `!Running`). */
  filter: string;
  sort: SortSpec | null;
  selectedUid?: string;
  /** Fallback when the selected object disappears. */
  selectedIndex: number;
  top: number;
  /** A table the client computes from several caches instead of one resource list. */
  virtual?: VirtualSpec;
  /** What the crumbs show for this view instead of the resource (`rs/web-5d9f`). */
  crumb?: string;
}

/** The client-computed tables: xray trees, the problems list, one object's events, explain. */
export type VirtualSpec =
  | { kind: 'xray'; root: 'deployments' | 'statefulsets' | 'daemonsets' | 'jobs' | 'services' | 'nodes' }
  | { kind: 'problems' }
  | { kind: 'eventsOf'; target: { resource: string; namespace?: string; name: string; uid: string } }
  | { kind: 'explain'; resource: string; path: string[] };

export interface HelpViewState extends ViewBase {
  kind: 'help';
  /** The view whose keys are listed. */
  about: { kind: ViewKind; resource?: string };
  top: number;
}

export interface TextViewState extends ViewBase {
  kind: 'text';
  /** `describe`, `yaml`, `logs`: picks the keys and the title. */
  mode: 'describe' | 'yaml' | 'logs' | 'rollout' | 'traffic' | 'diff' | 'pulses';
  /** What is shown: `pods/web-1`. */
  title: string;
  /** The resource of the object shown (for help and the header hints). */
  resource?: string;
  top: number;
  /** Keep the end in view as lines arrive (logs). */
  follow?: boolean;
  wrap?: boolean;
  /** Search text (regex) and the line of the current match. */
  search?: string;
  match?: number;
}

export type ViewState = TableViewState | HelpViewState | TextViewState;

export interface PromptState {
  kind: 'command' | 'filter' | 'search' | 'logfilter';
  text: string;
  /** Grey completion shown after the text; Tab accepts it. */
  suggestion?: string;
  /** Position while browsing command history with up/down. */
  historyIndex?: number;
  /** Cursor position in characters; the end when absent. */
  cursor?: number;
}

/** A one-line question; its field follows source/ui/line-edit.ts. */
export interface InputDialog {
  kind: 'input';
  title: string;
  label: string;
  value: string;
  /** Cursor position in characters; the end when absent. */
  cursor?: number;
  /** The prefilled value is selected: typing replaces it. */
  selected?: boolean;
  /** A whole number in [min, max]: up/down and +/- step it, and a bad value is explained as it is typed. */
  numeric?: { min: number; max: number };
  error?: string;
}

export type Dialog =
  | { kind: 'confirm'; title: string; message: string; confirm: string; focus: 0 | 1; danger?: boolean }
  | InputDialog
  | { kind: 'pick'; title: string; options: string[]; index: number; header?: string };

export interface Toast {
  id: number;
  text: string;
  level: 'info' | 'success' | 'error';
}

export type ConnectionPhase = 'starting' | 'connecting' | 'ready' | 'error';

export interface ConnectionState {
  phase: ConnectionPhase;
  /** What is happening (`Starting the local cluster…`) or what went wrong. */
  message?: string;
  detail?: string;
}

export interface HeaderInfo {
  context?: string;
  cluster?: string;
  user?: string;
  server?: string;
  version?: string;
}

export interface UiState {
  size: { columns: number; rows: number };
  conn: ConnectionState;
  header: HeaderInfo;
  stack: ViewState[];
  /** The session's namespace scope; null = all namespaces. */
  namespace: string | null;
  recentNamespaces: string[];
  prompt: PromptState | null;
  /** A modal question; its answer is handled by the controller. */
  dialog: Dialog | null;
  toast: Toast | null;
  wide: boolean;
  readonly: boolean;
  /** Commands the user may not run in the top view (access reviews): hidden from hints, help and keys. */
  denied: string[];
  commandHistory: string[];
  /** The terminal is handed to a shell or an editor: render nothing, read no keys. */
  suspended: boolean;
}

export function initialState(opts: { columns: number; rows: number; readonly?: boolean }): UiState {
  return {
    size: { columns: opts.columns, rows: opts.rows },
    conn: { phase: 'connecting' },
    header: {},
    stack: [],
    namespace: 'default',
    recentNamespaces: [],
    prompt: null,
    dialog: null,
    toast: null,
    denied: [],
    wide: false,
    readonly: !!opts.readonly,
    commandHistory: [],
    suspended: false,
  };
}

export function topView(s: UiState): ViewState | undefined {
  return s.stack[s.stack.length - 1];
}

/** Most recently used namespaces first, at most nine (keys 1-9). */
export function withRecent(list: string[], ns: string): string[] {
  return [ns, ...list.filter((n) => n !== ns)].slice(0, 9);
}
