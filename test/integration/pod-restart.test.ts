import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../../source/engine/engine.ts';
import { KUBECTL, waitFor } from '../helpers/engine.ts';

const home = mkdtempSync(join(tmpdir(), 'skiff-restart-'));
const kubeHome = mkdtempSync(join(tmpdir(), 'skiff-kubehome-'));
let engine: Engine | undefined;
afterAll(async () => {
  await engine?.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(kubeHome, { recursive: true, force: true });
});

const start = async () => (engine = await startEngine({ home, port: 0, timeScale: 0.05, log: () => {} }));
const kubectl = async (...args: string[]) =>
  (
    await execa(KUBECTL, args, {
      env: { HOME: kubeHome, KUBECONFIG: join(home, 'kubeconfig'), PATH: process.env.PATH },
      extendEnv: false,
    })
  ).stdout;
const pods = () => engine!.ctx.store.list('pods', { namespace: 'default' }).items;
const running = () =>
  pods().length === 2 && pods().every((p) => p.status?.phase === 'Running' && p.status.containerStatuses?.[0]?.ready);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('engine restart', () => {
  it('stops every container on shutdown; on start the pods come back with the same IPs, restarted once', async () => {
    await start();
    await kubectl('run', 'web', '--image=nginx:1.25');
    await kubectl('run', 'tick', '--image=busybox', '--', 'sh', '-c', 'while true; do echo tick; sleep 1; done');
    await waitFor(running, 20_000, 'both pods Running');
    await waitFor(async () => (await kubectl('logs', 'tick')).includes('tick'), 10_000, 'a log line');
    const before = new Map(pods().map((p) => [p.metadata.name, p.status.podIP]));
    const tick = pods().find((p) => p.metadata.name === 'tick')!;
    const pid = Number(readFileSync(join(home, 'pods', tick.metadata.uid!, 'tick', 'pid'), 'utf8').split(' ')[0]);
    expect(alive(pid)).toBe(true);

    await engine!.stop();
    engine = undefined;
    expect(alive(pid)).toBe(false);

    await start();
    await waitFor(
      () => running() && pods().every((p) => p.status.containerStatuses[0].restartCount === 1),
      20_000,
      'both pods back',
    );
    expect(pods()).toHaveLength(2);
    for (const p of pods()) {
      expect(p.status.podIP).toBe(before.get(p.metadata.name));
      expect(p.status.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 255, reason: 'Unknown' });
    }
    expect(await kubectl('get', 'pods')).toMatch(/tick\s+1\/1\s+Running\s+1 \(.+ ago\)/);
    expect(await kubectl('logs', 'tick', '--previous')).toContain('tick');
  });
});

describe('skiff node stop / start', () => {
  it('a stopped node stops its containers; started again, they run again (restartCount + 1)', async () => {
    const { startTestEngine } = await import('../helpers/engine.ts');
    const { startNode, stopNode } = await import('../../source/engine/controllers/node-state.ts');
    const t = await startTestEngine();
    try {
      const store = t.engine.ctx.store;
      await t.kubectl([
        'run',
        'loop',
        '--image=busybox',
        '--overrides={"spec":{"nodeName":"node1"}}',
        '--',
        'sleep',
        '3600',
      ]);
      const status = () => store.get('pods', 'default', 'loop')?.status?.containerStatuses?.[0];
      await waitFor(() => status()?.ready, 20_000, 'loop Running');
      const uid = store.get('pods', 'default', 'loop')!.metadata.uid!;
      const pid = Number(readFileSync(join(t.home, 'pods', uid, 'loop', 'pid'), 'utf8').split(' ')[0]);
      stopNode(store, 'node1');
      await waitFor(() => !alive(pid), 10_000, 'the container to stop');
      startNode(store, 'node1');
      await waitFor(() => status()?.restartCount === 1 && status()?.ready, 20_000, 'loop back').catch((e) => {
        throw new Error(`${e.message}: ${JSON.stringify(store.get('pods', 'default', 'loop'))}`);
      });
    } finally {
      await t.stop();
    }
  });
});
