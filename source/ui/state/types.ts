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
  /** Where a drill-down came from, shown in the title: `deploy/nginx`. */
  scopeLabel?: string;
  /** Client-side filter as typed (`nginx`, `!Running`). */
  filter: string;
  sort: SortSpec | null;
  selectedUid?: string;
  /** Fallback when the selected object disappears. */
  selectedIndex: number;
  top: number;
}

export interface HelpViewState extends ViewBase {
  kind: 'help';
  /** The view whose keys are listed. */
  about: { kind: 'table' | 'text'; resource?: string };
  top: number;
}

export interface TextViewState extends ViewBase {
  kind: 'text';
  /** `describe`, `yaml`, ... shown in the title. */
  mode: string;
  title: string;
  lines: string[];
  top: number;
  loading?: boolean;
}

export type ViewState = TableViewState | HelpViewState | TextViewState;

export interface PromptState {
  kind: 'command' | 'filter';
  text: string;
  /** Grey completion shown after the text; Tab accepts it. */
  suggestion?: string;
  /** Position while browsing command history with up/down. */
  historyIndex?: number;
}

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
  toast: Toast | null;
  wide: boolean;
  readonly: boolean;
  commandHistory: string[];
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
    toast: null,
    wide: false,
    readonly: !!opts.readonly,
    commandHistory: [],
  };
}

export function topView(s: UiState): ViewState | undefined {
  return s.stack[s.stack.length - 1];
}
