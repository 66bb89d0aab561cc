import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KObject } from '../../../../source/api-types/index.ts';
import { FakeClock } from '../../../../source/engine/clock.ts';
import { PodVolumes } from '../../../../source/engine/kubelet/volumes/pod-volumes.ts';
import { createRegistry } from '../../../../source/engine/resources/index.ts';
import { podMemoryDir } from '../../../../source/engine/runtime/paths.ts';
import { Store } from '../../../../source/engine/store/store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const pod: KObject = {
  metadata: { name: 'p', namespace: 'default', uid: 'u1' },
  spec: {
    containers: [{ name: 'c', volumeMounts: [{ name: 'm', mountPath: '/m' }] }],
    volumes: [{ name: 'm', emptyDir: { medium: 'Memory' } }],
  },
};

function volumes(shm: string, warnings: string[]) {
  const root = mkdtempSync(join(tmpdir(), 'skiff-vol-'));
  dirs.push(root);
  const dir = join(root, 'u1', '.volumes');
  const store = new Store(createRegistry(), new FakeClock());
  return {
    dir,
    v: new PodVolumes({
      store,
      clock: new FakeClock(),
      dir,
      hostPaths: { home: root, extraRoots: [] },
      shm,
      warn: (r, m) => warnings.push(`${r}: ${m}`),
    }),
  };
}

describe('emptyDir medium Memory', () => {
  it('lives under the tmpfs given, per pod directory', async () => {
    const shm = mkdtempSync(join(tmpdir(), 'skiff-shm-'));
    dirs.push(shm);
    const warnings: string[] = [];
    const { dir, v } = volumes(shm, warnings);
    await v.setUp(pod);
    const [m] = await v.mounts(pod, pod.spec.containers[0], {});
    expect(m!.hostPath).toBe(join(podMemoryDir(join(dir, '..'), shm), 'm'));
    expect(statSync(m!.hostPath).isDirectory()).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('falls back to the disk with a warning when the tmpfs cannot be used', async () => {
    const warnings: string[] = [];
    const notDir = join(mkdtempSync(join(tmpdir(), 'skiff-shm-')), 'file');
    dirs.push(join(notDir, '..'));
    writeFileSync(notDir, '');
    const { dir, v } = volumes(notDir, warnings);
    await v.setUp(pod);
    const [m] = await v.mounts(pod, pod.spec.containers[0], {});
    expect(m!.hostPath).toBe(join(dir, 'empty-dir', 'm'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^MemoryMediumOnDisk: emptyDir "m" asks for medium Memory, but \S+\/file is not usable here \(.+ is not a directory\): it is kept on disk$/,
    );
  });
});
