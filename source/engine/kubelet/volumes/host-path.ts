import { existsSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Where hostPath volumes may point: `$SKIFF_HOME/hostpath` and `$SKIFF_HOME/volumes` (never the
 * engine's own keys, database or pods), plus roots the user opted into.
 */
export interface HostPathPolicy {
  home: string;
  /** Extra allowed roots (`SKIFF_HOSTPATH_ROOTS`, `:`-separated). */
  extraRoots: string[];
}

/** Never, whatever the user allows: the host's root and its system directories. */
const SYSTEM = [
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/sys',
  '/usr',
  '/var',
  '/var/run',
  '/var/lib',
];
const SYSTEM_TREES = [
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/etc',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/usr',
  '/run',
  '/var/run',
];

export function hostPathPolicy(home: string, env: NodeJS.ProcessEnv = process.env): HostPathPolicy {
  const extraRoots = (env.SKIFF_HOSTPATH_ROOTS ?? '').split(':').filter((r) => r.startsWith('/'));
  return { home, extraRoots };
}

function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** The real path, resolving symlinks of the part that exists (a symlink must not lead out). */
function real(path: string): string {
  let p = resolve(path);
  const rest: string[] = [];
  while (!existsSync(p) && p !== dirname(p)) {
    rest.unshift(p.slice(dirname(p).length).replace(/^\//, ''));
    p = dirname(p);
  }
  const base = realpathSync(p);
  return rest.length ? resolve(base, ...rest) : base;
}

/** Why `path` may not be mounted, or undefined when it may. */
export function refuseHostPath(policy: HostPathPolicy, path: string): string | undefined {
  if (!path.startsWith('/')) return `hostPath "${path}" must be an absolute path`;
  const p = real(path);
  if (SYSTEM.includes(p) || SYSTEM_TREES.some((t) => under(p, t))) {
    return `hostPath "${path}" is a system path of the host: skiff never mounts it into a pod`;
  }
  const roots = [join(policy.home, 'hostpath'), join(policy.home, 'volumes'), ...policy.extraRoots].map((r) =>
    existsSync(r) ? realpathSync(r) : resolve(r),
  );
  if (roots.some((r) => under(p, r))) return undefined;
  return `hostPath "${path}" is outside the allowed roots (${roots.join(', ')}); set SKIFF_HOSTPATH_ROOTS to allow more`;
}
