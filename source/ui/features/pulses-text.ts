import type { ObjectReference } from 'kubernetes-types/core/v1.d.ts';
import type { EventObject } from '../../api-types/event.ts';
import type { KObject } from '../../api-types/index.ts';

/** `:pulses` as plain lines (pure; the live doc re-renders it on every change). */

export interface PulseSample {
  /** Cluster totals, cores and bytes. */
  cpu: number;
  memory: number;
  nodes: Map<string, { cpu: number; memory: number }>;
}

export interface PulsesInput {
  pods: KObject[];
  deployments: KObject[];
  nodes: KObject[];
  /** Warning events, any order. */
  warnings: EventObject[];
  /** Oldest first; empty when the cluster serves no metrics API. */
  history: PulseSample[];
  metricsAvailable: boolean;
  now: number;
  width: number;
}

/** Where `enter` on a tile goes: a resource's table (all namespaces), or one object. */
export type PulseTarget =
  | { kind: 'table'; resource: string; fieldSelector?: string; scopeLabel?: string }
  | { kind: 'object'; apiVersion: string; objectKind: string; namespace?: string; name: string; uid?: string };

/** A selectable line of the dashboard. */
export interface PulseTile {
  line: number;
  /** Stable across renders (the selection follows it when lines move). */
  key: string;
  target: PulseTarget;
}

const BARS = '▁▂▃▄▅▆▇█';
const FAILING = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'InvalidImageName',
  'CreateContainerError',
  'RunContainerError',
  'OOMKilled',
  'Error',
]);

/** A sparkline of `values` scaled to `max` (the largest value when 0). */
export function sparkline(values: number[], max = 0): string {
  const top = max || Math.max(0, ...values);
  return values
    .map((v) => (top <= 0 ? BARS[0] : BARS[Math.min(BARS.length - 1, Math.floor((v / top) * (BARS.length - 1) + 0.5))]))
    .join('');
}

type Health = 'ok' | 'warn' | 'error';

export function podHealth(p: KObject): Health {
  const phase = p.status?.phase;
  if (phase === 'Succeeded') return 'ok';
  if (phase === 'Failed') return 'error';
  const statuses: Array<{
    ready?: boolean;
    state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
  }> = p.status?.containerStatuses ?? [];
  if (
    statuses.some((s) => FAILING.has(s.state?.waiting?.reason ?? '') || FAILING.has(s.state?.terminated?.reason ?? ''))
  )
    return 'error';
  if (phase === 'Running' && statuses.length && statuses.every((s) => s.ready)) return 'ok';
  return 'warn';
}

function deploymentHealth(d: KObject): Health {
  const progressing = d.status?.conditions?.find((c: { type: string }) => c.type === 'Progressing');
  if (progressing?.status === 'False') return 'error';
  return (d.status?.readyReplicas ?? 0) >= (d.spec?.replicas ?? 1) ? 'ok' : 'warn';
}

function nodeHealth(n: KObject): Health {
  const ready = n.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
  return ready?.status === 'True' ? 'ok' : 'error';
}

function tally(label: string, objs: KObject[], health: (o: KObject) => Health): string {
  const c = { ok: 0, warn: 0, error: 0 };
  for (const o of objs) c[health(o)]++;
  return `${label.padEnd(12)} ${String(objs.length).padStart(5)}   ok ${String(c.ok).padStart(4)}   warning ${String(c.warn).padStart(4)}   error ${String(c.error).padStart(4)}`;
}

const cpuText = (cores: number) => `${Math.round(cores * 1000)}m`;
const memText = (bytes: number) => `${Math.round(bytes / 2 ** 20)}Mi`;

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : `${Math.round(s / 3600)}h`;
}

export function renderPulses(input: PulsesInput): string[] {
  return pulsesView(input).lines;
}

/** The dashboard's lines and its tiles (the lines `enter` can open). */
export function pulsesView(input: PulsesInput): { lines: string[]; tiles: PulseTile[] } {
  const lines: string[] = ['Workloads', ''];
  const tiles: PulseTile[] = [];
  const tile = (key: string, target: PulseTarget, line: string) => {
    tiles.push({ line: lines.length, key, target });
    lines.push(line);
  };
  tile('pods', { kind: 'table', resource: 'pods' }, tally('Pods', input.pods, podHealth));
  tile(
    'deployments',
    { kind: 'table', resource: 'deployments.apps' },
    tally('Deployments', input.deployments, deploymentHealth),
  );
  tile('nodes', { kind: 'table', resource: 'nodes' }, tally('Nodes', input.nodes, nodeHealth));
  lines.push('', 'Usage (one bar per sample, oldest first)', '');
  const h = input.history;
  if (!input.metricsAvailable) lines.push('  no metrics API on this cluster (metrics.k8s.io)');
  else if (!h.length) lines.push('  waiting for the first figures …');
  else {
    const width = Math.max(10, Math.min(60, input.width - 40));
    const tail = h.slice(-width);
    const last = tail[tail.length - 1]!;
    const nodesTable: PulseTarget = { kind: 'table', resource: 'nodes' };
    tile(
      'cluster:cpu',
      nodesTable,
      `  ${'cluster CPU'.padEnd(18)} ${sparkline(tail.map((s) => s.cpu)).padEnd(width)}  ${cpuText(last.cpu)}`,
    );
    tile(
      'cluster:mem',
      nodesTable,
      `  ${'cluster MEM'.padEnd(18)} ${sparkline(tail.map((s) => s.memory)).padEnd(width)}  ${memText(last.memory)}`,
    );
    for (const name of [...last.nodes.keys()].sort()) {
      const series = tail.map((s) => s.nodes.get(name) ?? { cpu: 0, memory: 0 });
      const podsOn: PulseTarget = {
        kind: 'table',
        resource: 'pods',
        fieldSelector: `spec.nodeName=${name}`,
        scopeLabel: `node/${name}`,
      };
      tile(
        `node:${name}:cpu`,
        podsOn,
        `  ${`${name} CPU`.padEnd(18)} ${sparkline(series.map((x) => x.cpu)).padEnd(width)}  ${cpuText(series[series.length - 1]!.cpu)}`,
      );
      tile(
        `node:${name}:mem`,
        podsOn,
        `  ${`${name} MEM`.padEnd(18)} ${sparkline(series.map((x) => x.memory)).padEnd(width)}  ${memText(series[series.length - 1]!.memory)}`,
      );
    }
  }
  lines.push('', 'Recent warnings', '');
  const time = (e: EventObject) =>
    Date.parse(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '') || 0;
  const warnings = [...input.warnings].sort((a, b) => time(b) - time(a)).slice(0, 10);
  if (!warnings.length) lines.push('  none');
  for (const e of warnings) {
    const obj = `${e.involvedObject?.namespace ? `${e.involvedObject.namespace}/` : ''}${String(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name ?? ''}`;
    const line = `  ${ago(input.now - time(e)).padStart(4)}  ${String(e.reason ?? '').padEnd(22)} ${obj}: ${String(e.message ?? '').replace(/\s+/g, ' ')}`;
    const io: ObjectReference = e.involvedObject ?? {};
    const target: PulseTarget = {
      kind: 'object',
      apiVersion: io.apiVersion ?? 'v1',
      objectKind: io.kind ?? '',
      namespace: io.namespace,
      name: io.name ?? '',
      uid: io.uid,
    };
    tile(
      `event:${e.metadata.uid ?? e.metadata.name}`,
      target,
      line.length > input.width ? `${line.slice(0, input.width - 1)}…` : line,
    );
  }
  return { lines, tiles };
}
