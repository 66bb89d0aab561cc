/**
 * One walkthrough document as a test suite: its `sh` blocks run in order, with bash and the real
 * kubectl, against a fresh engine, and its Chinese translation must carry the same commands.
 * Conventions: test/docs/blocks.ts. Used by walkthrough.test.ts (the tutorial) and
 * chapters.test.ts (every docs/walkthrough-<topic>.md).
 *
 * SKIFF_WALKTHROUGH_KEEP_GOING=1 runs every block even after one failed (to see all failures);
 * SKIFF_WALKTHROUGH_BLOCK_TIMEOUT=SECONDS changes the time one block may take (default 180);
 * SKIFF_WALKTHROUGH_OUTPUT=DIR saves each block's output as DIR/<doc>/block-N.txt (to refresh the
 * sample outputs in the docs).
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { acquireHostLock } from '../helpers/host-lock.ts';
import { blockTitle, commandsOf, shellBlocks, type ShellBlock } from './blocks.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
const BLOCK_TIMEOUT_MS = Number(process.env.SKIFF_WALKTHROUGH_BLOCK_TIMEOUT ?? 180) * 1000;
const KEEP_GOING = !!process.env.SKIFF_WALKTHROUGH_KEEP_GOING;
const OUTPUT_DIR = process.env.SKIFF_WALKTHROUGH_OUTPUT;

/**
 * Runs one block: restores the previous blocks' variables and working directory, runs the block
 * with errexit and pipefail, saves variables and directory for the next one.
 */
const RUNNER = `
__skiff_base=" $(compgen -v | tr '\\n' ' ') "
source "$SKIFF_DOC_STATE/vars.sh"
cd "$(cat "$SKIFF_DOC_STATE/cwd")"
set -eo pipefail
source "$1"
set +eo pipefail
pwd > "$SKIFF_DOC_STATE/cwd"
for __skiff_v in $(compgen -v); do
  case "$__skiff_base" in *" $__skiff_v "*) continue ;; esac
  case "$__skiff_v" in __skiff_*) continue ;; esac
  declare -p "$__skiff_v"
done > "$SKIFF_DOC_STATE/vars.sh"
`;

/** Whether this process (and so an engine it starts) may listen on port 81. */
function canBindLowPorts(): boolean {
  if (process.getuid?.() === 0) return true;
  const sysctl = '/proc/sys/net/ipv4/ip_unprivileged_port_start';
  return existsSync(sysctl) && Number(readFileSync(sysctl, 'utf8').trim()) <= 81;
}

/** The topology with each node's podCIDR moved to a random /24 of 127.244.16.0–127.244.255.0. */
function ownPodCIDRs(yaml: string): string {
  let third = 16 + Math.floor(Math.random() * 200);
  const out = yaml
    .replace(/podCIDR: 127\.244\.\d+\.0\/24/g, () => `podCIDR: 127.244.${third++}.0/24`)
    // The ingress controller's address too: documents running side by side each get their own.
    .replace(
      /loadBalancerCIDR: 127\.200\.0\.0\/24/,
      `loadBalancerCIDR: 127.200.${1 + Math.floor(Math.random() * 250)}.0/24`,
    );
  if (out === yaml) throw new Error('fixtures/cluster.yaml: no `podCIDR: 127.244.N.0/24` lines to move');
  return out;
}

export interface WalkthroughOptions {
  /** The English document; its translation is the same name with `.zh-CN.md`. */
  doc: string;
  /** At least this many shell blocks (a document that lost its blocks must not pass by running none). */
  minBlocks: number;
  /** Host-wide locks the document needs (e.g. `nodeport-32600` for a fixed NodePort). */
  hostLocks?: string[];
}

