import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StartError, type Runtime } from '../../../source/engine/runtime/index.ts';
import { groupMembers, isAlive } from '../../../source/engine/runtime/process-group.ts';
import { detectSandbox } from '../../../source/engine/runtime/sandbox.ts';
import { collect, podIP, tempRuntime, uid, waitFor } from './helpers.ts';

const bwrap = (await detectSandbox('auto')).available;
if (!bwrap) console.warn('bwrap is not usable here: sandboxed process tests are skipped');

/** `pid=N` lines the container printed. */
const pidsIn = (text: string) => [...text.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));

for (const mode of ['bwrap', 'none'] as const) {
  describe.skipIf(mode === 'bwrap' && !bwrap)(`host-process containers (sandbox: ${mode})`, () => {
    let rt: Runtime;
    let dir: string;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ rt, dir, cleanup } = await tempRuntime({ sandbox: mode === 'bwrap' ? 'auto' : 'none' }));
      expect(rt.sandbox.available).toBe(mode === 'bwrap');
    });
    afterAll(() => cleanup());

    it('crash: exits 1 with boom in the log, and previous logs survive a restart', async () => {
      const pod = uid();
      const spec = {
        podUid: pod,
        podName: 'crash',
        container: 'crash',
        image: 'busybox',
        podIP: podIP(),
        args: ['sh', '-c', 'echo boom; echo bang >&2; exit 1'],
      };
      const c = await rt.start({ ...spec, attempt: 0 });
      expect(c.sandboxed).toBe(mode === 'bwrap');
      const exit = await c.exited;
      expect(exit).toMatchObject({ exitCode: 1, reason: 'Error' });
      expect(await collect(rt.logs({ podUid: pod, container: 'crash' }))).toBe('boom\nbang\n');

      const again = await rt.start({ ...spec, attempt: 1, args: ['sh', '-c', 'echo second; exit 0'] });
      expect(await again.exited).toMatchObject({ exitCode: 0, reason: 'Completed' });
      expect(await collect(rt.logs({ podUid: pod, container: 'crash' }))).toBe('second\n');
      expect(await collect(rt.logs({ podUid: pod, container: 'crash', instance: 'previous' }))).toBe('boom\nbang\n');
      expect(() => rt.logs({ podUid: uid(), container: 'crash', instance: 'previous', podName: 'crash' })).toThrow(
        'previous terminated container "crash" in pod "crash" not found',
      );

      // The kubelet restarts it: the next instance's log exists (empty) before the instance is in
      // hand. A container waiting to restart still shows the run that ended (a CrashLoopBackOff's
      // `kubectl logs --previous` answered that empty log).
      writeFileSync(join(dir, 'pods', pod, 'crash.2.log'), '');
      expect(await collect(rt.logs({ podUid: pod, container: 'crash', instance: 'latest' }))).toBe('');
      expect(await collect(rt.logs({ podUid: pod, container: 'crash', instance: 'lastEnded' }))).toBe('second\n');
      // Once it runs, the run that ended is the one before it.
      const third = await rt.start({ ...spec, attempt: 2, args: ['sh', '-c', 'echo third; sleep 600'] });
      expect(await collect(rt.logs({ podUid: pod, container: 'crash', instance: 'lastEnded' }))).toBe('second\n');
      await third.kill();
    });

    it('reads logs an earlier skiff kept in <container>/logs/, and a restart rotates them away', async () => {
      const pod = uid();
      const legacy = join(dir, 'pods', pod, 'old', 'logs');
      mkdirSync(legacy, { recursive: true });
      writeFileSync(join(legacy, '0.log'), '2026-12-01T00:00:00.000000000Z stdout F first\n');
      writeFileSync(join(legacy, '1.log'), '2026-12-01T00:00:01.000000000Z stdout F second\n');
      expect(await collect(rt.logs({ podUid: pod, container: 'old' }))).toBe('second\n');
      expect(await collect(rt.logs({ podUid: pod, container: 'old', instance: 'previous' }))).toBe('first\n');
      const spec = { podUid: pod, podName: 'old', container: 'old', image: 'busybox', podIP: podIP() };
      const c = await rt.start({ ...spec, args: ['sh', '-c', 'echo third'] });
      expect(c.attempt).toBe(2);
      await c.exited;
      expect(await collect(rt.logs({ podUid: pod, container: 'old' }))).toBe('third\n');
      expect(await collect(rt.logs({ podUid: pod, container: 'old', instance: 'previous' }))).toBe('second\n');
      expect(existsSync(join(legacy, '0.log'))).toBe(false);
      expect(existsSync(join(dir, 'pods', pod, 'old.2.log'))).toBe(true);
    });

    it('ticker: the log grows, follow yields new lines, stop kills the process group', async () => {
      const pod = uid();
      const c = await rt.start({
        podUid: pod,
        podName: 'ticker',
        container: 'ticker',
        image: 'busybox',
        podIP: podIP(),
        args: ['sh', '-c', 'sleep 600 & echo pid=$!; while true; do date; sleep 0.2; done'],
      });
      expect(c.pid).toBeGreaterThan(0);
      const follow = rt.logs({ podUid: pod, container: 'ticker', follow: true });
      const lines: string[] = [];
      for await (const line of follow) {
        lines.push(line);
        if (lines.length === 4) break;
      }
      expect(lines[0]).toMatch(/^pid=\d+\n$/);
      expect(lines.slice(1).every((l) => /\d\d:\d\d:\d\d/.test(l))).toBe(true);
      const grown = await collect(rt.logs({ podUid: pod, container: 'ticker' }));
      expect(grown.split('\n').length).toBeGreaterThanOrEqual(4);

      // In the sandbox the pid printed is the namespace's; check the host pids instead.
      const hostPids = mode === 'bwrap' ? groupMembers(c.pid!) : [c.pid!, ...pidsIn(lines[0]!)];
      expect(hostPids.length).toBeGreaterThanOrEqual(2);
      const followAll = rt.logs({ podUid: pod, container: 'ticker', follow: true, tailLines: 0 });
      const exit = await c.stop(5_000);
      expect(exit.exitCode).toBe(143);
      await collect(followAll); // a follower ends with the container
      for (const pid of hostPids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    });

    it('SIGKILLs after the grace period when SIGTERM is ignored', async () => {
      const c = await rt.start({
        podUid: uid(),
        podName: 'stubborn',
        container: 'c',
        image: 'busybox',
        podIP: podIP(),
        command: ['sh', '-c', 'trap "" TERM; echo ready; while true; do sleep 0.1; done'],
      });
      await waitFor(async () => (await collect(rt.logs({ podUid: c.podUid, container: 'c' }))).includes('ready'));
      const t = Date.now();
      const exit = await c.stop(2_000); // 100 ms at the test's time scale
      expect(exit.exitCode).toBe(137);
      expect(Date.now() - t).toBeLessThan(3_000);
      expect(isAlive(c.pid!)).toBe(false);
    });

    it('passes env and workingDir; a missing command is a StartError', async () => {
      const pod = uid();
      const c = await rt.start({
        podUid: pod,
        podName: 'envy',
        container: 'c',
        image: 'python:3.12',
        podIP: podIP(),
        command: ['sh', '-c', 'echo "$GREETING $PYTHON_VERSION"; pwd'],
        env: [{ name: 'GREETING', value: 'hi' }],
        workingDir: '/app',
      });
      await c.exited;
      const out = await collect(rt.logs({ podUid: pod, container: 'c' }));
      expect(out.split('\n')[0]).toBe('hi 3.12.12');
      if (mode === 'bwrap') expect(out.split('\n')[1]).toBe('/app');
      else expect(out.split('\n')[1]).toMatch(/rootfs\/app$/);

      await expect(
        rt.start({
          podUid: uid(),
          podName: 'x',
          container: 'c',
          image: 'busybox',
          podIP: podIP(),
          command: ['no-such-binary'],
        }),
      ).rejects.toThrow(StartError);
      await expect(
        rt.start({
          podUid: uid(),
          podName: 'x',
          container: 'c',
          image: 'busybox',
          podIP: podIP(),
          command: ['no-such-binary'],
        }),
      ).rejects.toThrow('exec: "no-such-binary": executable file not found in $PATH');
    });

    it("has the image's PATH, then the host's directories its view shows (in a sandbox, nothing of the user's)", async () => {
      const outside = join(dir, 'user-bin');
      mkdirSync(outside, { recursive: true });
      const hostPath = process.env.PATH;
      process.env.PATH = `${outside}:/usr/games:/usr/bin`;
      try {
        const pod = uid();
        const c = await rt.start({
          podUid: pod,
          podName: 'path',
          container: 'c',
          image: 'busybox',
          podIP: podIP(),
          args: ['sh', '-c', 'echo "$PATH"'],
        });
        expect(await c.exited).toMatchObject({ exitCode: 0 });
        const seen = (await collect(rt.logs({ podUid: pod, container: 'c' }))).trim().split(':');
        expect(seen.slice(0, 4)).toEqual(['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin']);
        expect(seen).toContain('/usr/games');
        expect(seen.includes(outside)).toBe(mode === 'none');
      } finally {
        process.env.PATH = hostPath;
      }
    });

    it('a process container can listen on its pod IP', async () => {
      const ip = podIP();
      const c = await rt.start({
        podUid: uid(),
        podName: 'server',
        container: 'c',
        image: 'node:20',
        podIP: ip,
        args: [
          '-e',
          `require('http').createServer((q, s) => s.end('from node')).listen(8080, '${ip}', () => console.log('up'))`,
        ],
        command: ['node'],
      });
      await waitFor(async () => (await collect(rt.logs({ podUid: c.podUid, container: 'c' }))).includes('up'));
      const res = await fetch(`http://${ip}:8080/`);
      expect(await res.text()).toBe('from node');
      await c.stop(1000);
    });
  });
}

