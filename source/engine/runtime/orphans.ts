import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { groupMembers, isAlive, processGroupOf, signalGroup, startTime } from './process-group.ts';

/**
 * Kill the process groups that containers of an engine that died left running: each host
 * process records `<pid> <start time>` in `<rootDir>/<pod>/<container>/pid`; pid and start time
 * together make sure a reused pid is never hit. `keep` names pids this engine runs itself.
 */
export function reapOrphans(rootDir: string, keep: (pid: number) => boolean): number {
  return reapGroups(rootDir, keep).size;
}

/**
 * reapOrphans before the engine serves (nothing of its own runs yet), waiting until the killed
 * groups are gone: a client of a restarted engine never sees the dead engine's containers beside
 * the pods it reports, and the kubelet, which starts after, finds nothing left.
 */
export async function reapOrphansBeforeServing(rootDir: string, waitMs = 2000): Promise<number> {
  const killed = reapGroups(rootDir, () => false);
  for (const deadline = Date.now() + waitMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 5)))
    if ([...killed].every((g) => !groupMembers(g).length)) break;
  return killed.size;
}

function reapGroups(rootDir: string, keep: (pid: number) => boolean): Set<number> {
  const killed = new Set<number>();
  const pods = list(rootDir);
  // Every container has its directory here while it lives: none, no orphans (and no /proc scan,
  // which reads two files of every process of the machine).
  if (!pods.length) return killed;
  for (const pod of pods) {
    for (const name of list(join(rootDir, pod))) {
      const pidFile = join(rootDir, pod, name, 'pid');
      if (!existsSync(pidFile)) continue;
      const [pid, started] = readFileSync(pidFile, 'utf8').trim().split(' ');
      const n = Number(pid);
      if (keep(n)) continue;
      if (n > 1 && ours(n, started)) {
        signalGroup(n, 'SIGKILL');
        killed.add(n);
      }
      rmSync(pidFile, { force: true });
    }
  }
  // A container the dead engine spawned but had no time to record (killed between the spawn and
  // the pid file) is found by what it carries: bwrap's binds of the rootfs, or without a sandbox
  // the TMPDIR in the container's directory.
  for (const pgid of strayGroups(rootDir)) {
    if (keep(pgid) || killed.has(pgid) || pgid <= 1) continue;
    if (signalGroup(pgid, 'SIGKILL')) killed.add(pgid);
  }
  return killed;
}

/** Process groups of processes that belong to containers under `rootDir` (Linux /proc). */
export function strayGroups(rootDir: string): Set<number> {
  const abs = resolve(rootDir);
  const prefix = abs.endsWith('/') ? abs : `${abs}/`;
  const groups = new Set<number>();
  for (const name of list('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    if (isContainerProcess(pid, prefix)) {
      const pgid = processGroupOf(pid);
      if (pgid && pgid !== process.pid) groups.add(pgid);
    }
  }
  return groups;
}

function isContainerProcess(pid: number, prefix: string): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    if (/(^|\/)bwrap$/.test(argv[0] ?? '') && argv.some((a) => a.startsWith(prefix))) return true;
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return env.some((e) => e.startsWith(`TMPDIR=${prefix}`));
  } catch {
    return false;
  }
}

/**
 * Whether group `pgid` still holds the container's processes. Its leader may be gone while the
 * rest lives on: a sandbox's outer bwrap dies with the engine, but an inner one that had not yet
 * armed --die-with-parent survives with its command. A pid is not handed out again while a group
 * of that id has members, so members started no earlier than the leader are the container's.
 */
function ours(pgid: number, started: string | undefined): boolean {
  const members = groupMembers(pgid);
  if (!members.length) return false;
  if (isAlive(pgid)) return startTime(pgid) === started;
  return members.every((m) => Number(startTime(m)) >= Number(started));
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
