import { spawn } from 'node:child_process';
import { containerNames, DEFAULT_CONTAINER_ANNOTATION } from '../../api-types/pod-spec.ts';
import { errorMessage } from '../../client/errors.ts';
import type { HotKey } from '../config/hotkeys.ts';
import type { Plugin } from '../config/plugins.ts';
import type { Controller } from '../controller.ts';
import { topView } from '../state/types.ts';
import { cellValue } from '../table/derive.ts';
import { runCommand } from './command-line.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<
  Controller,
  | 'ask'
  | 'config'
  | 'docFor'
  | 'fullObject'
  | 'handOver'
  | 'kubeconfigPath'
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

/** k9s's plugin variables for the selected row: $NAMESPACE, $NAME, $CONTEXT, $COL-STATUS, … */
export async function pluginVariables(c: Host): Promise<Record<string, string> | undefined> {
  const view = topView(c.state);
  if (view?.kind !== 'table') return undefined;
  const row = c.selectedRow(view);
  if (!row) return undefined;
  const h = c.state.header;
  const info = c.session?.registry.get(view.resource);
  const vars: Record<string, string> = {
    NAMESPACE: row.namespace ?? view.namespace ?? '',
    NAME: row.name,
    CONTEXT: h.context ?? '',
    CLUSTER: h.cluster ?? '',
    USER: h.user ?? '',
    GROUPS: '',
    FILTER: view.filter,
    KUBECONFIG: c.kubeconfigPath() ?? process.env.KUBECONFIG ?? '',
    RESOURCE_NAME: info?.plural ?? view.resource,
    RESOURCE_GROUP: info?.group ?? '',
    RESOURCE_VERSION: info?.version ?? '',
    CONTAINER: '',
    POD: '',
  };
  if (view.resource === 'pods') {
    vars.POD = row.name;
    const obj = await c.fullObject(view, row);
    const names = obj ? containerNames(obj) : [];
    const preferred = obj?.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
    vars.CONTAINER = preferred && names.includes(preferred) ? preferred : (names[0] ?? '');
  }
  for (const col of c.tableModel(view).columns) {
    const value = cellValue(row, col);
    vars[`COL-${col.name.replace(/\s+/g, '-')}`] = value;
    vars[`COL-${col.name.replace(/\s+/g, '_')}`] = value;
  }
  return vars;
}

/**
 * `$NAME` and `${NAME}` replaced by known variables (braces for names with other characters, as
 * k9s has it: `${COL-%CPU/L}`); anything else (`$HOME`) is left for a shell.
 */
export function substitute(arg: string, vars: Record<string, string>): string {
  return arg.replace(
    /\$\{([^}]+)\}|\$([A-Z][A-Z0-9_]*(?:-[A-Z0-9_%/]+)*)/g,
    (whole, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      if (name in vars) return vars[name];
      if (braced) return whole;
      // `$COL-READY-x`: the longest known prefix wins.
      for (let cut = name.lastIndexOf('-'); cut > 0; cut = name.lastIndexOf('-', cut - 1)) {
        if (name.slice(0, cut) in vars) return vars[name.slice(0, cut)] + name.slice(cut);
      }
      return whole;
    },
  );
}

function pluginEnv(vars: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(vars)) if (/^[A-Z_][A-Z0-9_]*$/.test(k)) env[k] = v;
  if (!vars.KUBECONFIG) delete env.KUBECONFIG;
  return env;
}

/** Runs with the terminal handed over; the TUI comes back when the command exits (as in k9s). */
function runForeground(c: Host, p: Plugin, args: string[], env: NodeJS.ProcessEnv): void {
  void c
    .handOver(
      () =>
        new Promise<number>((resolve, reject) => {
          const child = spawn(p.command, args, { stdio: 'inherit', env });
          child.on('error', reject);
          child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
        }),
    )
    .then(
      (code) => {
        if (code === undefined) return;
        if (code === 0) c.toast(`Plugin ${p.name} done`, 'success');
        else c.toast(`Plugin ${p.name} exited with code ${code}`, 'error');
      },
      (err) => c.toast(`Plugin ${p.name}: ${errorMessage(err)}`, 'error'),
    );
}

/** Runs without the terminal; the end of its output is shown as a message. */
function runBackground(c: Host, p: Plugin, args: string[], env: NodeJS.ProcessEnv): void {
  let out = '';
  const keep = (d: Buffer) => (out = (out + d.toString('utf8')).slice(-4000));
  const child = spawn(p.command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('error', (err) => c.toast(`Plugin ${p.name}: ${errorMessage(err)}`, 'error'));
  child.on('close', (code) => {
    if (code === null) return;
    const tail = out.trimEnd().split('\n').slice(-4).join('\n');
    const head = code === 0 ? `Plugin ${p.name} done` : `Plugin ${p.name} exited with code ${code}`;
    c.toast(tail ? `${head}:\n${tail}` : head, code === 0 ? 'success' : 'error');
  });
  c.toast(`Plugin ${p.name} started`);
}

export function runPlugin(c: Host, p: Plugin): void {
  void pluginVariables(c).then((vars) => {
    if (!vars) return c.toast(`Plugin ${p.name}: select a row first`, 'error');
    const args = p.args.map((a) => substitute(a, vars));
    const env = pluginEnv(vars);
    const go = () => (p.background ? runBackground(c, p, args, env) : runForeground(c, p, args, env));
    if (!p.confirm) return go();
    c.ask(
      {
        kind: 'confirm',
        title: `Run plugin ${p.name}?`,
        message: [p.command, ...args].join(' '),
        confirm: 'Run',
        focus: 0,
        danger: p.dangerous,
      },
      (a) => {
        if (a.ok) go();
      },
    );
  });
}

/** A k9s hotkey runs its command line as if typed after `:`, with the plugin variables (`$RESOURCE_NAME $NAMESPACE`). */
export function runHotkey(c: Controller, h: HotKey): void {
  if (!h.command.includes('$')) {
    runCommand(c, h.command);
    return;
  }
  void pluginVariables(c).then((vars) => {
    const h2 = c.state.header;
    runCommand(
      c,
      substitute(
        h.command,
        vars ?? {
          CONTEXT: h2.context ?? '',
          CLUSTER: h2.cluster ?? '',
          USER: h2.user ?? '',
          NAMESPACE: c.state.namespace ?? '',
        },
      ),
    );
  });
}
