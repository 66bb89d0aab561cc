import type { KObject } from '../../api-types/index.ts';
import type { PodIO } from '../context.ts';
import { handlePortForward } from '../proxy/portforward.ts';
import type { Runtime } from '../runtime/index.ts';
import { errors } from '../store/errors.ts';
import { parseExec } from './exec.ts';
import { serveExecSpdy } from './exec-spdy.ts';
import { offersChannelProtocol, serveExecWebSocket } from './exec-ws.ts';
import { serveLog } from './logs.ts';
import type { ContainerStatus } from './pod-status.ts';
import { pickContainer } from './select-container.ts';
import { rejectUpgrade } from './upgrade-reject.ts';

/** The kubelet's streaming endpoints, as the API server reaches them: logs, exec, port-forward. */
export function createPodIO(rt: Runtime, live: (pod: KObject, container: string) => ContainerStatus | undefined): PodIO {
  return {
    log: (pod, query, _req, res) => serveLog(rt, pod, query, res, (c) => live(pod, c)),
    upgrade(kind, pod, query, req, socket, head) {
      try {
        if (kind === 'portforward') return handlePortForward(pod, query, req, socket, head);
        if (kind === 'attach') {
          pickContainer(pod, query.get('container'));
          throw errors.badRequest('attach is not supported by skiff: use kubectl exec, or kubectl logs -f');
        }
        const container = pickContainer(pod, query.get('container'));
        const exec = parseExec(pod, query, live(pod, container));
        const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
        if (upgrade === 'websocket' && offersChannelProtocol(req)) return serveExecWebSocket(rt, pod, exec, req, socket, head);
        if (upgrade.startsWith('spdy/3.1')) return serveExecSpdy(rt, pod, exec, req, socket, head);
        throw errors.badRequest('unable to upgrade: exec needs a WebSocket (v5.channel.k8s.io or v4.channel.k8s.io) or SPDY/3.1 upgrade');
      } catch (e) {
        rejectUpgrade(socket, e);
      }
    },
  };
}