describe.skipIf(!bwrap)('the sandbox', () => {
  let rt: Runtime;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ rt, cleanup } = await tempRuntime());
  });
  afterAll(() => cleanup());

  it('has the pod name as hostname, its own pids, a read-only host and private writable paths', async () => {
    const pod = uid();
    const ip = podIP();
    const script = [
      'hostname',
      'echo pid=$$',
      'touch /etc/skiff-should-fail 2>/dev/null && echo host-writable || echo host-readonly',
      'echo private > /tmp/mine && cat /tmp/mine',
      'grep -c Welcome /usr/share/nginx/html/index.html',
      `grep ${ip} /etc/hosts`,
    ].join('; ');
    const c = await rt.start({
      podUid: pod,
      podName: 'sandboxed-pod',
      container: 'c',
      image: 'nginx',
      podIP: ip,
      command: ['sh', '-c', script],
    });
    expect(c.kind).toBe('process');
    await c.exited;
    const out = await collect(rt.logs({ podUid: pod, container: 'c' }));
    expect(out.split('\n')).toEqual([
      'sandboxed-pod',
      'pid=2',
      'host-readonly',
      'private',
      '2',
      `${ip}\tsandboxed-pod`,
      '',
    ]);
  });

  it('creates a working directory the host lacks, writable, with the rest of / still read-only', async () => {
    const pod = uid();
    const script =
      'pwd; echo x > here && cat here; touch /skiff-top 2>/dev/null && echo top-writable || echo top-readonly; ls /usr/bin/env';
    const c = await rt.start({
      podUid: pod,
      podName: 'p',
      container: 'c',
      image: 'busybox',
      podIP: podIP(),
      command: ['sh', '-c', script],
      workingDir: '/skiff-app',
    });
    expect((await c.exited).exitCode).toBe(0);
    expect(await collect(rt.logs({ podUid: pod, container: 'c' }))).toBe('/skiff-app\nx\ntop-readonly\n/usr/bin/env\n');
  });
});

