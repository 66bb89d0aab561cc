import type { HTTPGetAction, TCPSocketAction } from 'kubernetes-types/core/v1.d.ts';
import type { Container } from '../runtime/index.ts';
import { runProbe } from './probe-check.ts';
import { probeTarget } from './probe-target.ts';
import type { SlotHost } from './slot-host.ts';

interface Handler {
  exec?: { command?: string[] };
  httpGet?: HTTPGetAction;
  tcpSocket?: TCPSocketAction;
  sleep?: { seconds?: number };
}

/**
 * Run a postStart/preStop handler (exec, httpGet, sleep) against a running container; resolves
 * with the failure text, or undefined when it succeeded. `timeoutMs` bounds it on the clock.
 */
export async function runHook(
  host: SlotHost,
  c: Container,
  spec: { ports?: { name?: string; containerPort: number }[] },
  handler: Handler,
  timeoutMs: number,
): Promise<string | undefined> {
  if (handler.sleep) {
    const ms = Math.min(timeoutMs, Math.max(0, Number(handler.sleep.seconds ?? 0)) * 1000);
    await new Promise<void>((resolve) => host.clock.setTimeout(resolve, ms));
    return undefined;
  }
  if (!handler.exec && !handler.httpGet) return undefined;
  const target = probeTarget(host, c, spec.ports ?? []);
  const r = await runProbe(
    { exec: handler.exec, httpGet: handler.httpGet, timeoutSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)) },
    target,
    host.clock,
  );
  if (r.ok) return undefined;
  if (handler.exec)
    return `Exec lifecycle hook (${JSON.stringify(handler.exec.command ?? [])}) for Container "${c.name}" failed - error: ${r.output || 'command failed'}`;
  return `HTTP lifecycle hook (${String(handler.httpGet?.path ?? '/')}) for Container "${c.name}" failed - error: ${r.output}`;
}
