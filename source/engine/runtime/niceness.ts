import { findExecutable } from './sandbox.ts';

/**
 * How much lower than the engine's the CPU priority of container processes (and exec sessions)
 * is: a nice increment, 0…19. The engine is the node's kubelet, kube-proxy and kernel dataplane
 * in one process; as on a real node, where those run in system-reserved cgroups, its work comes
 * before the pods'. A CPU-hungry pod would otherwise starve the service proxy relaying traffic to
 * it, and the probes and API calls of every other pod. Raising a child's niceness needs no
 * privilege.
 */
export const POD_NICENESS_ENV = 'SKIFF_POD_NICENESS';
export const DEFAULT_POD_NICENESS = 10;

/** The setting from the environment; a value that is not an integer 0…19 is an error. */
export function podNiceness(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[POD_NICENESS_ENV]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_POD_NICENESS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 19) {
    throw new Error(`${POD_NICENESS_ENV}=${raw}: expected a whole number from 0 to 19 (a nice increment)`);
  }
  return n;
}

let nicePath: string | undefined | null = null;

/**
 * The host command that runs argv `increment` lower in priority: `nice -n N`, which execs the
 * command in place (same pid, same process group). Empty for 0, or where there is no `nice`.
 */
export function nicePrefix(increment: number): string[] {
  if (increment <= 0) return [];
  if (nicePath === null) nicePath = findExecutable('nice', process.env.PATH || '/usr/bin:/bin');
  return nicePath ? [nicePath, '-n', String(increment)] : [];
}
