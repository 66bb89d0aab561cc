import type { KObject } from '../../../api-types/index.ts';
import type { PodIO } from '../../context.ts';
import { handlePortForward } from './portforward.ts';
import type { Runtime } from '../../runtime/index.ts';
import { errors } from '../../store/errors.ts';
import { parseAttach, runAttach } from './attach.ts';
import { parseExec, runExec } from './exec.ts';
import { serveExecSpdy } from './exec-spdy.ts';
import { offersChannelProtocol, serveExecWebSocket } from './exec-ws.ts';
import { serveLog } from './logs.ts';
import type { ContainerStatus } from '../pod-status.ts';
import { pickContainer } from './select-container.ts';
import { rejectUpgrade } from './upgrade-reject.ts';

/** The kubelet's streaming endpoints, as the API server reaches them: logs, exec, port-forward. */
export function createPodIO(
  rt: Runtime,
  live: (pod: KObject, container: string) => ContainerStatus | undefined,
): PodIO {
  return {
    log: (pod, query, _req, res) => serveLog(rt, pod, query, res, (c) => live(pod, c)),
    upgrade(kind, pod, query, req, socket, head) {
      try {
        if (kind === 'portforward') return handlePortForward(pod, query, req, socket, head);
        const container = pickContainer(pod, query.get('container'));
        const attach = kind === 'attach';
        const exec = attach
          ? parseAttach(pod, query, live(pod, container))
          : parseExec(pod, query, live(pod, container));
        const run = attach ? runAttach : runExec;
        const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
        if (upgrade === 'websocket' && offersChannelProtocol(req))
          return serveExecWebSocket(rt, pod, exec, req, socket, head, run);
        if (upgrade.startsWith('spdy/3.1')) return serveExecSpdy(rt, pod, exec, req, socket, head, run);
        throw errors.badRequest(
          `unable to upgrade: ${kind} needs a WebSocket (v5.channel.k8s.io or v4.channel.k8s.io) or SPDY/3.1 upgrade`,
        );
      } catch (e) {
        rejectUpgrade(socket, e);
      }
    },
  };
}
