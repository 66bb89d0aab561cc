import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RootfsLayout } from '../../../source/engine/runtime/rootfs.ts';
import { bwrapArgs, findExecutable, hostPathOf } from '../../../source/engine/runtime/sandbox.ts';

const layout: RootfsLayout = {
  rootfs: '/pods/u/c/rootfs',
  dirs: ['/etc/nginx', '/root', '/tmp', '/usr/share/nginx/html'],
  files: ['/etc/hosts', '/etc/hostname'],
};

/** The argument list as one string, to look for consecutive arguments in it. */
const ops = (args: string[]) => args.join(' ');

describe('bwrapArgs', () => {
  it('binds the host read-only and the rootfs paths writable, with hostname and pid namespace', () => {
    const args = bwrapArgs({ layout, hostname: 'my-pod', workingDir: '/', pidNamespace: true });
    const o = ops(args);
    expect(args.slice(0, 3)).toEqual(['--ro-bind', '/', '/']);
    expect(o).toContain('--bind /pods/u/c/rootfs/usr/share/nginx/html /usr/share/nginx/html');
    expect(o).toContain('--bind /pods/u/c/rootfs/tmp /tmp');
    expect(o).toContain('--bind /pods/u/c/rootfs/etc/hosts /etc/hosts');
    expect(o).toContain('--hostname my-pod');
    expect(args).toContain('--unshare-pid');
    expect(args).toContain('--unshare-uts');
    expect(args).toContain('--die-with-parent');
    expect(args).not.toContain('--unshare-net');
  });

  it('shadows the deepest existing parent of a mount point the host lacks, then makes it read-only', () => {
    if (existsSync('/usr/share/nginx') || existsSync('/etc/nginx')) return; // host has nginx: nothing to shadow
    const args = bwrapArgs({ layout, hostname: 'p', workingDir: '/', pidNamespace: false });
    const o = ops(args);
    expect(o).toContain('--tmpfs /usr/share');
    expect(o).toContain('--tmpfs /etc');
    expect(o).toContain('--ro-bind-try /etc/passwd /etc/passwd');
    expect(o).toContain('--remount-ro /usr/share');
    expect(args.indexOf('--tmpfs')).toBeLessThan(args.indexOf('/pods/u/c/rootfs/usr/share/nginx/html'));
    expect(args).not.toContain('--unshare-pid');
  });

  it('builds the root entry by entry when a top-level directory is new', () => {
    const args = bwrapArgs({ layout: { ...layout, dirs: [...layout.dirs, '/skiff-app-dir'] }, hostname: 'p', workingDir: '/skiff-app-dir', pidNamespace: true });
    expect(args.slice(0, 3)).not.toEqual(['--ro-bind', '/', '/']);
    expect(ops(args)).toContain('--ro-bind-try /usr /usr');
    expect(ops(args)).toContain('--chdir /skiff-app-dir');
  });
});

describe('paths in the container view', () => {
  it('maps rootfs and volume paths to the host', () => {
    expect(hostPathOf('/usr/share/nginx/html/index.html', layout)).toBe('/pods/u/c/rootfs/usr/share/nginx/html/index.html');
    expect(hostPathOf('/bin/sh', layout)).toBe('/bin/sh');
    expect(hostPathOf('/data/x', layout, [{ hostPath: '/vol/1', containerPath: '/data' }])).toBe('/vol/1/x');
  });

  it('finds executables like execvp', () => {
    expect(findExecutable('sh', '/nonexistent:/usr/bin:/bin')).toMatch(/\/sh$/);
    expect(findExecutable('no-such-thing', '/usr/bin:/bin')).toBeUndefined();
    expect(findExecutable('/usr/share/nginx/html/run.sh', '', '/', (p) => p)).toBeUndefined();
  });
});
