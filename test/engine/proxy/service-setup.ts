import type { Component } from '../../../source/engine/context.ts';
import { endpointSlicesController } from '../../../source/engine/controllers/endpointslices.ts';
import { ServiceProxy } from '../../../source/engine/proxy/service-proxy.ts';
import { testContext } from '../controllers/endpoints-helpers.ts';

/**
 * A store with the EndpointSlice controller and the service proxy running (pushed on `running`
 * for the caller to stop), and the Service default/web: app=web, port 81 → 8080, plus `spec`.
 */
export function proxiedService(running: Component[], spec: Record<string, unknown> = {}) {
  const ctx = testContext();
  const slices = endpointSlicesController();
  const proxy = new ServiceProxy();
  slices.start(ctx);
  proxy.start(ctx);
  running.push(slices, proxy);
  const svc = ctx.store.create('services', {
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 81, targetPort: 8080 }], ...spec },
  });
  return { ctx, slices, proxy, svc };
}
