import type { Pod, Service } from 'kubernetes-types/core/v1.d.ts';
import { errorMessage } from '../../client/errors.ts';
import { podPorts, podTarget, servicePorts, serviceTarget, type PortChoice } from '../../client/forward-targets.ts';
import { isLoopback, startPortForward } from '../../client/portforward.ts';
import type { Controller } from '../controller.ts';
import type { CommandHandlers } from '../keys/keymap.ts';
import { topView } from '../state/types.ts';
import { ForwardList, PORT_FORWARDS } from './port-forward-list.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<
  Controller,
  'ask' | 'clientViews' | 'fullObject' | 'selectedRow' | 'selection' | 'session' | 'state' | 'toast'
>;

/** `LOCAL:REMOTE` or `PORT` (both the same), as kubectl port-forward takes them. */
export function parsePortPair(text: string): { local: number; remote: number } | string {
  const m = /^\s*(\d*)\s*(?::\s*(\d+))?\s*$/.exec(text);
  if (!m || (!m[1] && !m[2])) return 'ports are LOCAL:REMOTE, e.g. 8080:80';
  const local = m[1] ? Number(m[1]) : 0;
  const remote = Number(m[2] ?? m[1]);
  if (local > 65535 || remote < 1 || remote > 65535) return 'ports are 1-65535 (local 0: any free port)';
  return { local, remote };
}

/** The address a forward listens on: loopback unless the user confirms more. */
export function parseAddress(text: string): string | { error: string } {
  const a = text.trim() || '127.0.0.1';
  if (a === 'localhost' || a === '0.0.0.0' || a === '::' || /^[\d.]+$/.test(a) || a.includes(':')) return a;
  return { error: `"${a}" is not an IP address` };
}

/** shift-f: forward a local port to a pod or to a service (re-resolved per connection); `:pf` lists them. */
export function portForwardCommands(c: Host) {
  const list = new ForwardList();
  c.clientViews.set(PORT_FORWARDS, () => list);

  /** Watches one pod (a field-selected list+watch) and reports whether it exists. */
  const watchPod = (namespace: string, name: string, report: (gone: boolean) => void): (() => void) => {
    const pods = c.session?.registry.get('pods');
    if (!c.session || !pods) return () => {};
    const { cache, release } = c.session.pool.acquire({
      resource: pods,
      namespace,
      fieldSelector: `metadata.name=${name}`,
    });
    const check = () => {
      const snap = cache.getSnapshot();
      if (snap.state === 'ready') report(!snap.rows.some((r) => !r.object.metadata?.deletionTimestamp));
    };
    const off = cache.subscribe(check);
    check();
    return () => {
      off();
      release();
    };
  };

  const start = async (
    kind: 'pod' | 'svc',
    namespace: string,
    name: string,
    remote: number,
    local: number,
    address: string,
  ) => {
    const session = c.session;
    if (!session) return;
    const t = session.transport;
    const resolve = kind === 'pod' ? podTarget(t, namespace, name, remote) : serviceTarget(t, namespace, name, remote);
    try {
      const forward = await startPortForward(t, { address, localPort: local, resolve });
      const entry = list.add({ target: `${kind}/${name}`, namespace, remotePort: remote, forward });
      if (kind === 'pod')
        entry.release = watchPod(namespace, name, (gone) => list.setGone(entry.id, gone ? 'Pod gone' : undefined));
      c.toast(`Forwarding ${address}:${forward.localPort} → ${kind}/${name}:${remote} (:pf lists forwards)`, 'success');
    } catch (err) {
      c.toast(`Port-forward failed: ${errorMessage(err)}`, 'error');
    }
  };

  const askAddress = (kind: 'pod' | 'svc', namespace: string, name: string, local: number, remote: number) => {
    c.ask({ kind: 'input', title: `Port-forward ${kind}/${name}`, label: 'Address', value: '127.0.0.1' }, (a) => {
      if (!a.ok) return;
      const address = parseAddress(a.value ?? '');
      if (typeof address !== 'string') return address.error;
      if (isLoopback(address)) return void start(kind, namespace, name, remote, local, address);
      c.ask(
        {
          kind: 'confirm',
          title: 'Listen beyond loopback?',
          message: `${address}:${local || 'any'} lets other machines reach ${kind}/${name}:${remote}.`,
          confirm: 'Expose',
          focus: 0,
          danger: true,
        },
        (ok) => {
          if (ok.ok) void start(kind, namespace, name, remote, local, address);
        },
      );
    });
  };

  const askPorts = (
    kind: 'pod' | 'svc',
    namespace: string,
    name: string,
    remote?: number,
    ports: PortChoice[] = [],
  ) => {
    const known = ports.map((p) => p.label).join(', ');
    c.ask(
      {
        kind: 'input',
        title: `Port-forward ${kind}/${name}`,
        label: `Local:remote port${known ? ` (${known})` : ''}`,
        value: remote ? `${remote}:${remote}` : '',
      },
      (a) => {
        if (!a.ok) return;
        const pair = parsePortPair(a.value ?? '');
        if (typeof pair === 'string') return pair;
        askAddress(kind, namespace, name, pair.local, pair.remote);
      },
    );
  };

  return {
    'pf.start': () => {
      const sel = c.selection();
      if (!sel) return;
      const kind = sel.view.resource === 'services' ? 'svc' : 'pod';
      const namespace = sel.row.namespace ?? 'default';
      void c.fullObject(sel.view, sel.row).then((obj) => {
        if (!obj) return;
        const ports = kind === 'pod' ? podPorts(obj as Pod) : servicePorts(obj as Service);
        if (ports.length <= 1) return askPorts(kind, namespace, sel.row.name, ports[0]?.port, ports);
        c.ask(
          { kind: 'pick', title: `Port of ${kind}/${sel.row.name}`, options: ports.map((p) => p.label), index: 0 },
          (a) => {
            if (a.ok && a.index !== undefined) askPorts(kind, namespace, sel.row.name, ports[a.index]!.port, ports);
          },
        );
      });
    },
    'pf.stop': () => {
      const view = topView(c.state);
      if (view?.kind !== 'table' || view.resource !== PORT_FORWARDS) return;
      const row = c.selectedRow(view);
      const id = Number(row?.uid.slice('pf:'.length));
      void list.stop(id).then((e) => {
        if (e)
          c.toast(
            `Stopped forward ${e.forward.address}:${e.forward.localPort} → ${e.target}:${e.remotePort}`,
            'success',
          );
      });
    },
  } satisfies CommandHandlers;
}
