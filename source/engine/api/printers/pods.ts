import type { Container, ContainerStatus, PodCondition, PodReadinessGate } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../../api-types/index.ts';
import { humanDuration, timestampMs, translateTimestampSince } from './age.ts';
import { ageColumn, column, nameColumn, type TablePrinter } from './common.ts';

const succeeded = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const failed = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

function isRestartable(spec: Container[] | undefined, name: string): boolean {
  if (!spec) return false;
  for (let i = 0; i < spec.length; i++) if (spec[i].name === name) return spec[i].restartPolicy === 'Always';
  return false;
}

function hasCondition(conditions: PodCondition[] | undefined, type: string): boolean {
  if (conditions) for (const c of conditions) if (c.type === type && c.status === 'True') return true;
  return false;
}

/** `isPodInitializedConditionTrue`: only the first Initialized condition counts. */
function initializedTrue(conditions: PodCondition[] | undefined): boolean {
  if (conditions) for (const c of conditions) if (c.type === 'Initialized') return c.status === 'True';
  return false;
}

function readinessGates(pod: KObject): string {
  const gates = pod.spec?.readinessGates as PodReadinessGate[] | undefined;
  if (!gates || gates.length === 0) return '<none>';
  const conditions = (pod.status?.conditions ?? []) as PodCondition[];
  let trueCount = 0;
  for (const g of gates) {
    for (const c of conditions) {
      if (c.type === g.conditionType) {
        if (c.status === 'True') trueCount++;
        break;
      }
    }
  }
  return `${trueCount}/${gates.length}`;
}

function row(pod: KObject, now: number): unknown[] {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpec = spec.initContainers as Container[] | undefined;
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = spec.containers?.length ?? 0;
  let ready = 0;
  // Latest lastState.terminated.finishedAt; NaN timestamps never compare greater.
  let lastRestart = -Infinity;
  let lastSidecarRestart = -Infinity;

  let reason: string = status.reason || status.phase || '';
  if (status.conditions) {
    for (const c of status.conditions) {
      if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
    }
  }
  if (initSpec) for (const c of initSpec) if (c.restartPolicy === 'Always') total++;

  let initializing = false;
  const initStatuses = status.initContainerStatuses as ContainerStatus[] | undefined;
  if (initStatuses) {
    for (let i = 0; i < initStatuses.length; i++) {
      const cs = initStatuses[i];
      const restartable = isRestartable(initSpec, cs.name);
      restarts += cs.restartCount ?? 0;
      const lastFinished = timestampMs(cs.lastState?.terminated?.finishedAt);
      if (lastFinished > lastRestart) lastRestart = lastFinished;
      if (restartable) {
        sidecarRestarts += cs.restartCount ?? 0;
        if (lastFinished > lastSidecarRestart) lastSidecarRestart = lastFinished;
      }
      const terminated = cs.state?.terminated;
      const waiting = cs.state?.waiting;
      if (terminated && (terminated.exitCode ?? 0) === 0) continue;
      if (restartable && cs.started === true) {
        if (cs.ready) ready++;
        continue;
      }
      if (terminated) {
        if (!terminated.reason) {
          reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
        } else {
          reason = `Init:${terminated.reason}`;
        }
      } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
        reason = `Init:${waiting.reason}`;
      } else {
        reason = `Init:${i}/${initSpec?.length ?? 0}`;
      }
      initializing = true;
      break;
    }
  }

  if (!initializing || initializedTrue(status.conditions)) {
    // Once initialized, only sidecar (restartable init container) restarts carry over.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses as ContainerStatus[] | undefined;
    if (statuses) {
      for (let i = statuses.length - 1; i >= 0; i--) {
        const cs = statuses[i];
        restarts += cs.restartCount ?? 0;
        const lastFinished = timestampMs(cs.lastState?.terminated?.finishedAt);
        if (lastFinished > lastRestart) lastRestart = lastFinished;
        const st = cs.state ?? {};
        if (st.waiting?.reason) {
          reason = st.waiting.reason;
        } else if (st.terminated?.reason) {
          reason = st.terminated.reason;
        } else if (st.terminated) {
          reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode ?? 0}`;
        } else if (cs.ready && st.running) {
          hasRunning = true;
          ready++;
        }
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = hasCondition(status.conditions, 'Ready') ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  }

  const restartsCell =
    restarts !== 0 && lastRestart !== -Infinity
      ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
      : String(restarts);

  return [
    pod.metadata.name,
    `${ready}/${total}`,
    reason,
    restartsCell,
    translateTimestampSince(pod.metadata.creationTimestamp, now),
    status.podIPs?.[0]?.ip || '<none>',
    spec.nodeName || '<none>',
    status.nominatedNodeName || '<none>',
    readinessGates(pod),
  ];
}

export const table: TablePrinter = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn,
    column('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster.', 1),
    column('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', 1),
    column(
      'Nominated Node',
      'string',
      'nominatedNodeName is set only when this pod preempts other pods on the node.',
      1,
    ),
    column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  row,
  conditions(pod) {
    const phase = pod.status?.phase;
    return phase === 'Succeeded' ? succeeded : phase === 'Failed' ? failed : undefined;
  },
};
