import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { followLogs } from '../../source/client/log-follow.ts';
import { Transport } from '../../source/client/transport.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
let transport: Transport;

beforeAll(async () => {
  t = await startTestEngine();
  transport = new Transport(loadKubeConfig({ path: t.engine.kubeconfigPath }));
}, 60_000);
afterAll(async () => {
  transport?.close();
  await t?.stop();
});

describe('followLogs', () => {
  it('streams every instance of a crash loop, also those that ran and ended between two looks', async () => {
    // Each instance lives a fraction of a second; looking only every 4 s, the follower mostly sees
    // the container waiting with a new last-terminated instance, never running.
    await t.kubectl([
      'run',
      'blink',
      '--image=busybox',
      '--',
      'sh',
      '-c',
      'echo "instance-$(cat /proc/sys/kernel/random/uuid | cut -c1-8)"; exit 1',
    ]);
    const restartCount = async () =>
      Number(
        (await t.kubectl(['get', 'pod', 'blink', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'])).stdout,
      );
    await waitFor(async () => (await restartCount()) >= 1, 60_000, 'first restart');
    const seen = new Set<string>();
    const restarts: number[] = [];
    const stream = followLogs(
      transport,
      { namespace: 'default', pod: 'blink', follow: true },
      (line) => {
        const m = /instance-([0-9a-f]{8})/.exec(line);
        if (m) seen.add(m[1]!);
      },
      { pollMs: 4_000, onRestart: (n) => restarts.push(n) },
    );
    try {
      await waitFor(async () => seen.size >= 3, 90_000, 'three instances streamed');
    } finally {
      stream.stop();
      await stream.done.catch(() => {});
    }
    expect(restarts.length).toBeGreaterThanOrEqual(2);
    expect([...restarts].sort((a, b) => a - b)).toEqual(restarts);
  }, 180_000);
});
