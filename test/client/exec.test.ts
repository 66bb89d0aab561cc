import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFailure, openExec, STDOUT } from '../../source/client/exec.ts';
import { loadKubeConfig } from '../../source/client/kubeconfig.ts';
import { Transport } from '../../source/client/transport.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
let tr: Transport;

beforeAll(async () => {
  t = await startTestEngine();
  tr = new Transport(loadKubeConfig({ path: t.engine.kubeconfigPath }));
  await t.kubectl(['run', 'box', '--image=busybox', '--', 'sleep', '3600']);
  await waitFor(
    async () => (await t.kubectl(['get', 'pod', 'box', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running',
    60_000,
    'box running',
  );
}, 120_000);
afterAll(async () => {
  tr?.close();
  await t?.stop();
});

async function run(command: string[]) {
  const s = await openExec(tr, { namespace: 'default', pod: 'box', command, tty: false, stdin: false });
  let out = '';
  s.onOutput((ch, d) => ch === STDOUT && (out += d.toString()));
  const result = await s.done;
  return { out, result };
}

describe('exec keep-alive', () => {
  it('a quiet command outlives several pings: the engine answers them, nothing is reported lost', async () => {
    vi.stubEnv('SKIFF_WS_PING_MS', '100');
    try {
      const { out, result } = await run(['sh', '-c', 'sleep 1; echo woke']);
      expect(out).toBe('woke\n');
      expect(result.lost).toBeUndefined();
      expect(result.exitCode).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
  }, 60_000);
});

describe('exec failures', () => {
  it('a command that cannot start (a distroless image has no shell) reports the server’s reason', async () => {
    const { result } = await run(['no-such-shell', '-c', 'true']);
    expect(execFailure(result)).toMatch(/exec: "no-such-shell": executable file not found in \$PATH/);
  }, 60_000);

  it('a command that runs and exits non-zero is not a failure to explain, only an exit code', async () => {
    const ok = await run(['sh', '-c', 'echo fine']);
    expect(ok.out).toBe('fine\n');
    expect(execFailure(ok.result)).toBeUndefined();
    const bad = await run(['sh', '-c', 'exit 3']);
    expect(bad.result.exitCode).toBe(3);
    expect(execFailure(bad.result)).toBeUndefined();
  }, 60_000);
});
