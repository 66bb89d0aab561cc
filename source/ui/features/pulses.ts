import { metricsPoller, type MetricsSnapshot } from '../../client/metrics.ts';
import type { Controller } from '../controller.ts';
import { LiveDoc } from '../docs.ts';
import { layoutFor } from '../layout.ts';
import type { CommandHandlers } from '../keys/keymap.ts';
import { topView } from '../state/types.ts';
import { gotoObject } from '../troubleshoot/commands.ts';
import { pulsesView, type PulseSample, type PulseTile } from './pulses-text.ts';

/** The tiles of an open dashboard and the one selected (by key: lines move as figures arrive). */
interface Board {
  tiles: PulseTile[];
  selected?: string;
}

const boardsByController = new WeakMap<Controller, Map<number, Board>>();

function boardsOf(c: Controller): Map<number, Board> {
  let m = boardsByController.get(c);
  if (!m) boardsByController.set(c, (m = new Map()));
  return m;
}

/** Samples kept: 60 × the 10 s poll = the last 10 minutes. */
const HISTORY = 60;

function sampleOf(m: MetricsSnapshot): PulseSample {
  let cpu = 0;
  let memory = 0;
  const nodes = new Map<string, { cpu: number; memory: number }>();
  for (const [name, u] of m.nodes) {
    cpu += u.cpu;
    memory += u.memory;
    nodes.set(name, { cpu: u.cpu, memory: u.memory });
  }
  return { cpu, memory, nodes };
}

/**
 * `:pulses`: a live cluster dashboard — pods, deployments and nodes counted by health, CPU and
 * memory sparklines for the cluster and each node (from metrics.k8s.io, sampled while the view
 * is open), and the latest warning events. Everything comes from shared watches and the poller.
 */
export function openPulses(c: Controller): void {
  const session = c.session;
  if (!session) return;
  const info = (id: string) => session.registry.get(id);
  const acquired = [
    { key: 'pods', res: info('pods') },
    { key: 'deployments', res: info('deployments.apps') },
    { key: 'nodes', res: info('nodes') },
    { key: 'warnings', res: info('events') },
  ].flatMap(({ key, res }) =>
    res
      ? [
          {
            key,
            ...session.pool.acquire({ resource: res, fieldSelector: key === 'warnings' ? 'type=Warning' : undefined }),
          },
        ]
      : [],
  );
  const objects = (key: string) =>
    acquired
      .find((a) => a.key === key)
      ?.cache.getSnapshot()
      .rows.map((r) => r.object) ?? [];
  const metrics = metricsPoller(session.transport, session.registry);
  const history: PulseSample[] = [];
  let seen = -1;
  const record = () => {
    const m = metrics.getSnapshot();
    if (m.version === seen || m.failing || !m.nodes.size) return;
    seen = m.version;
    history.push(sampleOf(m));
    if (history.length > HISTORY) history.shift();
  };
  const board: Board = { tiles: [] };
  let id = -1;
  const doc = new LiveDoc(async () => {
    record();
    const { lines, tiles } = pulsesView({
      pods: objects('pods'),
      deployments: objects('deployments'),
      nodes: objects('nodes'),
      warnings: objects('warnings'),
      history,
      metricsAvailable: metrics.available,
      now: Date.now(),
      width: c.state.size.columns - 4,
    });
    board.tiles = tiles;
    if (!tiles.some((t) => t.key === board.selected)) board.selected = tiles[0]?.key;
    queueMicrotask(() => highlight(c, id, board));
    return { lines, status: 'live' };
  }, [...acquired.map((a) => a.cache.subscribe), metrics.subscribe]);
  const close = doc.close.bind(doc);
  doc.close = () => {
    close();
    for (const a of acquired) a.release();
    boardsOf(c).delete(id);
  };
  c.pushText({ mode: 'pulses', title: 'cluster', resource: 'pulses' }, doc);
  id = topView(c.state)!.id;
  boardsOf(c).set(id, board);
}

/** Puts the view's highlight on the selected tile's line (when the dashboard is on top). */
function highlight(c: Controller, id: number, board: Board): void {
  const view = topView(c.state);
  if (view?.kind !== 'text' || view.id !== id) return;
  const line = board.tiles.find((t) => t.key === board.selected)?.line;
  if (line === undefined || view.match === line) return;
  const rows = Math.max(1, layoutFor(c.state).innerRows);
  const top = line < view.top ? line : line >= view.top + rows ? line - rows + 1 : view.top;
  c.replaceTop({ ...view, match: line, top });
}

function onBoard(c: Controller, fn: (board: Board, id: number) => void): () => void {
  return () => {
    const view = topView(c.state);
    const board = view ? boardsOf(c).get(view.id) : undefined;
    if (view && board) fn(board, view.id);
  };
}

function move(c: Controller, dir: 1 | -1) {
  return onBoard(c, (board, id) => {
    const i = board.tiles.findIndex((t) => t.key === board.selected);
    const next = board.tiles[Math.max(0, Math.min(board.tiles.length - 1, i + dir))];
    if (!next) return;
    board.selected = next.key;
    highlight(c, id, board);
  });
}

/** `enter` on a tile: the resource's table across all namespaces (a node's pods for a node's line), or the object a warning is about. */
function openTile(c: Controller) {
  return onBoard(c, (board) => {
    const t = board.tiles.find((x) => x.key === board.selected)?.target;
    const session = c.session;
    if (!t || !session) return;
    if (t.kind === 'table') {
      if (!session.registry.get(t.resource)) return c.toast(`This cluster does not serve ${t.resource}`, 'error');
      return c.push({ ...c.newTable(t.resource, null), fieldSelector: t.fieldSelector, scopeLabel: t.scopeLabel });
    }
    const group = t.apiVersion.includes('/') ? t.apiVersion.split('/')[0] : '';
    const info = session.registry.resources.find((r) => r.kind === t.objectKind && r.group === group);
    if (!info) return c.toast(`Unknown kind ${t.objectKind} (${t.apiVersion})`, 'error');
    gotoObject(c, info, t.namespace, t.name, t.uid);
  });
}

export function pulsesCommands(c: Controller) {
  return {
    'pulses.down': move(c, 1),
    'pulses.up': move(c, -1),
    'pulses.goto': openTile(c),
  } satisfies CommandHandlers;
}
