/** Key bindings as data: one place says which key does what, where, and whether it mutates. */

/** `rollout`: the live rollout view of a workload (a text view with its own keys). */
export type ViewKind = 'table' | 'text' | 'logs' | 'rollout';

export interface Binding<C extends string = CommandId> {
  /** The command the controller runs: a feature module must hold a handler for it (checked by tsc). */
  command: C;
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
  /**
   * What the action needs the API to allow, asked with a SelfSubjectAccessReview: the verb on
   * the view's resource (or `resource` given as an id like `pods`) and subresource. Bindings the
   * user may not use are hidden.
   */
  access?: { verb: string; resource?: string; subresource?: string };
}

const ALL: ViewKind[] = ['table', 'text', 'logs', 'rollout'];
const TABLE: ViewKind[] = ['table'];
const SCROLL: ViewKind[] = ['table', 'text', 'logs', 'rollout'];
const TEXT: ViewKind[] = ['text', 'logs', 'rollout'];
const ROLLOUT: ViewKind[] = ['rollout'];
const LOGS: ViewKind[] = ['logs'];
const LOGGABLE = ['pods', 'deployments.apps', 'replicasets.apps', 'statefulsets.apps', 'daemonsets.apps', 'jobs.batch'];
const SCALABLE = ['deployments.apps', 'replicasets.apps', 'statefulsets.apps'];
const RESTARTABLE = ['deployments.apps', 'statefulsets.apps', 'daemonsets.apps'];
const EVENTS = ['events', 'events.events.k8s.io'];

/** Keeps each binding's command as a literal, so CommandId is the set of commands the keymap names. */
function keymap<const C extends string>(bindings: Binding<C>[]): Binding<C>[] {
  return bindings;
}

