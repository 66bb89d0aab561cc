import type { KObject } from '../../api-types/index.ts';
import type { PodIO } from '../context.ts';
import { handlePortForward } from '../proxy/portforward.ts';
import type { Runtime } from '../runtime/index.ts';
import { errors } from '../store/errors.ts';
import { parseExec, serveExec } from './exec.ts';
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
        serveExec(rt, pod, parseExec(pod, query, live(pod, container)), req, socket, head);
      } catch (e) {
        rejectUpgrade(socket, e);
      }
    },
  };
}
