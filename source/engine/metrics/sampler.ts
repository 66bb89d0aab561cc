import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import type { Component, EngineContext } from '../context.ts';
import { nodeState } from '../controllers/node-state.ts';
import type { Container, Runtime } from '../runtime/index.ts';
import { readGroupUsage } from './proc.ts';
import type { ContainerUsage, MetricsSource, NodeUsage, PodUsage } from './types.ts';

/** Seconds between samples (before time scaling); metrics-server's default resolution is 15 s. */
export const METRICS_RESOLUTION_SECONDS = 10;

interface Sample {
  at: number;
  cpuNanos: number;
}

/** A running container found in a pass, with its cumulative CPU time and its memory now. */
interface Reading {
  pod: Pod;
  name: string;
  instance: Container;
  cpuNanos: number;
  memory: number;
}

export interface MetricsOptions {
  runtime(): Runtime | undefined;
  /** Called with every host-process container measured above its memory limit. */
  overLimit?(pod: Pod, container: string, instance: Container, rssBytes: number, limitBytes: number): void;
  /** Called with every container that has a memory limit it cannot be killed for (in-engine, interactive). */
  unenforceable?(pod: Pod, container: string, instance: Container): void;
  /** Limits of a pod's containers in bytes (by name); undefined = no limit. */
  memoryLimits?(pod: Pod): Map<string, number>;
  resolutionSeconds?: number;
}

/**
 * The metrics pipeline: every resolution period (on the clock) one pass reads the cumulative CPU
 * time and current memory of every running container — host processes from /proc (one scan,
 * summed per process group), in-engine containers from their accounting — and keeps rates over
 * the window since the previous pass. Nodes get the sum of their pods plus an equal share of
 * what the engine process spent besides its containers.
 */
export class MetricsSampler implements Component, MetricsSource {
  readonly name = 'metrics';
  private ctx?: EngineContext;
  private timer: unknown;
  private stopped = false;
  private previous = new Map<string, Sample>();
  private engineSample?: Sample;
  private podList: PodUsage[] = [];
  private podIndex = new Map<string, PodUsage>();
  private nodeList: NodeUsage[] = [];

  constructor(private opts: MetricsOptions) {}

  start(ctx: EngineContext): void {
    this.ctx = ctx;
    this.stopped = false;
    ctx.metrics = this;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.ctx?.clock.clearTimeout(this.timer);
  }

  pods(): PodUsage[] {
    return this.podList;
  }

  pod(namespace: string, name: string): PodUsage | undefined {
    return this.podIndex.get(`${namespace}/${name}`);
  }

  nodes(): NodeUsage[] {
    return this.nodeList;
  }

  private schedule(): void {
    if (this.stopped || !this.ctx) return;
    const period = (this.opts.resolutionSeconds ?? METRICS_RESOLUTION_SECONDS) * 1000;
    this.timer = this.ctx.clock.setTimeout(() => {
      try {
        this.sample();
      } catch (e) {
        this.ctx?.log(`metrics: sampling failed: ${(e as Error).message}`);
      }
      this.schedule();
    }, period);
  }

  /** One pass; public so that tests with a FakeClock can drive it. */
  sample(): void {
    const ctx = this.ctx;
    const rt = this.opts.runtime();
    if (!ctx || !rt) return;
    const now = ctx.clock.now();
    const nodes = nodeState(ctx.store);
    const readings: Reading[] = [];
    const groups = new Set<number>();
    for (const obj of ctx.store.list('pods').items) {
      const pod = obj as Pod;
      const node = pod.spec?.nodeName;
      if (!node || !nodes.isUp(node) || pod.status?.phase !== 'Running') continue;
      for (const c of pod.spec?.containers ?? []) {
        const instance = rt.get(pod.metadata!.uid!, c.name);
        if (!instance?.running) continue;
        if (instance.pid && !instance.accounting) groups.add(instance.pid);
        readings.push({ pod, name: c.name, instance, cpuNanos: 0, memory: 0 });
      }
    }
    const usage = groups.size ? readGroupUsage(groups) : new Map();
    let attributedCpu = 0;
    let attributedMemory = 0;
    const measured: Reading[] = [];
    for (const r of readings) {
      if (r.instance.accounting) {
        r.cpuNanos = r.instance.accounting.cpuNanos();
        r.memory = r.instance.accounting.bufferedBytes();
        attributedCpu += r.cpuNanos;
        attributedMemory += r.memory;
        this.enforce(r);
      } else {
        const u = r.instance.pid ? usage.get(r.instance.pid) : undefined;
        if (!u) continue; // its processes are gone: it is exiting
        r.cpuNanos = u.cpuNanos;
        r.memory = u.rssBytes;
        this.enforce(r);
      }
      measured.push(r);
    }
    this.publish(ctx, now, measured, attributedCpu, attributedMemory);
  }