/** The `describe` blocks for one walkthrough document. */
export function walkthroughSuite({ doc, minBlocks, hostLocks = [] }: WalkthroughOptions): void {
  const en = doc;
  const zh = doc.replace(/\.md$/, '.zh-CN.md');
  const name = relative(ROOT, en);

  describe(relative(ROOT, zh), () => {
    it(`has the same shell blocks, flags and expectations as ${name}`, () => {
      const shape = (b: ShellBlock) => ({ flags: b.flags.join(' '), commands: commandsOf(b), expect: b.expect });
      const enBlocks = shellBlocks(readFileSync(en, 'utf8'));
      const zhBlocks = shellBlocks(readFileSync(zh, 'utf8'));
      expect(enBlocks.length).toBeGreaterThanOrEqual(minBlocks);
      expect(zhBlocks.map(shape)).toEqual(enBlocks.map(shape));
    });
  });

  describe(`${name} against a fresh engine`, () => {
    const blocks = shellBlocks(readFileSync(en, 'utf8')).filter((b) => b.runnable);
    let t: TestEngine;
    let dir: string;
    let env: Record<string, string>;
    let failed: string | undefined;
    const releases: (() => void)[] = [];

    beforeAll(async () => {
      for (const lock of hostLocks) releases.push(await acquireHostLock(lock));
      dir = mkdtempSync(join(tmpdir(), 'skiff-walkthrough-'));
      // Every engine hands out pod IPs lowest-first from the same podCIDRs, so two engines on one
      // host (other test files, a developer's own cluster) would share 127.244.1.2:80 and a curl to
      // a pod IP could reach the other engine's pod. The walkthrough's engine gets the documented
      // topology (node IPs 127.0.1.x, pod IPs in 127.244.0.0/16) with podCIDRs nobody else uses.
      const home = join(dir, 'home');
      mkdirSync(home, { mode: 0o700 });
      writeFileSync(
        join(home, 'cluster.yaml'),
        ownPodCIDRs(readFileSync(join(ROOT, 'fixtures', 'cluster.yaml'), 'utf8')),
      );
      t = await startTestEngine({ home });
      // The reader starts from a settled cluster (`skiff cluster up` a while ago): the system
      // deployments the first chapters show as 2/2 are available before the first block runs.
      await waitFor(
        async () =>
          (
            await t.kubectl([
              'get',
              'deploy',
              '-n',
              'kube-system',
              'coredns',
              '-o',
              'jsonpath={.status.availableReplicas}',
            ])
          ).stdout === '2' || undefined,
        60_000,
        'coredns available',
      );
      const bin = join(dir, 'bin');
      const state = join(dir, 'state');
      mkdirSync(bin);
      mkdirSync(state);
      // Whatever SKIFF_KUBECTL names, the blocks call it `kubectl`.
      symlinkSync(KUBECTL, join(bin, 'kubectl'));
      writeFileSync(join(state, 'vars.sh'), '');
      // A reader runs the blocks from the checkout; here from a scratch directory with the checkout's
      // fixtures/, so files the blocks write (web.yaml, …) do not land in the repository.
      const work = join(dir, 'work');
      mkdirSync(work);
      symlinkSync(join(ROOT, 'fixtures'), join(work, 'fixtures'));
      writeFileSync(join(state, 'cwd'), work);
      writeFileSync(join(dir, 'run.sh'), RUNNER);
      env = {
        HOME: t.kubeHome,
        KUBECONFIG: t.engine.kubeconfigPath,
        SKIFF_HOME: home,
        PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        LANG: 'C.UTF-8',
        TERM: 'dumb',
        SKIFF_DOC_STATE: state,
      };
    }, 240_000); // waits for the host lock another chapter may hold, then for coredns

    afterAll(async () => {
      await t?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
      for (const release of releases.reverse()) release();
    });

    it('has blocks to run', () => {
      expect(blocks.length).toBeGreaterThanOrEqual(minBlocks);
    });

    blocks.forEach((block, i) => {
      const title = blockTitle(block, i);
      it(
        title,
        async (ctx) => {
          if (failed && !KEEP_GOING) ctx.skip();
          if (block.flags.includes('root') && !canBindLowPorts()) {
            console.warn(`walkthrough: skipping ${title}: it needs ports below 1024, and this user cannot bind them`);
            ctx.skip();
          }
          const file = join(dir, `block-${i + 1}.sh`);
          writeFileSync(file, block.code + '\n');
          const run = execa('bash', ['--noprofile', '--norc', join(dir, 'run.sh'), file], {
            env,
            extendEnv: false,
            cwd: join(dir, 'work'),
            stdin: 'ignore',
            all: true,
            reject: false,
            detached: true,
          });
          // On timeout, kill the whole process group: a stuck kubectl must not outlive the test.
          const timer = setTimeout(() => {
            try {
              if (run.pid) process.kill(-run.pid, 'SIGKILL');
            } catch {
              /* already gone */
            }
          }, BLOCK_TIMEOUT_MS);
          const r = await run.finally(() => clearTimeout(timer));
          const output = String(r.all ?? '');
          if (OUTPUT_DIR) {
            const out = join(OUTPUT_DIR, basename(en, '.md'));
            mkdirSync(out, { recursive: true });
            writeFileSync(join(out, `block-${i + 1}.txt`), `$ # ${name}:${block.line}\n${block.code}\n\n${output}\n`);
          }
          const problems: string[] = [];
          if (r.exitCode !== 0) {
            problems.push(
              r.isTerminated
                ? `killed by ${r.signal} (timeout ${BLOCK_TIMEOUT_MS / 1000}s?)`
                : `exit code ${r.exitCode}`,
            );
          } else {
            for (const re of block.expect)
              if (!new RegExp(re, 'm').test(output)) problems.push(`output does not match /${re}/m`);
          }
          if (problems.length) {
            failed ??= title;
            throw new Error(
              `walkthrough ${title}\n${problems.join('\n')}\n--- block (${name}:${block.line}) ---\n${block.code}\n--- output ---\n${output}\n---`,
            );
          }
        },
        BLOCK_TIMEOUT_MS + 10_000,
      );
    });
  });
}
