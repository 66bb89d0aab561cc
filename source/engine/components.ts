import type { Component, EngineConfig } from './context.ts';
import { kubeletComponent } from './kubelet/index.ts';
import { endpointsController } from './controllers/endpoints.ts';
import { endpointSlicesController } from './controllers/endpointslices.ts';
import { serviceProxyComponent } from './proxy/service-proxy.ts';
import { workloadComponents } from './controllers/workloads.ts';

/**
 * Every component the engine runs besides the API server, in start order. Each area
 * (controllers, scheduler, kubelet, proxy) adds its own line here.
 */
export function createComponents(_config: EngineConfig): Component[] {
  return [
    endpointsController(),
    endpointSlicesController(),
    serviceProxyComponent(),
    ...workloadComponents(),
    kubeletComponent(),
  ];
}
