import pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// kubectl attach and kubectl run -i/-it --rm: stdin reaches the container's main process, over
// WebSocket (kubectl 1.32) and SPDY (kubectl 1.27), in a real terminal with -t.
const KUBECTL_127 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
});
afterAll(async () => t?.stop());

const gone = (name: string) =>
  waitFor(() => !t.engine.ctx.store.get('pods', 'default', name), 20_000, `pod ${name} deleted`);

describe('kubectl run -i --rm', () => {
  it.each([
    ['WebSocket', KUBECTL, 'ws'],
    ['SPDY', KUBECTL_127, 'spdy'],
  ])('over %s: stdin reaches sh, its exit code is kubectl’s, the pod is deleted', async (_, bin, name) => {
    const r = await t.kubectl(['run', name, '-i', '--rm', '--image=busybox', '--restart=Never', '--', 'sh'], {
      bin,
      input: 'echo "hello $((6*7))"\nexit 3\n',
      reject: false,
    });
    expect(r.stdout).toContain('hello 42');
    expect(r.stdout).toMatch(/pod "\w+" deleted/);
    expect(r.exitCode).toBe(3);
    await gone(name);
  });

  it('-it: a real terminal, sized as the client’s, and --rm deletes the pod', async () => {
    const p = pty.spawn(KUBECTL, ['run', 'tty', '-it', '--rm', '--image=busybox', '--restart=Never', '--', 'sh'], {
      cols: 91,
      rows: 27,
      env: { HOME: t.kubeHome, KUBECONFIG: t.engine.kubeconfigPath, PATH: process.env.PATH ?? '', TERM: 'xterm' },
    });
    let out = '';
    p.onData((d) => (out += d));
    const exited = new Promise<number>((r) => p.onExit(({ exitCode }) => r(exitCode)));
    // As on a real cluster, the shell may print its prompt before kubectl attaches: press enter.
    await waitFor(() => out.includes('try pressing enter'), 30_000, 'kubectl to attach');
    p.write('\r');
    await waitFor(() => out.includes('#'), 30_000, 'a prompt').catch((e: Error) => {
      throw new Error(`${e.message}; kubectl printed: ${JSON.stringify(out)}`);
    });
    p.write('[ -t 0 ] && echo IS-A-TTY\r');
    await waitFor(() => out.includes('IS-A-TTY\r\n'), 10_000, 'the command output');
    // kubectl sends the terminal size on its own stream, asynchronously: ask until it has landed.
    await waitFor(() => (out.includes('27 91') ? true : void p.write('stty size\r')), 10_000, 'the client’s size');
    p.resize(100, 30);
    p.write('stty size\r');
    await waitFor(() => out.includes('30 100'), 10_000, 'the new size');
    p.write('exit 7\r');
    expect(await exited).toBe(7);
    await gone('tty');
  });
});

describe('kubectl attach', () => {
  it('joins a running container’s stdin and output; leaving detaches without stopping it', async () => {
    await t.kubectl(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'echoer' },
        spec: {
          containers: [
            {
              name: 'echoer',
              image: 'busybox',
              stdin: true,
              command: ['sh', '-c', 'while read l; do echo "got:$l"; done'],
            },
          ],
        },
      }),
    });
    await t.kubectl(['wait', '--for=condition=Ready', 'pod/echoer', '--timeout=30s']);
    // Without stdinOnce the container's stdin stays open: two sessions, one after the other.
    for (const [bin, word] of [
      [KUBECTL, 'first'],
      [KUBECTL_127, 'second'],
    ] as const) {
      // kubectl attach -i keeps following the container after our stdin ends: it is killed, which detaches it.
      const r = await t.kubectl(['attach', 'echoer', '-i'], { bin, input: `${word}\n`, reject: false, timeout: 4_000 });
      expect(r.stdout + r.stderr).toContain(`got:${word}`);
    }
    const pod = t.engine.ctx.store.get('pods', 'default', 'echoer');
    expect(pod?.status?.containerStatuses?.[0]?.state?.running).toBeTruthy();
    expect(pod?.status?.containerStatuses?.[0]?.restartCount).toBe(0);
  });

  it('answers a missing pod with NotFound', async () => {
    const r = await t.kubectl(['attach', 'nope'], { reject: false });
    expect(r.stderr).toContain('pods "nope" not found');
  });
});
