import type { Container as ContainerSpec, Probe } from 'kubernetes-types/core/v1.d.ts';
import type { Container } from '../runtime/index.ts';
import { probeTarget } from './probe-target.ts';
import { Prober, type ProbeKind } from './prober.ts';
import type { SlotHost } from './slot-host.ts';

export interface ProbeOutcome {
  /** `started` / `ready` changed. */
  changed(): void;
  /** A liveness or startup probe failed for good: restart the container. */
  failed(kind: ProbeKind): void;
}

/**
 * The probes of one container instance, sequenced like the kubelet's: a startup probe first;
 * liveness and readiness once it passed. `started` is true once the startup probe passed (or there
 * is none); `ready` once the readiness probe passes (or right away without one).
 */
export class ContainerProbes {
  started: boolean;
  ready: boolean;
  private probers: Prober[] = [];
  private stopped = false;

  constructor(
    private host: SlotHost,
    private spec: ContainerSpec,
    private c: Container,
    private fieldPath: string,
    private outcome: ProbeOutcome,
  ) {
    this.started = !spec.startupProbe;
    this.ready = this.started && !spec.readinessProbe;
  }

  start(): void {
    if (this.spec.startupProbe) this.add('Startup', this.spec.startupProbe);
    else this.startMain();
  }

  stop(): void {
    this.stopped = true;
    for (const p of this.probers) p.stop();
    this.probers = [];
  }

  private startMain(): void {
    this.add('Liveness', this.spec.livenessProbe);
    this.add('Readiness', this.spec.readinessProbe);
  }

  private add(kind: ProbeKind, spec: Probe | undefined): void {
    if (!spec || this.stopped) return;
    const target = probeTarget(this.host, this.c, this.spec.ports ?? []);
    const p = new Prober(kind, spec, target, this.host.clock, {
      failed: (k, output) => this.host.event('Warning', 'Unhealthy', `${k} probe failed: ${output}`, this.fieldPath),
      changed: (k, ok) => this.changed(k, ok),
    });
    this.probers.push(p);
    p.start();
  }

  private changed(kind: ProbeKind, ok: boolean): void {
    if (this.stopped) return;
    if (kind === 'Readiness') this.ready = ok && this.started;
    else if (kind === 'Startup' && ok) {
      this.started = true;
      this.ready = !this.spec.readinessProbe;
      this.startMain();
    } else if (!ok) return this.outcome.failed(kind);
    this.outcome.changed();
  }
}
