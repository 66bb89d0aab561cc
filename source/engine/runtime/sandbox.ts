import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { delimiter, join, posix } from 'node:path';
import type { RootfsLayout } from './rootfs.ts';
import { inRootfs, isUnder } from './paths.ts';
import { canEscape, privilegeArgs, type SecuritySpec } from './privileges.ts';
import { hostPathInBaseView, viewArgs, type ViewBind } from './view.ts';

export type SandboxMode = 'auto' | 'bwrap' | 'none';

export interface SandboxInfo {
  available: boolean;
  /** Containers get their own user namespace (root inside is not root outside). */
  userns?: boolean;
  /** Why not, when not: the kubelet puts it in an event. */
  reason?: string;
}

const PROBE = ['--ro-bind', '/', '/', '--proc', '/proc', '--dev', '/dev', '--unshare-pid', '--unshare-uts'];

let early: { mode: SandboxMode; path: string; probe: Promise<SandboxInfo> } | undefined;

/**
 * Starts `detectSandbox(mode)` now: its bubblewrap runs are child processes, which run while the
 * engine does the rest of its start-up. The next `detectSandbox` of that mode (and PATH) takes
 * the answer; nothing is kept beyond that one use.
 */
export function detectSandboxEarly(mode: SandboxMode = 'auto'): void {
  const probe = probeSandbox(mode);
  probe.catch(() => {}); // the call that takes it sees the error
  early = { mode, path: process.env.PATH ?? '', probe };
}

/** Whether bubblewrap is installed and can create namespaces here (it may not, inside some containers). */
export function detectSandbox(mode: SandboxMode): Promise<SandboxInfo> {
  const taken = early;
  early = undefined;
  if (taken && taken.mode === mode && taken.path === (process.env.PATH ?? '')) return taken.probe;
  return probeSandbox(mode);
}

async function probeSandbox(mode: SandboxMode): Promise<SandboxInfo> {
  if (mode === 'none') return { available: false, reason: 'sandbox disabled' };
  if (!findExecutable('bwrap', process.env.PATH ?? '')) {
    return { available: false, reason: 'bwrap (bubblewrap) is not installed' };
  }
  // Plain execFile: execa's first run (option handling, stream iteration) cost more CPU than the
  // probe itself, at a cold start when the engine should be answering `cluster up`.
  const run = (extra: string[]) =>
    new Promise<{ exitCode: number; stderr: string }>((resolve) => {
      execFile('bwrap', [...PROBE, ...extra, 'true'], { timeout: 10_000 }, (err, _stdout, stderr) =>
        resolve({ exitCode: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stderr: String(stderr) }),
      );
    });
  const withUserns = await run([
    '--unshare-user',
    '--uid',
    '0',
    '--gid',
    '0',
    '--cap-drop',
    'ALL',
    '--cap-add',
    'CAP_CHOWN',
  ]);
  if (withUserns.exitCode === 0) return { available: true, userns: true };
  const plain = await run(['--cap-drop', 'ALL']);
  if (plain.exitCode === 0) return { available: true, userns: false };
  return { available: false, reason: `bwrap cannot create a sandbox here: ${String(plain.stderr).trim()}` };
}

/** A bind of a host path (a pod volume) into the container. */
export interface VolumeMount {
  hostPath: string;
  containerPath: string;
  readOnly?: boolean;
  /**
   * Writes what is behind `hostPath` (the kubelet's files: a token, /etc/hosts) if it is not
   * there yet. The runtime calls it before a process starts, and for a built-in container when
   * something first looks inside (exec, nginx serving a volume): most never do.
   */
  files?: MountFiles;
}

/**
 * What writes a mount's files on first use. An object the kubelet keeps anyway (one pod's DNS
 * files, one written volume), not a closure per mount: each running container holds its mounts.
 */
export interface MountFiles {
  prepare(): void;
}

