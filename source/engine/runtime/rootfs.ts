import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import type { ResolvedImage } from './catalog.ts';
import { inRootfs, isUnder } from './paths.ts';

/** What a container sees of its own filesystem, ready to be bind-mounted by the sandbox. */
export interface RootfsLayout {
  rootfs: string;
  /** Container directories backed by the rootfs, writable and private (outermost only). */
  dirs: string[];
  /** Single files backed by the rootfs and bound over the host's (`/etc/hosts`, `/etc/hostname`). */
  files: string[];
}

export interface RootfsOptions {
  hostname: string;
  podIP: string;
  workingDir: string;
  /** Start from the image again (a new container instance) rather than keep earlier writes. */
  fresh: boolean;
}

const ALWAYS_PRIVATE = ['/tmp', '/root'];

/** Lay out `rootfs` from the image: its files, its private directories, hosts and hostname. */
export async function layoutRootfs(rootfs: string, image: ResolvedImage, opts: RootfsOptions): Promise<RootfsLayout> {
  const wanted = [...ALWAYS_PRIVATE, ...image.image.paths, ...Object.keys(image.files).map((f) => posix.dirname(f))];
  // A working directory the host lacks must exist in the sandbox: containerd creates it too.
  if (opts.workingDir !== '/' && !existsSync(opts.workingDir)) wanted.push(opts.workingDir);
  const dirs = outermost(wanted);
  const files = ['/etc/hosts', '/etc/hostname'].filter((f) => !dirs.some((d) => isUnder(f, d)));

  if (opts.fresh) await rm(rootfs, { recursive: true, force: true });
  await mkdir(rootfs, { recursive: true });
  for (const d of dirs) await mkdir(inRootfs(rootfs, d), { recursive: true });
  await chmod(inRootfs(rootfs, '/tmp'), 0o1777);
  await chmod(inRootfs(rootfs, '/root'), 0o700);
  const managed: Record<string, string> = {
    '/etc/hosts': hostsFile(opts.hostname, opts.podIP),
    '/etc/hostname': `${opts.hostname}\n`,
  };
  for (const [path, content] of [...Object.entries(image.files), ...Object.entries(managed)]) {
    const target = inRootfs(rootfs, path);
    if (!opts.fresh && !(path in managed) && existsSync(target)) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  return { rootfs, dirs, files };
}

function hostsFile(hostname: string, podIP: string): string {
  return [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
    `${podIP}\t${hostname}`,
    '',
  ].join('\n');
}

/** Drop duplicates and directories inside another one of the list; `/` itself is never private. */
function outermost(paths: string[]): string[] {
  const sorted = [...new Set(paths)].filter((p) => p !== '/').sort();
  return sorted.filter((p) => !sorted.some((q) => q !== p && isUnder(p, q)));
}