  private enforce(r: Reading): void {
    if (!this.opts.overLimit || !this.opts.memoryLimits) return;
    const limit = this.opts.memoryLimits(r.pod).get(r.name);
    if (limit === undefined) return;
    if (!r.instance.oomKill) this.opts.unenforceable?.(r.pod, r.name, r.instance);
    else if (r.memory > limit) this.opts.overLimit(r.pod, r.name, r.instance, r.memory, limit);
  }

  private publish(
    ctx: EngineContext,
    now: number,
    readings: Reading[],
    attributedCpu: number,
    attributedMemory: number,
  ): void {
    const next = new Map<string, Sample>();
    const byPod = new Map<string, PodUsage>();
    for (const r of readings) {
      next.set(r.instance.id, { at: now, cpuNanos: r.cpuNanos });
      const prev = this.previous.get(r.instance.id);
      if (!prev || now <= prev.at) continue; // a rate needs two samples
      const meta = r.pod.metadata!;
      const key = [meta.namespace, meta.name].join('/'); // flat: `${ns}/` made a copy of "default/" for each pod
      const c: ContainerUsage = {
        name: r.name,
        cpu: Math.max(0, ((r.cpuNanos - prev.cpuNanos) * 1000) / (now - prev.at)),
        memory: r.memory,
      };
      const p = byPod.get(key);
      if (p) p.containers.push(c);
      else
        byPod.set(key, {
          namespace: meta.namespace!,
          name: meta.name!,
          uid: meta.uid!,
          node: r.pod.spec!.nodeName!,
          labels: meta.labels ?? {},
          timestamp: now,
          windowMs: now - prev.at,
          // A literal: an array grown from [] by push keeps 17 slots (160 B a pod of 10,000).
          containers: [c],
        });
    }
    this.previous = next;

    // The engine's own share: its CPU time and RSS minus what was attributed to its containers.
    const cpu = process.cpuUsage();
    const engineNow = { at: now, cpuNanos: (cpu.user + cpu.system) * 1000 - attributedCpu };
    const enginePrev = this.engineSample;
    this.engineSample = engineNow;
    const nodeObjs = ctx.store.list('nodes').items.filter((n) => nodeState(ctx.store).isUp(n.metadata.name!));
    const nodes: NodeUsage[] = [];
    if (enginePrev && now > enginePrev.at && nodeObjs.length) {
      const windowMs = now - enginePrev.at;
      const engineCpu = Math.max(0, ((engineNow.cpuNanos - enginePrev.cpuNanos) * 1000) / windowMs);
      const engineMemory = Math.max(0, process.memoryUsage.rss() - attributedMemory);
      for (const n of nodeObjs) {
        const name = n.metadata.name!;
        const mine = [...byPod.values()].filter((p) => p.node === name);
        nodes.push({
          name,
          labels: n.metadata.labels ?? {},
          timestamp: now,
          windowMs,
          cpu: engineCpu / nodeObjs.length + sum(mine.flatMap((p) => p.containers.map((c) => c.cpu))),
          memory: engineMemory / nodeObjs.length + sum(mine.flatMap((p) => p.containers.map((c) => c.memory))),
        });
      }
    }
    this.podList = [...byPod.values()];
    this.podIndex = byPod;
    this.nodeList = nodes;
  }
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
