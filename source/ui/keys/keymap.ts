/** Key bindings as data: one place says which key does what, where, and whether it mutates. */

export type ViewKind = 'table' | 'text' | 'logs';

export interface Binding {
  /** The command the controller runs. */
  command: string;
  keys: string[];
  /** Short name for the header hints and help. */
  label: string;
  views: ViewKind[];
  /** Only for these resources (ids like `pods`, `deployments.apps`); all when absent. */
  resources?: string[];
  /** Mutates the cluster: hidden and disabled under --readonly. */
  dangerous?: boolean;
  /** Shown among the header's key hints. */
  hint?: boolean;
}

const ALL: ViewKind[] = ['table', 'text', 'logs'];
const TABLE: ViewKind[] = ['table'];
const SCROLL: ViewKind[] = ['table', 'text', 'logs'];
const TEXT: ViewKind[] = ['text', 'logs'];
const LOGS: ViewKind[] = ['logs'];
const LOGGABLE = ['pods', 'deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'daemonsets.apps', 'jobs.batch'];
const SCALABLE = ['deployments.apps', 'replicasets.apps', 'statefulsets.apps'];
const RESTARTABLE = ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps'];

export const KEYMAP: Binding[] = [
  { command: 'app.quit', keys: ['q', 'ctrl-c'], label: 'Quit', views: ALL, hint: true },
  { command: 'app.help', keys: ['?'], label: 'Help', views: ALL, hint: true },
  { command: 'app.command', keys: [':'], label: 'Command', views: ALL, hint: true },
  { command: 'app.back', keys: ['esc'], label: 'Back/Clear', views: ALL, hint: true },

  { command: 'nav.down', keys: ['j', 'down'], label: 'Down', views: SCROLL },
  { command: 'nav.up', keys: ['k', 'up'], label: 'Up', views: SCROLL },
  { command: 'nav.pageDown', keys: ['pgdn', 'ctrl-f'], label: 'Page down', views: SCROLL },
  { command: 'nav.pageUp', keys: ['pgup', 'ctrl-b'], label: 'Page up', views: SCROLL },
  { command: 'nav.top', keys: ['g', 'home'], label: 'Top', views: SCROLL },
  { command: 'nav.bottom', keys: ['G', 'end'], label: 'Bottom', views: SCROLL },

  { command: 'table.filter', keys: ['/'], label: 'Filter', views: TABLE, hint: true },
  { command: 'table.enter', keys: ['enter'], label: 'View', views: TABLE, hint: true },
  { command: 'ns.all', keys: ['0'], label: 'All namespaces', views: TABLE },
  { command: 'ns.recent', keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], label: 'Recent namespace', views: TABLE },
  { command: 'table.sortName', keys: ['N'], label: 'Sort name', views: TABLE },
  { command: 'table.sortAge', keys: ['A'], label: 'Sort age', views: TABLE },
  { command: 'table.sortStatus', keys: ['S'], label: 'Sort status', views: TABLE },
  { command: 'table.sortPrev', keys: ['<'], label: 'Sort column left', views: TABLE },
  { command: 'table.sortNext', keys: ['>'], label: 'Sort column right', views: TABLE },
  { command: 'table.wide', keys: ['ctrl-w'], label: 'Wide', views: TABLE },
  { command: 'table.refresh', keys: ['ctrl-r'], label: 'Refresh', views: TABLE },

  { command: 'obj.describe', keys: ['d'], label: 'Describe', views: TABLE, hint: true },
  { command: 'obj.yaml', keys: ['y'], label: 'YAML', views: TABLE, hint: true },

  { command: 'obj.delete', keys: ['ctrl-d'], label: 'Delete', views: TABLE, dangerous: true, hint: true },
  { command: 'pod.kill', keys: ['ctrl-k'], label: 'Kill', views: TABLE, resources: ['pods'], dangerous: true },
  { command: 'workload.scale', keys: ['s'], label: 'Scale', views: TABLE, resources: SCALABLE, dangerous: true, hint: true },
  { command: 'workload.restart', keys: ['r'], label: 'Restart', views: TABLE, resources: RESTARTABLE, dangerous: true, hint: true },
  { command: 'workload.image', keys: ['i'], label: 'Set image', views: TABLE, resources: RESTARTABLE, dangerous: true, hint: true },
  { command: 'deploy.undo', keys: ['u'], label: 'Rollout undo', views: TABLE, resources: ['deployments.apps'], dangerous: true, hint: true },
  { command: 'deploy.rollout', keys: ['o'], label: 'Rollout view', views: TABLE, resources: ['deployments.apps'], hint: true },
  { command: 'deploy.history', keys: ['h'], label: 'History', views: TABLE, resources: ['deployments.apps'], hint: true },
  { command: 'svc.traffic', keys: ['t'], label: 'Traffic test', views: TABLE, resources: ['services'], hint: true },
  { command: 'node.cordon', keys: ['c'], label: 'Cordon', views: TABLE, resources: ['nodes'], dangerous: true, hint: true },
  { command: 'node.uncordon', keys: ['u'], label: 'Uncordon', views: TABLE, resources: ['nodes'], dangerous: true, hint: true },
  { command: 'node.drain', keys: ['r'], label: 'Drain', views: TABLE, resources: ['nodes'], dangerous: true, hint: true },

  { command: 'pod.shell', keys: ['s'], label: 'Shell', views: TABLE, resources: ['pods'], dangerous: true, hint: true },
  { command: 'obj.edit', keys: ['e'], label: 'Edit', views: TABLE, dangerous: true, hint: true },
  { command: 'obj.logs', keys: ['l'], label: 'Logs', views: TABLE, resources: LOGGABLE, hint: true },
  { command: 'obj.previousLogs', keys: ['p'], label: 'Previous logs', views: TABLE, resources: ['pods'], hint: true },

  { command: 'logs.follow', keys: ['s'], label: 'Autoscroll', views: LOGS, hint: true },
  { command: 'logs.wrap', keys: ['w'], label: 'Wrap', views: LOGS, hint: true },
  { command: 'logs.timestamps', keys: ['t'], label: 'Timestamps', views: LOGS, hint: true },
  { command: 'logs.previous', keys: ['p'], label: 'Previous', views: LOGS },
  { command: 'logs.container', keys: ['c'], label: 'Container', views: LOGS, hint: true },
  { command: 'logs.range', keys: ['0', '1', '2', '3', '4', '5'], label: 'Tail/since', views: LOGS },
  { command: 'logs.save', keys: ['ctrl-s'], label: 'Save', views: LOGS, hint: true },

  { command: 'text.search', keys: ['/'], label: 'Search', views: TEXT, hint: true },
  { command: 'text.next', keys: ['n'], label: 'Next match', views: TEXT },
  { command: 'text.prev', keys: ['N'], label: 'Previous match', views: TEXT },
];

export function bindingApplies(b: Binding, view: ViewKind, resource: string | undefined, readonly: boolean): boolean {
  if (readonly && b.dangerous) return false;
  if (!b.views.includes(view)) return false;
  if (b.resources && (!resource || !b.resources.includes(resource))) return false;
  return true;
}

/** Bindings active in a view, in keymap order (later, more specific entries win on lookup). */
export function bindingsFor(
  view: ViewKind,
  resource: string | undefined,
  readonly: boolean,
  keymap: Binding[] = KEYMAP,
): Binding[] {
  return keymap.filter((b) => bindingApplies(b, view, resource, readonly));
}

export function lookup(
  key: string,
  view: ViewKind,
  resource: string | undefined,
  readonly: boolean,
  keymap: Binding[] = KEYMAP,
): Binding | undefined {
  const found = bindingsFor(view, resource, readonly, keymap).filter((b) => b.keys.includes(key));
  // A resource-specific binding beats a generic one on the same key.
  return found.find((b) => b.resources) ?? found[0];
}
