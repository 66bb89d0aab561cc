import type { Component, EngineConfig } from './context.ts';

/**
 * Every component the engine runs besides the API server, in start order. Each area
 * (controllers, scheduler, kubelet, proxy) adds its own line here.
 */
export function createComponents(_config: EngineConfig): Component[] {
  return [];
}
