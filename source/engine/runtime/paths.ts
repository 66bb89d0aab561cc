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

/** Where one container's files live: `<rootDir>/<pod-uid>/<container>/…`. */
export interface ContainerPaths {
  dir: string;
  /** The container's filesystem: image files and private directories. */
  rootfs: string;
  /** `<attempt>.log` per container instance (attempt = restart count). */
  logDir: string;
  /** pid and start time of a host process, so a restarted engine can reap it. */
  pidFile: string;
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
  const dir = flat(join(podDir(rootDir, podUid), checkName('container name', container)));
  // `dir` is normalized and never `/`: joining with '/' is path.join's result. Array#join makes a
  // flat string (not a tree of concatenations) without interning it, which costs more.
  return {
    dir,
    rootfs: [dir, 'rootfs'].join('/'),
    logDir: [dir, 'logs'].join('/'),
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
