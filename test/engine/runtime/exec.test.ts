import { request } from 'node:http';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExecError, type Runtime } from '../../../source/engine/runtime/index.ts';
import { detectSandbox } from '../../../source/engine/runtime/sandbox.ts';
import { podIP, tempRuntime, uid, waitFor } from './helpers.ts';

const bwrap = (await detectSandbox('auto')).available;

function body(host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host, port: 80, path: '/', agent: false }, (res) => {
      let b = '';
      res.on('data', (d) => (b += d));
      res.on('end', () => resolve(b));
    })
      .on('error', reject)
      .end();
  });
}

function text(stream: Readable | null): { value: () => string } {
  let out = '';
  stream?.on('data', (d) => (out += d.toString()));
  return { value: () => out };
}

describe.skipIf(!bwrap)('exec (sandboxed)', () => {
  let rt: Runtime;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ rt, cleanup } = await tempRuntime());
  });
  afterAll(() => cleanup());

  it('edits to index.html through exec change what that pod, and only that pod, serves', async () => {
    const pods = [
      { uid: uid(), name: 'web-a', ip: podIP() },
      { uid: uid(), name: 'web-b', ip: podIP() },
    ];
    for (const p of pods)
      await rt.start({ podUid: p.uid, podName: p.name, container: 'nginx', image: 'nginx', podIP: p.ip });

    const cat = rt.exec({
      podUid: pods[0]!.uid,
      container: 'nginx',
      command: ['cat', '/usr/share/nginx/html/index.html'],
    });
    const catOut = text(cat.stdout);
    expect((await cat.exited).exitCode).toBe(0);
    await waitFor(() => catOut.value().includes('Welcome to nginx!'));

    const write = rt.exec({
      podUid: pods[0]!.uid,
      container: 'nginx',
      command: ['sh', '-c', 'echo "Hello from $(hostname)" > /usr/share/nginx/html/index.html'],
    });
    expect((await write.exited).exitCode).toBe(0);
    expect(await body(pods[0]!.ip)).toBe('Hello from web-a\n');
    expect(await body(pods[1]!.ip)).toContain('Welcome to nginx!');
  });

  it('runs a shell in a pty: hostname is the pod name, resize works, exit code comes back', async () => {
    const pod = uid();
    await rt.start({ podUid: pod, podName: 'my-nginx', container: 'my-nginx', image: 'nginx', podIP: podIP() });
    const s = rt.exec({
      podUid: pod,
      container: 'my-nginx',
      command: ['/bin/sh'],
      tty: true,
      stdin: true,
      cols: 100,
      rows: 30,
    });
    expect(s.stderr).toBeNull();
    const out = text(s.stdout);
    s.resize(120, 40);
    s.stdin!.write('hostname; stty size; echo pid=$$\r');
    await waitFor(() => out.value().includes('40 120'));
    expect(out.value()).toContain('my-nginx');
    s.stdin!.write('exit 3\r');
    expect((await s.exited).exitCode).toBe(3);
  });

  it('pipes stdin, stdout and stderr without a tty', async () => {
    const pod = uid();
    await rt.start({
      podUid: pod,
      podName: 'box',
      container: 'c',
      image: 'busybox',
      podIP: podIP(),
      command: ['sleep', '600'],
    });
    const s = rt.exec({
      podUid: pod,
      container: 'c',
      command: ['sh', '-c', 'tr a-z A-Z; echo err >&2; exit 5'],
      stdin: true,
    });
    const out = text(s.stdout);
    const err = text(s.stderr);
    s.stdin!.end('hello\n');
    expect(await s.exited).toMatchObject({ exitCode: 5 });
    await waitFor(() => out.value() === 'HELLO\n' && err.value() === 'err\n');
  });

  it("has an nginx command in a built-in nginx: -v tells the tag's version, what it cannot do fails saying why", async () => {
    const pod = uid();
    await rt.start({ podUid: pod, podName: 'web', container: 'nginx', image: 'nginx:1.25', podIP: podIP() });
    const run = async (command: string[]) => {
      const s = rt.exec({ podUid: pod, container: 'nginx', command });
      const out = text(s.stdout);
      const err = text(s.stderr);
      const { exitCode } = await s.exited;
      return { exitCode, out: out.value(), err: err.value() };
    };
    expect(await run(['nginx', '-v'])).toEqual({ exitCode: 0, out: '', err: 'nginx version: nginx/1.25.5\n' });
    expect(await run(['sh', '-c', 'command -v nginx && nginx -v 2>&1'])).toEqual({
      exitCode: 0,
      out: '/usr/local/sbin/nginx\nnginx version: nginx/1.25.5\n',
      err: '',
    });
    const reload = await run(['nginx', '-s', 'reload']);
    expect(reload.exitCode).toBe(1);
    expect(reload.err).toContain('does not read /etc/nginx, so there is no configuration to test, reload or signal');
  });

  it('refuses a missing command or a stopped container like the kubelet', async () => {
    const pod = uid();
    const c = await rt.start({
      podUid: pod,
      podName: 'box',
      container: 'c',
      image: 'busybox',
      podIP: podIP(),
      command: ['sleep', '600'],
    });
    expect(() => rt.exec({ podUid: pod, container: 'c', command: ['nope'] })).toThrow(
      'OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown',
    );
    const long = rt.exec({ podUid: pod, container: 'c', command: ['sleep', '600'] });
    await c.stop(0);
    expect((await long.exited).exitCode).toBe(137);
    expect(() => rt.exec({ podUid: pod, container: 'c', command: ['true'] })).toThrow(ExecError);
  });
});

describe('exec without a sandbox', () => {
  let rt: Runtime;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ rt, cleanup } = await tempRuntime({ sandbox: 'none' }));
  });
  afterAll(() => cleanup());

  it('runs in the container directory, with a pty too', async () => {
    const pod = uid();
    const c = await rt.start({ podUid: pod, podName: 'plain', container: 'c', image: 'nginx', podIP: podIP() });
    expect(c.sandboxed).toBe(false);
    const s = rt.exec({
      podUid: pod,
      container: 'c',
      command: ['sh', '-c', 'cat usr/share/nginx/html/index.html >/dev/null && pwd; exit 4'],
      tty: true,
    });
    const out = text(s.stdout);
    expect((await s.exited).exitCode).toBe(4);
    await waitFor(() => /rootfs\r?\n/.test(out.value()));
  });
});
