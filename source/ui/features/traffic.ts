import type { KObject } from '../../api-types/index.ts';
import { errorMessage } from '../../client/errors.ts';
import { runTraffic, type TrafficProgress } from '../../client/traffic.ts';
import type { Controller } from '../controller.ts';
import { BaseDoc } from '../docs.ts';
import type { CommandHandlers } from '../keys/keymap.ts';
import { parseLoad } from './load-spec.ts';
import { startSustained } from './sustained-traffic.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'ask' | 'fullObject' | 'pushText' | 'selection' | 'session' | 'state' | 'toast'>;

function bar(n: number, max: number, width: number): string {
  const w = max > 0 ? Math.round((n / max) * width) : 0;
  return '█'.repeat(w) + ' '.repeat(width - w);
}

export function renderTraffic(p: TrafficProgress, total: number, width: number): string[] {
  const barW = Math.max(10, Math.min(40, width - 60));
  const lines = [
    `Target: ${p.target}`,
    `Requests: ${p.sent}/${total} sent · ${p.ok} ok · ${p.failed} failed${p.done ? '' : ' · running…'}`,
    '',
  ];
  if (p.done) {
    const counted = [...p.pods.values()].filter((n) => n > 0).reduce((a, b) => a + b, 0);
    lines.push(
      `WHICH POD ANSWERED (from each pod's access log)${counted ? '' : ' — no requests found in the pod logs'}`,
    );
    const max = Math.max(1, ...p.pods.values());
    for (const [pod, n] of [...p.pods].sort((a, b) => a[0].localeCompare(b[0]))) {
      lines.push(`  ${pod.padEnd(40)} ${bar(Math.max(0, n), max, barW)} ${n < 0 ? 'log unavailable' : n}`);
    }
    if (!p.pods.size) lines.push('  (no ready pods behind this service)');
    lines.push('');
  }
  lines.push('RESPONSES');
  const maxB = Math.max(1, ...p.bodies.values());
  for (const [body, n] of [...p.bodies].sort((a, b) => b[1] - a[1]))
    lines.push(`  ${bar(n, maxB, barW)} ${String(n).padStart(3)}  ${body}`);
  return lines;
}

class TrafficDoc extends BaseDoc {
  update(lines: string[], status: string): void {
    this.publish({ lines, loading: false, status });
  }
  close(): void {}
}

/** `t` on a service: send requests through it (a burst, or a rate for a time) and show which pods answered. */
export function trafficCommands(c: Host) {
  return {
    'svc.traffic': () => {
      const sel = c.selection();
      const session = c.session;
      if (!sel || !session) return;
      const label = 'Requests (30), or a sustained load (20/s for 60s):';
      c.ask({ kind: 'input', title: `Traffic test through service/${sel.row.name}`, label, value: '30' }, (a) => {
        if (!a.ok) return;
        const spec = parseLoad(a.value ?? '');
        if (typeof spec === 'string') return spec;
        if (spec.kind === 'sustained') return void startSustained(c, sel.view, sel.row, spec.rate, spec.seconds);
        const count = spec.count;
        void (async () => {
          const svc = await c.fullObject(sel.view, sel.row);
          if (!svc) return;
          const doc = new TrafficDoc();
          c.pushText({ mode: 'traffic', title: `service/${sel.row.name}`, resource: 'services' }, doc);
          const width = () => c.state.size.columns - 4;
          try {
            const sel2 = svc.spec?.selector ?? {};
            const labelSelector = Object.entries(sel2)
              .map(([k, v]) => `${k}=${v}`)
              .join(',');
            const pods = labelSelector
              ? (
                  await session.transport.json<{ items: KObject[] }>({
                    path: `/api/v1/namespaces/${encodeURIComponent(sel.row.namespace!)}/pods`,
                    query: { labelSelector },
                  })
                ).items
              : [];
            const running = pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
            await runTraffic(session.transport, svc, running, count, (p) =>
              doc.update(renderTraffic(p, count, width()), p.done ? 'done' : 'running'),
            );
          } catch (err) {
            doc.update([errorMessage(err)], 'error');
          }
        })();
      });
    },
  } satisfies CommandHandlers;
}
