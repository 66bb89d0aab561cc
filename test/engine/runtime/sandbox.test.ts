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
  it('builds the view from an allow-list, binds the rootfs paths writable, own hostname and namespaces', () => {
    const { args } = bwrapArgs({ layout, hostname: 'my-pod', workingDir: '/', pidNamespace: true, userns: true });
    const o = ops(args);
    expect(o).not.toContain('--ro-bind / /');
    expect(o).toMatch(/--ro-bind \/usr(\/bin)? \/usr/);
    expect(o).toContain('--bind /pods/u/c/rootfs/usr/share/nginx/html /usr/share/nginx/html');
    expect(o).toContain('--bind /pods/u/c/rootfs/tmp /tmp');
    expect(o).toContain('--bind /pods/u/c/rootfs/etc/hosts /etc/hosts');
    expect(o).toContain('--hostname my-pod');
    expect(o).toContain('--remount-ro /');
    expect(o).toContain('--unshare-user --uid 0 --gid 0 --cap-drop ALL --cap-add CAP_CHOWN');
    for (const flag of ['--unshare-pid', '--unshare-uts', '--unshare-ipc', '--die-with-parent'])
      expect(args).toContain(flag);
    expect(args).not.toContain('--unshare-net');
    for (const hidden of [
      '/home',
      '/root',
      '/run',
      '/var',
      '/opt',
      '/etc/shadow',
      '/etc/gshadow',
      '/etc/sudoers',
      '/etc/ssl/private',
    ]) {
      // never a source of a bind
      expect(
        args.filter((a, i) => /^--(ro-)?bind/.test(args[i - 1] ?? '') && (a === hidden || a.startsWith(`${hidden}/`))),
      ).toEqual([]);
    }
  });

  it('makes room for a mount point the host lacks inside a system directory', () => {
    if (existsSync('/usr/share/nginx')) return; // host has nginx: nothing to make room for
    const { args } = bwrapArgs({ layout, hostname: 'p', workingDir: '/', pidNamespace: false });
    const o = ops(args);
    expect(o).toContain('--dir /usr/share');
    expect(o).toContain('--ro-bind /usr/bin /usr/bin');
    expect(o).not.toContain('--ro-bind /usr /usr');
    expect(args.indexOf('--dir')).toBeLessThan(args.indexOf('/pods/u/c/rootfs/usr/share/nginx/html'));
    expect(args).not.toContain('--unshare-pid');
  });

  it('lets a volume over an /etc file win over the filtered /etc and the rootfs', () => {
    const { args } = bwrapArgs({
      layout,
      hostname: 'p',
      workingDir: '/',
      pidNamespace: true,
      volumes: [
        { hostPath: '/pods/u/volumes/resolv.conf', containerPath: '/etc/resolv.conf', readOnly: true },
        { hostPath: '/pods/u/volumes/hosts', containerPath: '/etc/hosts' },
      ],
    });
    const o = ops(args);
    expect(o).not.toContain('--ro-bind /etc/resolv.conf /etc/resolv.conf');
    expect(o).toContain('--ro-bind /pods/u/volumes/resolv.conf /etc/resolv.conf');
    expect(o.lastIndexOf('/etc/hosts')).toBe(
      o.indexOf('--bind /pods/u/volumes/hosts /etc/hosts') + '--bind /pods/u/volumes/hosts '.length,
    );
  });

  it('readOnlyRootFilesystem binds the rootfs read-only; privileges follow the securityContext', () => {
    const { args } = bwrapArgs({
      layout,
      hostname: 'p',
      workingDir: '/',
      pidNamespace: true,
      userns: true,
      security: { readOnlyRootFilesystem: true, runAsUser: 1000, capabilities: { add: ['NET_ADMIN'] } },
    });
    const o = ops(args);
    expect(o).toContain('--ro-bind /pods/u/c/rootfs/tmp /tmp');
    expect(o).toContain('--uid 1000 --gid 1000 --cap-drop ALL --unshare-pid');
  });
});

describe('paths in the container view', () => {
  it('maps rootfs and volume paths to the host', () => {
    expect(hostPathOf('/usr/share/nginx/html/index.html', layout)).toBe(
      '/pods/u/c/rootfs/usr/share/nginx/html/index.html',
    );
    expect(hostPathOf('/bin/sh', layout)).toBe('/bin/sh');
    expect(hostPathOf('/data/x', layout, [{ hostPath: '/vol/1', containerPath: '/data' }])).toBe('/vol/1/x');
  });

  it('finds executables like execvp', () => {
    expect(findExecutable('sh', '/nonexistent:/usr/bin:/bin')).toMatch(/\/sh$/);
    expect(findExecutable('no-such-thing', '/usr/bin:/bin')).toBeUndefined();
    expect(findExecutable('/usr/share/nginx/html/run.sh', '', '/', (p) => p)).toBeUndefined();
  });
});
