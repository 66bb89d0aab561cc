import type { Controller } from '../controller.ts';
import { LiveDoc } from '../docs.ts';
import { selectorString } from '../drill.ts';
import { ObjectTracker } from './object-docs.ts';
import { renderRollout } from './rollout-text.ts';

/** `o` on a deployment: its ReplicaSets and pods as the rollout moves, live from three watches. */
export function rolloutCommands(c: Controller): Record<string, (key: string) => void> {
  return {
    'deploy.rollout': () => {
      const sel = c.selection();
      const session = c.session;
      if (!sel || !session) return;
      void c.fullObject(sel.view, sel.row).then((obj) => {
        if (!obj) return;
        const ns = sel.row.namespace!;
        const selector = selectorString(obj.spec?.selector);
        const rsInfo = session.registry.get('replicasets.apps');
        const podInfo = session.registry.get('pods');
        if (!selector || !rsInfo || !podInfo) return c.toast('This deployment has no selector', 'error');
        const rs = session.pool.acquire({ resource: rsInfo, namespace: ns, labelSelector: selector });
        const pods = session.pool.acquire({ resource: podInfo, namespace: ns, labelSelector: selector });
        const tracker = new ObjectTracker(session.transport, sel.info, c.sourceFor(sel.view), sel.row.uid, ns, sel.row.name);
        const doc = new LiveDoc(
          async () => {
            const { obj: deploy, deleted } = await tracker.current();
            const lines = renderRollout(
              deploy,
              rs.cache.getSnapshot().rows.map((r) => r.object),
              pods.cache.getSnapshot().rows.map((r) => r.object),
              c.state.size.columns - 4,
            );
            return { lines, status: deleted ? 'deleted' : 'live' };
          },
          [tracker.onChange, rs.cache.subscribe, pods.cache.subscribe],
        );
        const close = doc.close.bind(doc);
        doc.close = () => {
          close();
          rs.release();
          pods.release();
        };
        c.pushText({ mode: 'rollout', title: `deployment/${sel.row.name}`, resource: 'deployments.apps' }, doc);
      });
    },
  };
}
