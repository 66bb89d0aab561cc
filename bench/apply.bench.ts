// Server-side apply vs client-side apply of 1,000 objects with the real kubectl, same engine, same run.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../source/engine/engine.ts';
import { summarize, type Figure } from './lib.ts';

const N = 1000;
const ROUNDS = 3;
const KUBECTL = process.env.SKIFF_KUBECTL ?? '/usr/bin/kubectl';

function manifest(ns: string): string {
  const docs = [`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`];
  for (let i = 0; i < N; i++) {
    docs.push(
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, namespace: ${ns}, labels: {app: bench, index: "${i}"}}\ndata: {key: value-${i}, other: "${'x'.repeat(64)}"}\n`,
    );
  }
  return docs.join('---\n');
}

export async function run(): Promise<Figure[]> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-apply-'));
  const kubeHome = mkdtempSync(join(tmpdir(), 'skiff-bench-apply-kube-'));
  const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
  const env = { HOME: kubeHome, KUBECONFIG: e.kubeconfigPath, PATH: process.env.PATH ?? '' };
  const ssa: number[] = [];
  const csa: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of ['server', 'client'] as const) {
        const ns = `bench-${mode}-${round}`;
        const file = join(home, `${ns}.yaml`);
        writeFileSync(file, manifest(ns));
        const args = mode === 'server' ? ['apply', '--server-side', '-f', file] : ['apply', '-f', file];
        const t0 = performance.now();
        await execa(KUBECTL, args, { env, extendEnv: false });
        const rate = N / ((performance.now() - t0) / 1000);
        (mode === 'server' ? ssa : csa).push(Math.round(rate));
      }
    }
  } finally {
    await e.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(kubeHome, { recursive: true, force: true });
  }
  const s = summarize(`kubectl apply --server-side, ${N} ConfigMaps (create)`, 'objects/s', ssa);
  const c = summarize(`kubectl apply (client-side), ${N} ConfigMaps (create)`, 'objects/s', csa);
  return [s, c];
}
