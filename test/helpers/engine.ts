import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine, type EngineOptions } from '../../source/engine/engine.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

/**
 * The bundled topology with podCIDRs and the service CIDR moved to ranges picked at random, so
 * engines of tests running side by side never hand out the same pod IP or ClusterIP (node IPs
 * stay 127.0.1.x as documented).
 */
function ownAddresses(yaml: string): string {
  let third = 16 + Math.floor(Math.random() * 200);
  const second = 97 + Math.floor(Math.random() * 60);
  return yaml
    .replace(/podCIDR: 127\.244\.\d+\.0\/24/g, () => `podCIDR: 127.244.${third++}.0/24`)
    .replace(/serviceCIDR: 127\.96\.0\.0\/16/, `serviceCIDR: 127.${second}.0.0/16`)
    .replace(
      /loadBalancerCIDR: 127\.200\.0\.0\/24/,
      `loadBalancerCIDR: 127.200.${Math.floor(Math.random() * 250)}.0/24`,
    );
}

export const KUBECTL = process.env.SKIFF_KUBECTL ?? '/usr/bin/kubectl';

export interface TestEngine {
  engine: Engine;
  home: string;
  /** A fresh HOME for kubectl so its discovery cache never leaks between runs. */
  kubeHome: string;
  kubectl(
    args: string[],
    opts?: { input?: string; reject?: boolean; bin?: string; timeout?: number },
  ): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  stop(): Promise<void>;
}

/**
 * Start a real engine in this process on a random loopback port in a temporary SKIFF_HOME,
 * with delays scaled down, and a kubectl bound to it.
 */
export async function startTestEngine(opts: Partial<EngineOptions> = {}): Promise<TestEngine> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'skiff-test-'));
  if (!opts.home)
    writeFileSync(join(home, 'cluster.yaml'), ownAddresses(readFileSync(join(FIXTURES, 'cluster.yaml'), 'utf8')));
  const kubeHome = mkdtempSync(join(tmpdir(), 'skiff-kubehome-'));
  const engine = await startEngine({ home, port: 0, timeScale: 0.05, log: () => {}, ...opts });
  return {
    engine,
    home,
    kubeHome,
    async kubectl(args, o = {}) {
      const r = await execa(o.bin ?? KUBECTL, args, {
        env: { HOME: kubeHome, KUBECONFIG: engine.kubeconfigPath, PATH: process.env.PATH },
        extendEnv: false,
        input: o.input,
        reject: false,
        timeout: o.timeout ?? 60_000,
      });
      const out = { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
      if (o.reject !== false && out.exitCode !== 0) {
        throw new Error(`kubectl ${args.join(' ')} failed (${out.exitCode}):\n${out.stderr}\n${out.stdout}`);
      }
      return out;
    },
    async stop() {
      await engine.stop();
      rmSync(home, { recursive: true, force: true });
      rmSync(kubeHome, { recursive: true, force: true });
    },
  };
}

/** Poll until `fn` returns a truthy value (or throw with the last error after `timeoutMs`). */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