export interface SandboxView {
  layout: RootfsLayout;
  hostname: string;
  workingDir: string;
  volumes?: VolumeMount[];
  /** Own PID namespace; off for exec with a TTY when the shell could not own the terminal. */
  pidNamespace: boolean;
  security?: SecuritySpec;
  /** Use a user namespace (detectSandbox found it works). */
  userns?: boolean;
}

/**
 * bwrap arguments (before the command) for a container's view and privileges: the allow-listed
 * system view (see view.ts), the rootfs's directories and files bound writable (read-only with
 * readOnlyRootFilesystem), the volumes over them, own hostname, IPC, PID and user namespaces,
 * the container's capabilities; the network is shared. `wrapper` runs before the command inside.
 */
export function bwrapArgs(view: SandboxView): { args: string[]; wrapper: string[] } {
  const { layout, security = {} } = view;
  const rootfsFlag = security.readOnlyRootFilesystem ? '--ro-bind' : '--bind';
  const binds: ViewBind[] = [
    ...layout.dirs.map((d): ViewBind => ({ flag: rootfsFlag, src: inRootfs(layout.rootfs, d), dest: d })),
    ...layout.files.map((f): ViewBind => ({ flag: '--bind', src: inRootfs(layout.rootfs, f), dest: f })),
    ...(view.volumes ?? []).map((v): ViewBind => ({
      flag: v.readOnly ? '--ro-bind' : '--bind',
      src: v.hostPath,
      dest: v.containerPath,
    })),
  ];
  const privileges = privilegeArgs(security, view.userns ?? false);
  // A container that may unmount gets an /etc with nothing underneath to uncover.
  const args = [...viewArgs(binds, canEscape(security)), ...privileges.args];
  if (view.pidNamespace) args.push('--unshare-pid');
  args.push(
    '--unshare-ipc',
    '--unshare-cgroup-try',
    '--unshare-uts',
    '--hostname',
    view.hostname,
    '--die-with-parent',
    '--chdir',
    view.workingDir,
  );
  return { args, wrapper: privileges.wrapper };
}

/** Where a path of the container's view lives on the host: in the rootfs, a volume, or the host. */
export function hostPathOf(path: string, layout: RootfsLayout, volumes: VolumeMount[] = []): string {
  const vol = volumes.find((v) => isUnder(path, v.containerPath));
  if (vol) return join(vol.hostPath, posix.relative(vol.containerPath, path));
  if ([...layout.dirs, ...layout.files].some((d) => isUnder(path, d))) return inRootfs(layout.rootfs, path);
  return path;
}

/** Like hostPathOf, for the sandbox: undefined when the path is not in the container's view. */
export function viewHostPathOf(path: string, layout: RootfsLayout, volumes: VolumeMount[] = []): string | undefined {
  const vol = volumes
    .filter((v) => isUnder(path, v.containerPath))
    .sort((a, b) => b.containerPath.length - a.containerPath.length)[0];
  if (vol) return join(vol.hostPath, posix.relative(vol.containerPath, path));
  if ([...layout.dirs, ...layout.files].some((d) => isUnder(path, d))) return inRootfs(layout.rootfs, path);
  return hostPathInBaseView(path);
}

/**
 * Look a command up the way execvp would in the container's view; undefined when it is not
 * there. `toHost` maps a container path to the host file to check.
 */
export function findExecutable(
  command: string,
  pathEnv: string,
  workingDir = '/',
  toHost: (p: string) => string | undefined = (p) => p,
): string | undefined {
  const candidates = command.includes('/')
    ? [posix.resolve(workingDir, command)]
    : pathEnv
        .split(delimiter)
        .filter(Boolean)
        .map((d) => posix.join(d, command));
  for (const c of candidates) {
    try {
      const host = toHost(c);
      if (host === undefined) continue;
      const st = statSync(host);
      if (st.isFile() && st.mode & 0o111) return c;
    } catch {
      // not here
    }
  }
  return undefined;
}