export const KEYMAP = keymap([
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
  {
    command: 'ns.recent',
    keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'],
    label: 'Recent namespace',
    views: TABLE,
  },
  { command: 'ns.mark', keys: ['space'], label: 'Mark namespace', views: TABLE, resources: ['namespaces'], hint: true },
  {
    command: 'ns.scope',
    keys: ['enter'],
    label: 'Scope to marked/selected',
    views: TABLE,
    resources: ['namespaces'],
    hint: true,
  },
  { command: 'table.sortName', keys: ['N'], label: 'Sort name', views: TABLE },
  { command: 'table.sortAge', keys: ['A'], label: 'Sort age', views: TABLE },
  { command: 'table.sortStatus', keys: ['S'], label: 'Sort status', views: TABLE },
  { command: 'table.sortPrev', keys: ['<'], label: 'Sort column left', views: TABLE },
  { command: 'table.sortNext', keys: ['>'], label: 'Sort column right', views: TABLE },
  { command: 'table.wide', keys: ['ctrl-w'], label: 'Wide', views: TABLE },
  { command: 'table.refresh', keys: ['ctrl-r'], label: 'Refresh', views: TABLE },

  { command: 'obj.describe', keys: ['d'], label: 'Describe', views: TABLE, hint: true },
  { command: 'obj.yaml', keys: ['y'], label: 'YAML', views: TABLE, hint: true },
  { command: 'clip.copy', keys: ['c'], label: 'Copy (name/YAML)', views: ['table', 'text'] },
  { command: 'secret.decode', keys: ['x'], label: 'Decode', views: TABLE, resources: ['secrets'], hint: true },
  {
    command: 'pvc.volume',
    keys: ['v'],
    label: 'Volume',
    views: TABLE,
    resources: ['persistentvolumeclaims'],
    hint: true,
  },

  {
    command: 'obj.delete',
    keys: ['ctrl-d'],
    label: 'Delete',
    views: TABLE,
    dangerous: true,
    hint: true,
    access: { verb: 'delete' },
  },
  {
    command: 'pod.kill',
    keys: ['ctrl-k'],
    label: 'Kill',
    views: TABLE,
    resources: ['pods'],
    dangerous: true,
    access: { verb: 'delete' },
  },
  {
    command: 'workload.scale',
    keys: ['s'],
    label: 'Scale',
    views: TABLE,
    resources: SCALABLE,
    dangerous: true,
    hint: true,
    access: { verb: 'patch', subresource: 'scale' },
  },
  {
    command: 'workload.restart',
    keys: ['r'],
    label: 'Restart',
    views: TABLE,
    resources: RESTARTABLE,
    dangerous: true,
    hint: true,
    access: { verb: 'patch' },
  },
  {
    command: 'workload.image',
    keys: ['i'],
    label: 'Set image',
    views: TABLE,
    resources: RESTARTABLE,
    dangerous: true,
    hint: true,
    access: { verb: 'patch' },
  },
  {
    command: 'deploy.undo',
    keys: ['u'],
    label: 'Rollout undo',
    views: TABLE,
    resources: ['deployments.apps'],
    dangerous: true,
    hint: true,
    access: { verb: 'patch' },
  },
  { command: 'deploy.rollout', keys: ['o'], label: 'Rollout view', views: TABLE, resources: RESTARTABLE, hint: true },
  {
    command: 'deploy.history',
    keys: ['h'],
    label: 'History',
    views: TABLE,
    resources: ['deployments.apps'],
    hint: true,
  },
  {
    command: 'cronjob.trigger',
    keys: ['t'],
    label: 'Trigger',
    views: TABLE,
    resources: ['cronjobs.batch'],
    dangerous: true,
    hint: true,
  },
  {
    command: 'cronjob.suspend',
    keys: ['s'],
    label: 'Suspend/Resume',
    views: TABLE,
    resources: ['cronjobs.batch'],
    dangerous: true,
    hint: true,
  },
  { command: 'svc.traffic', keys: ['t'], label: 'Traffic test', views: TABLE, resources: ['services'], hint: true },
  {
    command: 'node.cordon',
    keys: ['c'],
    label: 'Cordon',
    views: TABLE,
    resources: ['nodes'],
    dangerous: true,
    hint: true,
    access: { verb: 'patch' },
  },
  {
    command: 'node.uncordon',
    keys: ['u'],
    label: 'Uncordon',
    views: TABLE,
    resources: ['nodes'],
    dangerous: true,
    hint: true,
    access: { verb: 'patch' },
  },
  {
    command: 'node.drain',
    keys: ['r'],
    label: 'Drain',
    views: TABLE,
    resources: ['nodes'],
    dangerous: true,
    hint: true,
    access: { verb: 'patch' },
  },

  {
    command: 'pod.shell',
    keys: ['s'],
    label: 'Shell',
    views: TABLE,
    resources: ['pods'],
    dangerous: true,
    hint: true,
    access: { verb: 'create', subresource: 'exec' },
  },
  {
    command: 'pf.start',
    keys: ['F'],
    label: 'Port-forward',
    views: TABLE,
    resources: ['pods', 'services'],
    hint: true,
    access: { verb: 'create', resource: 'pods', subresource: 'portforward' },
  },
  {
    command: 'pf.stop',
    keys: ['ctrl-d'],
    label: 'Stop forward',
    views: TABLE,
    resources: ['portforwards'],
    hint: true,
  },
  {
    command: 'obj.edit',
    keys: ['e'],
    label: 'Edit',
    views: TABLE,
    dangerous: true,
    hint: true,
    access: { verb: 'patch' },
  },
  {
    command: 'obj.logs',
    keys: ['l'],
    label: 'Logs',
    views: TABLE,
    resources: LOGGABLE,
    hint: true,
    access: { verb: 'get', resource: 'pods', subresource: 'log' },
  },
  {
    command: 'obj.previousLogs',
    keys: ['p'],
    label: 'Previous logs',
    views: TABLE,
    resources: ['pods'],
    hint: true,
    access: { verb: 'get', subresource: 'log' },
  },

  { command: 'logs.follow', keys: ['s'], label: 'Autoscroll', views: LOGS, hint: true },
  { command: 'logs.wrap', keys: ['w'], label: 'Wrap', views: LOGS, hint: true },
  { command: 'logs.timestamps', keys: ['t'], label: 'Timestamps', views: LOGS, hint: true },
  { command: 'logs.previous', keys: ['p'], label: 'Previous', views: LOGS },
  { command: 'logs.container', keys: ['c'], label: 'Container', views: LOGS, hint: true },
  { command: 'logs.range', keys: ['0', '1', '2', '3', '4', '5'], label: 'Tail/since', views: LOGS },
  { command: 'logs.save', keys: ['ctrl-s'], label: 'Save', views: LOGS, hint: true },

  { command: 'logs.structured', keys: ['J'], label: 'Structured/raw (JSON, logfmt)', views: LOGS, hint: true },
  { command: 'logs.filter', keys: ['/'], label: 'Filter (-C N context, -L level)', views: LOGS, hint: true },

  // The rollout view as a control room: act on the rollout and watch the effect in place.
  {
    command: 'rollout.pause',
    keys: ['p'],
    label: 'Pause/Resume',
    views: ROLLOUT,
    resources: ['deployments.apps'],
    dangerous: true,
    hint: true,
    access: { verb: 'patch' },
  },
  {
    command: 'rollout.undo',
    keys: ['u'],
    label: 'Undo',
    views: ROLLOUT,
    dangerous: true,
    hint: true,
    access: { verb: 'patch' },
  },
  {
    command: 'rollout.image',
    keys: ['i'],
    label: 'Set image',
    views: ROLLOUT,
    dangerous: true,
    hint: true,
    access: { verb: 'patch' },
  },
  {
    command: 'rollout.scale',
    keys: ['s'],
    label: 'Scale',
    views: ROLLOUT,
    resources: SCALABLE,
    dangerous: true,
    hint: true,
    access: { verb: 'patch', subresource: 'scale' },
  },
  {
    command: 'rollout.restart',
    keys: ['r'],
    label: 'Restart',
    views: ROLLOUT,
    dangerous: true,
    hint: true,
    access: { verb: 'patch' },
  },
  { command: 'rollout.traffic', keys: ['t'], label: 'Live traffic', views: ROLLOUT, hint: true },
  { command: 'rollout.history', keys: ['h'], label: 'History diff', views: ROLLOUT, hint: true },

  { command: 'obj.events', keys: ['E'], label: 'Events of object', views: TABLE, hint: true },
  { command: 'obj.owner', keys: ['J'], label: 'Jump to owner', views: TABLE },
  { command: 'events.warnings', keys: ['w'], label: 'Warnings only', views: TABLE, resources: EVENTS, hint: true },
  { command: 'xray.toggle', keys: ['space'], label: 'Expand/Collapse', views: TABLE, resources: ['xray'], hint: true },
  {
    command: 'virtual.goto',
    keys: ['enter'],
    label: 'Go to object',
    views: TABLE,
    resources: ['xray', 'problems'],
    hint: true,
  },
  { command: 'explain.open', keys: ['enter'], label: 'Open field', views: TABLE, resources: ['explain'], hint: true },
  {
    command: 'explain.describe',
    keys: ['d'],
    label: 'Field description',
    views: TABLE,
    resources: ['explain'],
    hint: true,
  },

  { command: 'pulses.down', keys: ['j', 'down'], label: 'Next tile', views: ['text'], resources: ['pulses'] },
  { command: 'pulses.up', keys: ['k', 'up'], label: 'Previous tile', views: ['text'], resources: ['pulses'] },
  { command: 'pulses.goto', keys: ['enter'], label: 'Open tile', views: ['text'], resources: ['pulses'], hint: true },
  { command: 'text.search', keys: ['/'], label: 'Search', views: ['text'], hint: true },
  { command: 'text.next', keys: ['n'], label: 'Next match', views: TEXT },
  { command: 'text.prev', keys: ['N'], label: 'Previous match', views: TEXT },
]);

