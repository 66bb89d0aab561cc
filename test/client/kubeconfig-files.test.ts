import { execa } from 'execa';
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeconfigFiles, mergeKubeconfigFiles } from '../../source/client/kubeconfig-files.ts';
import { listContexts, loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { connect } from '../../source/client/session.ts';
import { KUBECTL, startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { writeSplitKubeconfig, type SplitKubeconfig } from '../helpers/split-kubeconfig.ts';

let t: TestEngine;
let split: SplitKubeconfig;

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  split = writeSplitKubeconfig(t.engine.url, t.engine.token, t.engine.caCert);
}, 60_000);
afterAll(async () => {
  await t?.stop();
  if (split) rmSync(split.dir, { recursive: true, force: true });
});

const kubectl = (args: string[]) =>
  execa(KUBECTL, args, { env: { HOME: t.kubeHome, KUBECONFIG: split.env, PATH: process.env.PATH }, extendEnv: false });

describe('several kubeconfig files in $KUBECONFIG', () => {
  it('merges like kubectl: same contexts, same current-context, the first file wins duplicate names, a missing file is skipped', async () => {
    const files = kubeconfigFiles(undefined, { KUBECONFIG: `${split.env}::${split.first}` });
    expect(files).toEqual([split.first, split.missing, split.second]);
    const kc = loadKubeConfig({ paths: files });
    const ours = listContexts(kc);

    expect(kc.getCurrentContext()).toBe((await kubectl(['config', 'current-context'])).stdout.trim());
    const theirs = (await kubectl(['config', 'get-contexts', '-o', 'name'])).stdout.trim().split('\n').sort();
    expect(ours.map((c) => c.name).sort()).toEqual(theirs);
    expect(ours.find((c) => c.name === 'kubernetes-admin@kubernetes')).toMatchObject({
      server: t.engine.url,
      current: true,
      namespace: undefined,
    });
    expect(ours.find((c) => c.name === 'staging')).toMatchObject({ server: 'https://127.0.0.1:2', namespace: 'web' });

    // kubectl reaches the engine with the same merged view; so does the client (relative CA path, first user's token).
    expect((await kubectl(['get', 'ns', 'default', '-o', 'name'])).stdout.trim()).toBe('namespace/default');
    const s = await connect(kc, { timeoutMs: 20_000 });
    try {
      expect(s.context.name).toBe('kubernetes-admin@kubernetes');
      expect(
        s
          .contexts()
          .map((c) => c.name)
          .sort(),
      ).toEqual(theirs);
    } finally {
      s.close();
    }
  }, 60_000);

  it('$KUBECONFIG from the environment; --kubeconfig names one file, which must exist', () => {
    const saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = split.env;
    try {
      expect(loadKubeConfig({}).getCurrentContext()).toBe('kubernetes-admin@kubernetes');
      expect(loadKubeConfig({ context: 'staging' }).getCurrentCluster()?.server).toBe('https://127.0.0.1:2');
      expect(loadKubeConfig({ path: split.second }).getCurrentContext()).toBe('staging');
      expect(() => loadKubeConfig({ path: split.missing })).toThrow(/no such file/);
      expect(() => loadKubeConfig({ context: 'nope' })).toThrow(/context "nope" not found/);
    } finally {
      if (saved === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = saved;
    }
  });

  it('a broken file fails a --kubeconfig/$KUBECONFIG load as in kubectl, but not the local engine’s merged list', () => {
    const broken = `${split.dir}/broken.conf`;
    writeFileSync(broken, 'clusters: [oops\n');
    expect(() => mergeKubeconfigFiles([split.first, broken])).toThrow(/error loading kubeconfig .*broken\.conf/);
    expect(loadKubeConfig({ paths: [split.first, broken] }).getCurrentContext()).toBe('kubernetes-admin@kubernetes');
  });

  it('the second file alone still has its own entries (nothing leaks across loads)', () => {
    const kc = mergeKubeconfigFiles([split.second, split.first]);
    expect(kc.getCurrentContext()).toBe('staging');
    expect(kc.getCluster('kubernetes')?.server).toBe('https://127.0.0.1:1');
  });
});
