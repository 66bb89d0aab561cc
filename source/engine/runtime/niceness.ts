import { findExecutable } from './sandbox.ts';

/**
 * How much lower than the engine's the CPU priority of container processes (and exec sessions)
 * is: a nice increment, 0…19. The engine is the node's kubelet, kube-proxy and kernel dataplane
 * in one process; as on a real node, where those run in system-reserved cgroups, its work comes
 * before the pods'. A CPU-hungry pod would otherwise starve the service proxy relaying traffic to
 * it, and the probes and API calls of every other pod. Raising a child's niceness needs no
 * privilege.
 *
 * By default a container's niceness follows its CPU request, as upstream's kubelet sets a
 * container cgroup's `cpu.shares` to request millicores × 1024 / 1000: a container requesting a
 * whole CPU weighs what the engine does (nice 0), half a CPU nice 3, a tenth nice 10.
 * `SKIFF_POD_NICENESS` sets one niceness for every container instead.
 */
export const POD_NICENESS_ENV = 'SKIFF_POD_NICENESS';
/**
 * The niceness of a container without a CPU request (BestEffort) or with a request of 100m or
 * less. Upstream gives those a weight of 2 (below nice 19); skiff stops at 10 so that the pods
 * of a tutorial, which rarely set requests, stay responsive on a busy laptop.
 */
export const DEFAULT_POD_NICENESS = 10;

/** The kernel's CFS weight of each nice level 0…19 (sched_prio_to_weight). */
const WEIGHTS = [1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87, 70, 56, 45, 36, 29, 23, 18, 15];

/** The niceness whose CFS weight is nearest (by ratio) the cpu.shares of a CPU request, at most the default. */
export function nicenessForRequest(milliCpu: number): number {
  const shares = Math.max(2, (milliCpu * 1024) / 1000);
  let best = 0;
  for (let n = 1; n < WEIGHTS.length; n++)
    if (Math.abs(Math.log(WEIGHTS[n]! / shares)) < Math.abs(Math.log(WEIGHTS[best]! / shares))) best = n;
  return Math.min(best, DEFAULT_POD_NICENESS);
}

/**
 * The setting from the environment: one niceness for every container, or undefined (unset) to
 * follow each container's CPU request. A value that is not an integer 0…19 is an error.
 */
export function podNiceness(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[POD_NICENESS_ENV]?.trim();
  if (raw === undefined || raw === '') return undefined;
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
