import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import { isUnder } from './paths.ts';

/**
 * A container's filesystem view, built from an allow-list rather than the host's `/`: the system
 * directories a program needs, read-only; a filtered `/etc`; then the container's own binds
 * (rootfs paths, volumes). Everything else of the host ($SKIFF_HOME, $HOME, /root, /home, /run,
 * /var, /opt, /srv, /mnt, /media, other pods) is simply not there.
 */

/** Host top-level entries shown read-only (symlinks such as /bin → usr/bin are recreated). */
export const SYSTEM_ROOTS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/**
 * Entries of /etc never shown, whatever their mode. Besides these, anything under /etc that
 * others may not read (shadow, sudoers, ssh host keys, ssl/private, …) is left out too: a
 * root-only file there is a secret by convention.
 */
const ETC_DENY = [
  /^shadow-?$/,
  /^gshadow-?$/,
  /^sudoers(\.d)?$/,
  /^ssh\/ssh_host_.*key$/,
  /^ssl\/private$/,
  /^security\/opasswd$/,
  /^kubernetes$/,
  /^krb5\.keytab$/,
];

/** One node of the view: a directory of the sandbox's own read-only tmpfs, a host bind, or a symlink. */
interface DirNode {
  kind: 'dir';
  children: Map<string, Node>;
}
type Node =
  DirNode | { kind: 'host'; hostPath: string; isDir: boolean; masks?: Mask[] } | { kind: 'symlink'; target: string };

/** A denied entry below a bound /etc directory, covered up (a file by /dev/null, a directory by an empty tmpfs). */
interface Mask {
  path: string;
  isDir: boolean;
}

/** A bind of the container's own (rootfs path or volume) laid over the base view. */
export interface ViewBind {
  flag: '--bind' | '--ro-bind';
  src: string;
  dest: string;
}

let base: Map<string, Node> | undefined;

/** The base view's top level, scanned once per process (the host's /etc rarely changes). */
function baseView(): Map<string, Node> {
  if (base) return base;
  const top = new Map<string, Node>();
  for (const root of SYSTEM_ROOTS) {
    const st = lstatOrUndefined(root);
    if (!st) continue;
    const name = root.slice(1);
    if (st.isSymbolicLink()) top.set(name, { kind: 'symlink', target: readlinkSync(root) });
    else if (st.isDirectory()) top.set(name, { kind: 'host', hostPath: root, isDir: true });
  }
  top.set('etc', maskedEtc('/etc'));
  base = top;
  return top;
}

/** Forget the scanned /etc (tests change it). */
export function resetBaseView(): void {
  base = undefined;
}

function etcDenied(rel: string, st: Stats): boolean {
  if (ETC_DENY.some((re) => re.test(rel))) return true;
  return !st.isSymbolicLink() && (st.mode & 0o004) === 0;
}

/** `/etc/<rel>` of a host path under /etc ('' for /etc itself). */
function etcRel(hostPath: string): string {
  return posix.relative('/etc', hostPath);
}

/**
 * /etc bound whole with its denied entries covered up: few mounts, so containers start fast.
 * A container that may unmount (CAP_SYS_ADMIN) gets the strict form instead, see strictDir.
 */
function maskedEtc(hostDir: string): Node {
  const masks: Mask[] = [];
  const walk = (dir: string) => {
    for (const name of safeReaddir(dir)) {
      const path = posix.join(dir, name);
      const st = lstatOrUndefined(path);
      if (!st) continue;
      // A denied symlink is left alone: what it points to is under the view's own rules.
      if (etcDenied(etcRel(path), st)) {
        if (!st.isSymbolicLink()) masks.push({ path, isDir: st.isDirectory() });
      } else if (st.isDirectory()) walk(path);
    }
  };
  walk(hostDir);
  return { kind: 'host', hostPath: hostDir, isDir: true, masks };
}

/**
 * A host directory under /etc rebuilt entry by entry without its denied entries (nothing to
 * unmount to see them): bound whole when nothing below it is denied.
 */
function strictDir(hostDir: string): Node {
  const children = new Map<string, Node>();
  let clean = true;
  for (const name of safeReaddir(hostDir)) {
    const path = posix.join(hostDir, name);
    const st = lstatOrUndefined(path);
    if (!st) continue;
    if (etcDenied(etcRel(path), st)) {
      clean = false;
      continue;
    }
    if (st.isSymbolicLink()) children.set(name, { kind: 'symlink', target: readlinkSync(path) });
    else if (st.isDirectory()) {
      const child = strictDir(path);
      if (child.kind === 'dir') clean = false;
      children.set(name, child);
    } else children.set(name, { kind: 'host', hostPath: path, isDir: false });
  }
  return clean && hostDir !== '/etc' ? { kind: 'host', hostPath: hostDir, isDir: true } : { kind: 'dir', children };
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function cloneDir(children: Map<string, Node>): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const [k, v] of children) out.set(k, v.kind === 'dir' ? { kind: 'dir', children: cloneDir(v.children) } : v);
  return out;
}

