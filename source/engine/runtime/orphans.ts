import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { groupMembers, isAlive, signalGroup, startTime } from './process-group.ts';

/**
 * Kill the process groups that containers of an engine that died left running: each host
 * process records `<pid> <start time>` in `<rootDir>/<pod>/<container>/pid`; pid and start time
 * together make sure a reused pid is never hit. `keep` names pids this engine runs itself.
 */
export function reapOrphans(rootDir: string, keep: (pid: number) => boolean): number {
  let reaped = 0;
  for (const pod of list(rootDir)) {
    for (const name of list(join(rootDir, pod))) {
      const pidFile = join(rootDir, pod, name, 'pid');
      if (!existsSync(pidFile)) continue;
      const [pid, started] = readFileSync(pidFile, 'utf8').trim().split(' ');
      const n = Number(pid);
      if (keep(n)) continue;
      if (n > 1 && ours(n, started)) {
        signalGroup(n, 'SIGKILL');
        reaped++;
      }
      rmSync(pidFile, { force: true });
    }
  }
  return reaped;
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
