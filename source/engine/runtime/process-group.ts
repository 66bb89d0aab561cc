import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { Clock } from '../clock.ts';

/** Send `signal` to every process of group `pgid`; false when none was left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Send `signal` to the group's members but not its leader. A sandboxed container's leader is
 * bwrap outside the namespace: were it to die of the signal, --die-with-parent would SIGKILL the
 * container at once and the grace period would be lost. Linux only (reads /proc).
 */
export function signalGroupMembers(pgid: number, signal: NodeJS.Signals): number {
  let sent = 0;
  for (const pid of groupMembers(pgid)) {
    if (pid === pgid) continue;
    try {
      process.kill(pid, signal);
      sent++;
    } catch {
      // already gone
    }
  }
  return sent;
}

/**
 * A container's graceful stop: SIGTERM (to the members only when sandboxed, see above), then
 * SIGKILL to the whole group after `graceMs` on `clock`. Returns the kill timer's handle.
 */
export function terminateGroup(pgid: number, sandboxed: boolean, clock: Clock, graceMs: number): unknown {
  if (sandboxed) signalGroupMembers(pgid, 'SIGTERM');
  else signalGroup(pgid, 'SIGTERM');
  return clock.setTimeout(() => signalGroup(pgid, 'SIGKILL'), graceMs);
}

/** Live (not zombie) processes of group `pgid`. */
export function groupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = procStat(Number(name));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') pids.push(Number(name));
  }
  return pids;
}

/** Resolves once no live process is left in the group (a killed process takes a moment to go). */
export async function groupGone(pgid: number, wait: (ms: number) => Promise<void>, tries = 200): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (groupMembers(pgid).length === 0) return true;
    signalGroup(pgid, 'SIGKILL');
    await wait(10);
  }
  return false;
}

export function isAlive(pid: number): boolean {
  const stat = procStat(pid);
  if (stat) return stat.state !== 'Z' && stat.state !== 'X';
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The process group of `pid`, if it lives. */
export function processGroupOf(pid: number): number | undefined {
  return procStat(pid)?.pgrp;
}

/** Clock ticks since boot when the process started: with the pid, it names a process uniquely. */
export function startTime(pid: number): string | undefined {
  return procStat(pid)?.starttime;
}

function procStat(pid: number): { state: string; pgrp: number; starttime: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, pgrp: Number(fields[2]), starttime: fields[19]! };
  } catch {
    return undefined;
  }
}

/** Kubernetes reports a container killed by signal N as exit code 128+N. */
export function exitCodeOf(exitCode: number | null | undefined, signal: string | null | undefined): number {
  if (typeof exitCode === 'number') return exitCode;
  const n = signal ? (constants.signals as Record<string, number>)[signal] : undefined;
  return n ? 128 + n : 1;
}
