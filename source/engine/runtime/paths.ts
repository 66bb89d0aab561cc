import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { flat } from '../flat.ts';
import { InvalidNameError } from './errors.ts';

/** Refuse anything that is not one plain path component before it is joined into a path. */
export function checkName(what: string, value: string): string {
  if (
    typeof value !== 'string' ||
    value === '' ||
    value === '.' ||
    value === '..' ||
    value.length > 253 ||
    /[/\\\0]/.test(value)
  ) {
    throw new InvalidNameError(what, String(value));
  }
  return value;
}

/**
 * Where one container's files live: `<rootDir>/<pod-uid>/<container>/…`, and its logs beside that
 * directory, `<rootDir>/<pod-uid>/<container>.<attempt>.log` (attempt = restart count). The logs
 * are in the pod's directory so that a container's start makes two inodes (that directory and its
 * first log), not four: on ext4 each new inode costs 0.1–0.2 ms of kernel time, more while many
 * were deleted recently (`recently_deleted` skips them one by one).
 */
export interface ContainerPaths {
  dir: string;
  /** The container's filesystem: image files and private directories. */
  rootfs: string;
  /** The pod's directory: holds `logName(container, attempt)` per container instance. */
  podDir: string;
  /** Where skiff kept the logs before: `<dir>/logs/<attempt>.log`, still read (and rotated away). */
  legacyLogDir: string;
  /** pid and start time of a host process, so a restarted engine can reap it. */
  pidFile: string;
}

/** A container instance's log file name in its pod's directory. */
export function logName(container: string, attempt: number): string {
  return `${container}.${attempt}.log`;
}

export function podDir(rootDir: string, podUid: string): string {
  return join(rootDir, checkName('pod uid', podUid));
}

/** The host's shared-memory tmpfs, where `emptyDir.medium: Memory` volumes live. */
export const SHM = '/dev/shm';

/**
 * A pod's memory-backed volumes: `/dev/shm/skiff-<hash of the pod's directory>`, so that pods of
 * different engines (SKIFF_HOMEs) never share one. Removed with the pod, like its directory.
 */
export function podMemoryDir(podDirectory: string, shm = SHM): string {
  return join(shm, `skiff-${createHash('sha256').update(podDirectory).digest('hex').slice(0, 24)}`);
}

export function containerPaths(rootDir: string, podUid: string, container: string): ContainerPaths {
  const pod = podDir(rootDir, podUid);
  const dir = flat(join(pod, checkName('container name', container)));
  // `dir` is normalized and never `/`: joining with '/' is path.join's result. Array#join makes a
  // flat string (not a tree of concatenations) without interning it, which costs more.
  return {
    dir,
    rootfs: [dir, 'rootfs'].join('/'),
    podDir: pod,
    legacyLogDir: [dir, 'logs'].join('/'),
    pidFile: [dir, 'pid'].join('/'),
  };
}

/** A container path inside the rootfs (`/usr/share/nginx/html` → `<rootfs>/usr/share/nginx/html`). */
export function inRootfs(rootfs: string, containerPath: string): string {
  const parts = containerPath.split('/').filter(Boolean);
  for (const p of parts) checkName('path component', p);
  return join(rootfs, ...parts);
}

/** `path` is `dir` or inside it (container paths, absolute and normalized). */
export function isUnder(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);
}
