import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, posix } from 'node:path';
import type { ResolvedImage } from './catalog.ts';
import { inRootfs, isUnder } from './paths.ts';
import { hostPathInBaseView } from './view.ts';
import type { VolumeMount } from './sandbox.ts';
import { linkVolumes } from './volume-links.ts';

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
  /** The container's volumes: their files' `prepare` runs once before the rootfs is written (what else its view needs on disk). */
  volumes?: VolumeMount[];
  /** Without a sandbox: the volumes appear as symlinks in the rootfs (see volume-links.ts). */
  linkVolumes?: boolean;
}

/** A container filesystem whose layout is known at once and whose files are written on first use. */
export interface LazyRootfs {
  layout: RootfsLayout;
  /** Write the rootfs to disk if it is not there yet (idempotent, synchronous, a few dozen syscalls). */
  ensure(): void;
  readonly laidOut: boolean;
}

const ALWAYS_PRIVATE = ['/tmp', '/root'];

/** Where the image's files, its private directories, hosts and hostname go (no disk access but one stat). */
export function planRootfs(rootfs: string, image: ResolvedImage, workingDir: string): RootfsLayout {
  const wanted = [...ALWAYS_PRIVATE, ...image.image.paths, ...Object.keys(image.files).map((f) => posix.dirname(f))];
  // A working directory the container cannot see must exist in the sandbox: containerd creates it too.
  if (workingDir !== '/' && !existsSync(hostPathInBaseView(workingDir) ?? '/nonexistent/')) wanted.push(workingDir);
  const dirs = outermost(wanted);
  const files = ['/etc/hosts', '/etc/hostname'].filter((f) => !dirs.some((d) => isUnder(f, d)));
  const plan = shared(image, dirs, files);
  // A literal of three fields, not a spread: that one's fields went to a separate property array.
  return { rootfs, dirs: plan.dirs, files: plan.files };
}

/** The image's last plan: containers of one image share its lists (read-only) instead of a copy each. */
const plans = new WeakMap<ResolvedImage, { dirs: string[]; files: string[] }>();

function shared(image: ResolvedImage, dirs: string[], files: string[]): { dirs: string[]; files: string[] } {
  const last = plans.get(image);
  if (last && sameList(last.dirs, dirs) && sameList(last.files, files)) return last;
  const plan = { dirs, files };
  plans.set(image, plan);
  return plan;
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The rootfs of one container instance. A process container needs it before it starts; a
 * built-in one (served by the engine) only when something looks inside — exec, or nginx serving
 * its html directory — so most built-in pods never write one (about 30 mkdir/write per container).
 */
export function lazyRootfs(rootfs: string, image: ResolvedImage, opts: RootfsOptions): LazyRootfs {
  return new PlannedRootfs(planRootfs(rootfs, image, opts.workingDir), image, opts);
}

/**
 * A class rather than closures over the plan: one is kept by every running container. It keeps
 * the options as its own fields, not the caller's object (one object less a container).
 */
class PlannedRootfs implements LazyRootfs, RootfsOptions {
  laidOut = false;
  readonly hostname: string;
  readonly podIP: string;
  readonly workingDir: string;
  readonly fresh: boolean;
  readonly volumes?: VolumeMount[];
  readonly linkVolumes?: boolean;

  constructor(
    readonly layout: RootfsLayout,
    private readonly image: ResolvedImage,
    opts: RootfsOptions,
  ) {
    this.hostname = opts.hostname;
    this.podIP = opts.podIP;
    this.workingDir = opts.workingDir;
    this.fresh = opts.fresh;
    this.volumes = opts.volumes;
    this.linkVolumes = opts.linkVolumes;
  }

  ensure(): void {
    if (this.laidOut) return;
    for (const v of this.volumes ?? []) v.files?.prepare();
    writeRootfs(this.layout, this.image, this);
    this.laidOut = true;
  }
}

function writeRootfs(layout: RootfsLayout, image: ResolvedImage, opts: RootfsOptions): void {
  const { rootfs, dirs } = layout;
  if (opts.fresh) rmSync(rootfs, { recursive: true, force: true });
  mkdirSync(rootfs, { recursive: true });
  for (const d of dirs) mkdirSync(inRootfs(rootfs, d), { recursive: true });
  chmodSync(inRootfs(rootfs, '/tmp'), 0o1777);
  chmodSync(inRootfs(rootfs, '/root'), 0o700);
  const managed: Record<string, string> = {
    '/etc/hosts': hostsFile(opts.hostname, opts.podIP),
    '/etc/hostname': `${opts.hostname}\n`,
  };
  for (const [path, content] of [...Object.entries(image.files), ...Object.entries(managed)]) {
    const target = inRootfs(rootfs, path);
    if (!opts.fresh && !(path in managed) && existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content, { mode: content.startsWith('#!') ? 0o755 : 0o644 });
  }
  if (opts.linkVolumes && opts.volumes?.length) linkVolumes(rootfs, opts.volumes);
}

/** The first lines of every hosts file the kubelet writes (here and in kubelet/pod-dns.ts). */
export const HOSTS_HEADER: readonly string[] = [
  '# Kubernetes-managed hosts file.',
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'fe00::0\tip6-mcastprefix',
  'fe00::1\tip6-allnodes',
  'fe00::2\tip6-allrouters',
];

function hostsFile(hostname: string, podIP: string): string {
  return [...HOSTS_HEADER, `${podIP}\t${hostname}`, ''].join('\n');
}

/** Drop duplicates and directories inside another one of the list; `/` itself is never private. */
function outermost(paths: string[]): string[] {
  const sorted = [...new Set(paths)].filter((p) => p !== '/').sort();
  return sorted.filter((p) => !sorted.some((q) => q !== p && isUnder(p, q)));
}