/** A host directory turned into a directory of the view, its entries bound back one by one. */
function expand(hostPath: string): DirNode {
  const children = new Map<string, Node>();
  for (const name of safeReaddir(hostPath)) {
    const path = posix.join(hostPath, name);
    const st = lstatOrUndefined(path);
    if (!st) continue;
    children.set(
      name,
      st.isSymbolicLink()
        ? { kind: 'symlink', target: readlinkSync(path) }
        : { kind: 'host', hostPath: path, isDir: st.isDirectory() },
    );
  }
  return { kind: 'dir', children };
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * Make room for a bind at `dest`: host entries on its way that lack the mount point become
 * directories of the view (a read-only host mount cannot get a new mount point), and a host
 * entry at `dest` itself is dropped (the bind replaces it; a symlink there would be followed).
 */
function makeRoom(root: Map<string, Node>, dest: string): void {
  const parts = dest.split('/').filter(Boolean);
  let dir = root;
  for (let i = 0; i < parts.length; i++) {
    const name = parts[i]!;
    const node = dir.get(name);
    const last = i === parts.length - 1;
    if (!node) return; // created in the view's own tmpfs
    if (last) {
      if (node.kind !== 'dir') dir.delete(name);
      return;
    }
    if (node.kind === 'symlink') {
      dir.delete(name);
      return;
    }
    if (node.kind === 'host') {
      const rest = posix.join(node.hostPath, ...parts.slice(i + 1));
      const st = lstatOrUndefined(rest);
      if (st && !st.isSymbolicLink() && !node.masks?.some((m) => isUnder(rest, m.path))) return; // the mount point exists
      if (node.masks?.length) {
        const strict = strictDir(node.hostPath);
        dir.set(name, strict);
        if (strict.kind !== 'dir') return;
        dir = strict.children;
        continue;
      }
      const expanded: DirNode = node.isDir ? expand(node.hostPath) : { kind: 'dir', children: new Map<string, Node>() };
      dir.set(name, expanded);
      dir = expanded.children;
      continue;
    }
    dir = node.children;
  }
}

/**
 * bwrap arguments for the filesystem: the view's own tree, /proc and /dev, the container's binds
 * (outer before inner; a later bind of the same path wins), then the view's root made read-only.
 */
export function viewArgs(binds: ViewBind[], strict = false): string[] {
  const root = cloneDir(baseView());
  const ordered = binds.map((b, i) => ({ b, i })).sort((x, y) => depth(x.b.dest) - depth(y.b.dest) || x.i - y.i);
  for (const { b } of ordered) {
    // Inside another bind of the container the mount point is made in that bind's own directory.
    if (ordered.some((o) => o.b !== b && o.b.dest !== b.dest && isUnder(b.dest, o.b.dest))) continue;
    makeRoom(root, b.dest);
  }
  const args: string[] = [];
  emit(root, '/', args, strict);
  args.push('--proc', '/proc', '--dev', '/dev');
  for (const { b } of ordered) args.push(b.flag, b.src, b.dest);
  args.push('--remount-ro', '/');
  return args;
}

function emit(children: Map<string, Node>, at: string, out: string[], strict: boolean): void {
  for (const [name, node] of [...children].sort(([a], [b]) => a.localeCompare(b))) {
    const path = posix.join(at, name);
    if (path === '/proc' || path === '/dev') continue;
    if (node.kind === 'symlink') out.push('--symlink', node.target, path);
    else if (node.kind === 'host' && node.masks?.length && strict) {
      const rebuilt = strictDir(node.hostPath);
      emit(new Map([[name, rebuilt]]), at, out, strict);
    } else if (node.kind === 'host') {
      out.push('--ro-bind', node.hostPath, path);
      for (const m of node.masks ?? []) {
        const inView = posix.join(path, posix.relative(node.hostPath, m.path));
        if (m.isDir) out.push('--tmpfs', inView, '--remount-ro', inView);
        else out.push('--ro-bind', '/dev/null', inView);
      }
    } else {
      out.push('--dir', path);
      emit(node.children, path, out, strict);
    }
  }
}

function depth(path: string): number {
  return path.split('/').filter(Boolean).length;
}

/**
 * Where a path of the base view (no container binds) lives on the host, or undefined when the
 * container cannot see it. Symlinks of the view are followed (relative to their directory).
 */
export function hostPathInBaseView(path: string, hops = 0): string | undefined {
  const parts = path.split('/').filter(Boolean);
  let dir = baseView();
  for (let i = 0; i < parts.length; i++) {
    const node = dir.get(parts[i]!);
    if (!node) return undefined;
    const rest = parts.slice(i + 1);
    if (node.kind === 'host') return posix.join(node.hostPath, ...rest);
    if (node.kind === 'symlink') {
      if (hops > 8) return undefined;
      const at = '/' + parts.slice(0, i).join('/');
      return hostPathInBaseView(posix.resolve(at, node.target, ...rest), hops + 1);
    }
    dir = node.children;
  }
  return posix.join('/', ...parts);
}
