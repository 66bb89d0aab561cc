import { lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { inRootfs } from './paths.ts';
import type { VolumeMount } from './sandbox.ts';

/**
 * Without a sandbox nothing can be bound: each volume appears in the container's directory tree
 * as a symlink at its mount path (`<rootfs>/etc/config` → the volume's host directory), which is
 * what the container's working directory and `hostPathOf` see.
 */
export function linkVolumes(rootfs: string, volumes: VolumeMount[]): void {
  for (const v of volumes) {
    const at = inRootfs(rootfs, v.containerPath);
    if (at === rootfs) continue;
    let exists = true;
    try {
      lstatSync(at);
    } catch {
      exists = false;
    }
    if (exists) rmSync(at, { recursive: true, force: true });
    mkdirSync(dirname(at), { recursive: true });
    symlinkSync(v.hostPath, at);
  }
}
