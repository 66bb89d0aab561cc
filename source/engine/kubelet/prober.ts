import type { Probe } from 'kubernetes-types/core/v1.d.ts';
import type { Clock } from '../clock.ts';
import { runProbe, type ProbeResult, type ProbeTarget } from './probe-check.ts';

export type ProbeKind = 'Liveness' | 'Readiness' | 'Startup';

export interface ProbeListener {
  /** Every probe that failed (the kubelet records an Unhealthy event for each). */
  failed(kind: ProbeKind, output: string): void;
  /** The result crossed its threshold: ready/not ready, alive/dead, started. */
  changed(kind: ProbeKind, ok: boolean): void;
}

/**
 * One probe of one container instance, as the kubelet's probe worker runs it: first after
 * initialDelaySeconds, then every periodSeconds; the result flips only after successThreshold
 * passes or failureThreshold failures in a row. Readiness starts as failing, liveness as passing.
 * A startup probe stops once it has passed; a liveness/startup probe stops once it has failed.
 */
export class Prober {
  private handle: unknown;
  private stopped = false;
  private result: boolean | undefined;
  private last: boolean | undefined;
  private run = 0;

  constructor(
    readonly kind: ProbeKind,
    private spec: Probe,
    private target: ProbeTarget,
    private clock: Clock,
    private listener: ProbeListener,
  ) {
    this.result = kind === 'Readiness' ? false : kind === 'Liveness' ? true : undefined;
  }

  start(): void {
    this.schedule(Math.max(0, Number(this.spec.initialDelaySeconds ?? 0)) * 1000);
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.handle);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.handle = this.clock.setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let r: ProbeResult;
    try {
      r = await runProbe(this.spec, this.target, this.clock);
    } catch (e) {
      r = { ok: false, output: (e as Error).message };
    }
    if (this.stopped) return;
    if (!r.ok) this.listener.failed(this.kind, r.output);
    this.run = r.ok === this.last ? this.run + 1 : 1;
    this.last = r.ok;
    const threshold = r.ok ? Number(this.spec.successThreshold ?? 1) : Number(this.spec.failureThreshold ?? 3);
    if (this.run >= Math.max(1, threshold) && this.result !== r.ok) {
      this.result = r.ok;
      this.listener.changed(this.kind, r.ok);
    }
    if ((this.kind === 'Startup' && this.result === true) || (this.kind !== 'Readiness' && this.result === false))
      return this.stop();
    if (this.stopped) return;
    this.schedule(Math.max(1, Number(this.spec.periodSeconds ?? 10)) * 1000);
  }
}
