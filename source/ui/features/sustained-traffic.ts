import type { KObject } from '../../api-types/index.ts';
import { LiveTraffic } from '../../client/live-traffic.ts';
import type { Row } from '../../client/table-cache.ts';
import { trafficTarget } from '../../client/traffic.ts';
import { errorMessage } from '../../client/errors.ts';
import type { Controller } from '../controller.ts';
import { LiveDoc } from '../docs.ts';
import type { TableViewState } from '../state/types.ts';
import { renderSustained } from './sustained-traffic-text.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'fullObject' | 'pushText' | 'session' | 'state' | 'toast'>;

/**
 * `t` on a service with `20/s for 60s`: a steady load through the service for that long (a load
 * generator for the autoscaling walkthrough), live per-second bars and which pod answered. Leaving
 * the view stops it.
 */
export function startSustained(c: Host, view: TableViewState, row: Row, rate: number, seconds: number): void {
  const session = c.session;
  const podsInfo = session?.registry.get('pods');
  if (!session || !podsInfo) return;
  void c.fullObject(view, row).then((svc) => {
    if (!svc) return;
    let target: { url: string; viaApi: boolean };
    try {
      target = trafficTarget(svc, session.transport);
    } catch (err) {
      return c.toast(errorMessage(err), 'error');
    }
    const name = svc.metadata.name!;
    const traffic = new LiveTraffic(
      session.transport,
      { kind: 'service', name, ...target },
      rate,
      2000,
      seconds * 1000,
    );
    // The pods behind the service: their access logs say which one answered.
    const selector = Object.entries(svc.spec?.selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const pods = selector
      ? session.pool.acquire({ resource: podsInfo, namespace: svc.metadata.namespace, labelSelector: selector })
      : undefined;
    const syncPods = () =>
      traffic.setPods((pods?.cache.getSnapshot().rows ?? []).map((r) => r.object).filter((o): o is KObject => !!o));
    syncPods();
    const doc = new LiveDoc(
      async () => ({
        lines: renderSustained(traffic, c.state.size.columns - 4),
        status: traffic.finished ? 'finished' : 'running',
      }),
      [traffic.subscribe, ...(pods ? [(fn: () => void) => pods.cache.subscribe(() => (syncPods(), fn()))] : [])],
    );
    // The bars move on with the clock, and the time left counts down.
    const timer = setInterval(() => doc.refresh(), 500);
    timer.unref?.();
    const close = doc.close.bind(doc);
    doc.close = () => {
      close();
      clearInterval(timer);
      traffic.stop();
      pods?.release();
    };
    c.pushText({ mode: 'traffic', title: `service/${name}`, resource: 'services' }, doc);
  });
}
