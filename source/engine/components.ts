import type { Component, EngineConfig } from './context.ts';
import { kubeletComponent } from './kubelet/index.ts';
import { endpointsController } from './controllers/endpoints.ts';
import { endpointSlicesController } from './controllers/endpointslices.ts';
import { ClusterDns } from './dns/cluster-dns.ts';
import { IngressController } from './ingress/ingress-controller.ts';
import { LoadBalancerAllocator } from './services/load-balancer.ts';
import { serviceProxyComponent } from './proxy/service-proxy.ts';
import { workloadComponents } from './controllers/workloads.ts';
import { storageController } from './controllers/storage/binder.ts';
import { Scheduler } from './scheduler/scheduler.ts';
import { metricsComponent } from './metrics/component.ts';
import { HpaController } from './autoscaling/hpa-controller.ts';

/**
 * Every component the engine runs besides the API server, in start order. Each area
 * (controllers, scheduler, kubelet, proxy) adds its own line here.
 */
export function createComponents(config: EngineConfig): Component[] {
  const dns = new ClusterDns(config.dns);
  const components = [
    endpointsController(),
    endpointSlicesController(),
    dns,
    new LoadBalancerAllocator(),
    serviceProxyComponent(),
    new IngressController(),
    new Scheduler(),
    ...workloadComponents(),
    storageController(),
    new HpaController(),
  ];
  const kubelet = kubeletComponent({ dns, runtime: { checks: { 'cluster-dns': () => dns.serving } } });
  return [...components, kubelet, metricsComponent(() => kubelet.runtime())];
}
