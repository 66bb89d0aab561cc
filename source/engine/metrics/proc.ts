import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime/stime in /proc/PID/stat, 100 on every mainstream Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time and resident memory of one process group, summed over its live processes. */
export interface GroupUsage {
  cpuNanos: number;
  rssBytes: number;
}

let pageSize: number | undefined;

/** The page size, read off this process: its RSS in bytes over its resident pages in statm. */
function pageBytes(): number {
  if (pageSize) return pageSize;
  try {
    const pages = Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]);
    const rss = process.memoryUsage.rss();
    const guess = rss / pages;
    // Round to the nearest power of two (the two reads are a few pages apart).
    pageSize = 2 ** Math.round(Math.log2(guess));
  } catch {
    pageSize = 4096;
  }
  return pageSize;
}

/**
 * One pass over /proc: CPU time and RSS of every live process, summed per process group
 * (`groups`, or every group when omitted). A host-process container leads its own group, so its
 * entry is the container. Linux only; elsewhere the map is empty.
 */
export function readGroupUsage(groups?: Set<number>): Map<number, GroupUsage> {
  const out = new Map<number, GroupUsage>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  const page = pageBytes();
  for (const name of names) {
    const c = name.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue; // gone meanwhile
    }
    // Field 2 (the command) is in parentheses and may hold spaces: count from the last ')'.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const state = f[0];
    if (state === 'Z' || state === 'X') continue;
    const pgrp = Number(f[2]);
    if (groups && !groups.has(pgrp)) continue;
    // utime + stime, plus cutime + cstime: children that ended and were waited for count too.
    const ticks = Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    const rss = Number(f[21]) * page;
    const u = out.get(pgrp) ?? { cpuNanos: 0, rssBytes: 0 };
    u.cpuNanos += (ticks * 1e9) / CLOCK_TICKS_PER_SECOND;
    u.rssBytes += rss;
    out.set(pgrp, u);
  }
  return out;
}