/** Every command a key can run. */
export type CommandId = (typeof KEYMAP)[number]['command'];
/** What a feature module gives the controller for the commands it handles. */
export type CommandHandlers = Partial<Record<CommandId, (key: string) => void>>;

/** Commands the current user may not run in the current view (from access reviews). */
export type Denied = ReadonlySet<string>;
const NONE: Denied = new Set();

export function bindingApplies(
  b: Binding,
  view: ViewKind,
  resource: string | undefined,
  readonly: boolean,
  denied: Denied = NONE,
): boolean {
  if (readonly && b.dangerous) return false;
  if (denied.has(b.command)) return false;
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
  denied: Denied = NONE,
): Binding[] {
  const active = keymap.filter((b) => bindingApplies(b, view, resource, readonly, denied));
  // A generic binding whose every key a resource-specific one takes (enter in xray) is not shown.
  const taken = new Set(active.filter((b) => b.resources).flatMap((b) => b.keys));
  return active.filter((b) => b.resources || !b.keys.every((k) => taken.has(k)));
}

export function lookup(
  key: string,
  view: ViewKind,
  resource: string | undefined,
  readonly: boolean,
  keymap: Binding[] = KEYMAP,
  denied: Denied = NONE,
): Binding | undefined {
  const found = bindingsFor(view, resource, readonly, keymap, denied).filter((b) => b.keys.includes(key));
  // A resource-specific binding beats a generic one on the same key.
  return found.find((b) => b.resources) ?? found[0];
}
