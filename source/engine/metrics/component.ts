import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../../api-types/index.ts';
import { amountOf } from '../admission/quantity.ts';
import type { Component, EngineContext } from '../context.ts';
import type { Container, Runtime } from '../runtime/index.ts';
import { MetricsSampler } from './sampler.ts';

/**
 * The metrics pipeline as an engine component (`ctx.metrics`), enforcing memory limits on the
 * way: a host-process container whose measured RSS is above its limit is SIGKILLed and ends
 * `OOMKilled` with exit code 137. The check runs once per sample, so a short spike between two
 * samples goes unseen (a cgroup would catch it; the sandbox has none to give).
 */
export function metricsComponent(runtime: () => Runtime | undefined, resolutionSeconds?: number): Component {
  let ctx: EngineContext | undefined;
  const told = new Set<string>();
  const sampler = new MetricsSampler({
    runtime,
    resolutionSeconds,
    memoryLimits: (pod) => {
      const out = new Map<string, number>();
      for (const c of pod.spec?.containers ?? []) {
        const limit = c.resources?.limits?.memory;
        if (limit !== undefined) out.set(c.name, amountOf('memory', limit));
      }
      return out;
    },
    overLimit: (pod, name, instance, rss, limit) => oomKill(ctx, pod, name, instance, rss, limit),
    unenforceable: (pod, name, instance) => {
      // Once per container instance: the engine serves it itself (or it holds a terminal).
      if (!ctx || told.has(instance.id)) return;
      told.add(instance.id);
      if (told.size > 10_000) told.clear();
      const what = instance.accounting ? 'it is served by the engine itself' : 'it runs attached to a terminal';
      ctx.recorder.record(
        pod as KObject,
        'Warning',
        'MemoryLimitNotEnforced',
        `The memory limit of container ${name} is not enforced: ${what}`,
        { component: 'kubelet', host: pod.spec?.nodeName },
        `spec.containers{${name}}`,
      );
    },
  });
  return {
    name: 'metrics',
    start(c) {
      ctx = c;
      sampler.start(c);
    },
    stop: () => sampler.stop(),
  };
}

function oomKill(
  ctx: EngineContext | undefined,
  pod: Pod,
  name: string,
  instance: Container,
  rss: number,
  limit: number,
): void {
  if (!instance.oomKill || !instance.running) return;
  instance.oomKill();
  const mi = (n: number) => `${Math.round(n / 2 ** 20)}Mi`;
  ctx?.log(
    `metrics: container ${name} of pod ${pod.metadata?.namespace}/${pod.metadata?.name} used ${mi(rss)} over its ${mi(limit)} limit: OOM-killed`,
  );
}