describe('orphans', () => {
  it('a restarted engine reaps the host processes a crashed one left', async () => {
    const first = await tempRuntime({ sandbox: 'none' });
    const c = await first.rt.start({
      podUid: uid(),
      podName: 'o',
      container: 'c',
      image: 'busybox',
      podIP: podIP(),
      command: ['sleep', '600'],
    });
    const { createRuntime } = await import('../../../source/engine/runtime/index.ts');
    const second = await createRuntime({ rootDir: `${first.dir}/pods`, sandbox: 'none' });
    expect(await second.reapOrphans()).toBe(1);
    expect((await c.exited).exitCode).toBe(137);
    expect(isAlive(c.pid!)).toBe(false);
    await first.cleanup();
  });

  it('reaps containers a crashed engine spawned but never recorded (no pid file): bwrap binds or TMPDIR give them away', async () => {
    const { rt, dir, cleanup } = await tempRuntime({ sandbox: 'none' });
    const rootfs = join(dir, 'pods', 'stray-pod', 'c', 'rootfs');
    mkdirSync(join(rootfs, 'tmp'), { recursive: true });
    const strays = [
      spawn('sleep', ['600'], {
        detached: true,
        stdio: 'ignore',
        env: { ...process.env, TMPDIR: join(rootfs, 'tmp') },
      }),
    ];
    if (bwrap)
      strays.push(
        spawn(
          'bwrap',
          ['--ro-bind', '/', '/', '--bind', join(rootfs, 'tmp'), '/tmp', '--unshare-pid', '--', 'sleep', '600'],
          { detached: true, stdio: 'ignore' },
        ),
      );
    const exited = strays.map((p) => new Promise((r) => p.once('exit', r)));
    await waitFor(() => strays.every((p) => p.pid && isAlive(p.pid)));
    expect(await rt.reapOrphans()).toBe(strays.length);
    await Promise.all(exited);
    await cleanup();
  });

  it('refuses to start a container twice', async () => {
    const { rt, cleanup } = await tempRuntime({ sandbox: 'none' });
    const spec = {
      podUid: uid(),
      podName: 'o',
      container: 'c',
      image: 'busybox',
      podIP: podIP(),
      command: ['sleep', '600'],
    };
    await Promise.all([
      expect(rt.start(spec)).resolves.toBeDefined(),
      expect(rt.start(spec)).rejects.toThrow(/already running/),
    ]);
    await cleanup();
  });
});
