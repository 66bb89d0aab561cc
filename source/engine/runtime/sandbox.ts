import { lstatSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { delimiter, join, posix } from 'node:path';
import { execa } from 'execa';
import type { RootfsLayout } from './rootfs.ts';
import { inRootfs, isUnder } from './paths.ts';

export type SandboxMode = 'auto' | 'bwrap' | 'none';

export interface SandboxInfo {
  available: boolean;
  /** Why not, when not: the kubelet puts it in an event. */
  reason?: string;
}

/** Whether bubblewrap is installed and can create namespaces here (it may not, inside some containers). */
export async function detectSandbox(mode: SandboxMode): Promise<SandboxInfo> {
  if (mode === 'none') return { available: false, reason: 'sandbox disabled' };
  if (!findExecutable('bwrap', process.env.PATH ?? '')) {
    return { available: false, reason: 'bwrap (bubblewrap) is not installed' };
  }
  const probe = await execa('bwrap', [...baseArgs(), '--unshare-pid', '--unshare-uts', 'true'], {
    reject: false,
    timeout: 10_000,
  });
  if (probe.exitCode === 0) return { available: true };
  return { available: false, reason: `bwrap cannot create a sandbox here: ${String(probe.stderr).trim()}` };
}

/** A bind of a host path (a pod volume) into the container. */
export interface VolumeMount {
  hostPath: string;
  containerPath: string;
  readOnly?: boolean;
}

export interface SandboxView {
  layout: RootfsLayout;
  hostname: string;
  workingDir: string;
  volumes?: VolumeMount[];
  /** Own PID namespace; off for exec with a TTY when the shell could not own the terminal. */
  pidNamespace: boolean;
}

/**
 * bwrap arguments (before the command) for a container's view: the host read-only, the rootfs's
 * directories and files bound writable over it, own hostname and PID namespace, network shared.
 * A mount target missing on the read-only host needs a writable parent to create it in: its
 * deepest existing ancestor is "shadowed" by a tmpfs into which the host's entries are bound back.
 */
export function bwrapArgs(view: SandboxView): string[] {
  const { layout } = view;
  const binds: [flag: string, src: string, dest: string][] = [
    ...layout.dirs.map((d) => ['--bind', inRootfs(layout.rootfs, d), d] as [string, string, string]),
    ...layout.files.map((f) => ['--bind', inRootfs(layout.rootfs, f), f] as [string, string, string]),
    ...(view.volumes ?? []).map(
      (v) => [v.readOnly ? '--ro-bind' : '--bind', v.hostPath, v.containerPath] as [string, string, string],
    ),
  ];
  const writable = binds.filter((b) => b[0] === '--bind').map((b) => b[2]);
  const shadows = new Set<string>();
  for (const [, , dest] of binds) {
    if (exists(dest)) continue;
    const parent = deepestExisting(dest);
    if (!writable.some((w) => w !== dest && isUnder(parent, w))) shadows.add(parent);
  }

  const args: string[] = [];
  if (shadows.has('/')) {
    // bwrap's own root is a tmpfs: bind the host's top level into it entry by entry.
    args.push(...rebind('/', ['proc', 'dev']), '--proc', '/proc', '--dev', '/dev');
  } else {
    args.push(...baseArgs());
  }
  const ordered = [...shadows].filter((s) => s !== '/').sort((a, b) => depth(a) - depth(b));
  for (const dir of ordered) args.push('--tmpfs', dir, ...rebind(dir, []));
  for (const [flag, src, dest] of binds) args.push(flag, src, dest);
  // Mount points are made by now: the shadows become as read-only as the host they stand for.
  for (const dir of [...shadows].sort((a, b) => depth(a) - depth(b))) args.push('--remount-ro', dir);
  if (view.pidNamespace) args.push('--unshare-pid');
  args.push('--unshare-uts', '--hostname', view.hostname, '--die-with-parent', '--chdir', view.workingDir);
  return args;
}

function baseArgs(): string[] {
  return ['--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev'];
}

/** Bind every entry of host `dir` back at the same place, read-only (symlinks recreated). */
function rebind(dir: string, skip: string[]): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.includes(entry.name)) continue;
    const path = posix.join(dir, entry.name);
    if (entry.isSymbolicLink()) out.push('--symlink', readlinkSync(path), path);
    else out.push('--ro-bind-try', path, path);
  }
  return out;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function deepestExisting(path: string): string {
  let p = posix.dirname(path);
  while (p !== '/' && !isDir(p)) p = posix.dirname(p);
  return p;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function depth(path: string): number {
  return path.split('/').length;
}

/** Where a path of the container's view lives on the host: in the rootfs, a volume, or the host. */
export function hostPathOf(path: string, layout: RootfsLayout, volumes: VolumeMount[] = []): string {
  const vol = volumes.find((v) => isUnder(path, v.containerPath));
  if (vol) return join(vol.hostPath, posix.relative(vol.containerPath, path));
  if ([...layout.dirs, ...layout.files].some((d) => isUnder(path, d))) return inRootfs(layout.rootfs, path);
  return path;
}

/**
 * Look a command up the way execvp would in the container's view; undefined when it is not
 * there. `toHost` maps a container path to the host file to check.
 */
export function findExecutable(
  command: string,
  pathEnv: string,
  workingDir = '/',
  toHost: (p: string) => string = (p) => p,
): string | undefined {
  const candidates = command.includes('/')
    ? [posix.resolve(workingDir, command)]
    : pathEnv.split(delimiter).filter(Boolean).map((d) => posix.join(d, command));
  for (const c of candidates) {
    try {
      const st = statSync(toHost(c));
      if (st.isFile() && st.mode & 0o111) return c;
    } catch {
      // not here
    }
  }
  return undefined;
}
