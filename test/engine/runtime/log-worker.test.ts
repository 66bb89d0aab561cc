import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logWorkerIdle, prepareLogDir } from '../../../source/engine/runtime/log-worker.ts';

const root = mkdtempSync(join(tmpdir(), 'skiff-logdirs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('prepareLogDir', () => {
  it('does not keep the process alive once its requests are answered', () => {
    const dir = join(root, 'exit');
    const script = `import(${JSON.stringify(join(import.meta.dirname, '../../../source/engine/runtime/log-worker.ts'))}).then((m) => m.prepareLogDir([${JSON.stringify(dir)}], ${JSON.stringify(join(dir, '0.log'))})).then(() => console.log('answered'))`;
    // Returns only when the child exits by itself (the worker held it forever before).
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(out.trim()).toBe('answered');
    expect(existsSync(join(dir, '0.log'))).toBe(true);
  });

  it('makes the directories and opens the file when the last one is new', async () => {
    const dirs = [join(root, 'pod-a'), join(root, 'pod-a', 'nginx'), join(root, 'pod-a', 'nginx', 'logs')];
    const file = join(dirs[2]!, '0.log');
    const p = await prepareLogDir(dirs, file);
    expect('fd' in p).toBe(true);
    if (!('fd' in p)) return;
    writeSync(p.fd, 'hello\n');
    closeSync(p.fd);
    expect(readFileSync(file, 'utf8')).toBe('hello\n');
  });

  it('writes the given first lines after the open and says how many bytes', async () => {
    const dir = join(root, 'pod-text');
    const file = join(dir, 'c.0.log');
    const p = await prepareLogDir([dir], file, undefined, 'one\ntwo\n');
    expect(p).toEqual({ fd: expect.any(Number), bytes: 8 });
    if (!('fd' in p)) return;
    writeSync(p.fd, 'three\n');
    closeSync(p.fd);
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\nthree\n');
    // An existing directory with logs in it: nothing opened, nothing written.
    expect(await prepareLogDir([dir], join(dir, 'c.1.log'), undefined, 'x\n')).toEqual({ existed: true });
    expect(existsSync(join(dir, 'c.1.log'))).toBe(false);
  });

  it('opens nothing when the last directory was there (earlier attempts may be in it)', async () => {
    const dirs = [join(root, 'pod-b'), join(root, 'pod-b', 'nginx'), join(root, 'pod-b', 'nginx', 'logs')];
    await prepareLogDir(dirs, join(dirs[2]!, '0.log')).then((p) => 'fd' in p && closeSync(p.fd));
    const again = await prepareLogDir(dirs, join(dirs[2]!, '1.log'));
    expect(again).toEqual({ existed: true });
    expect(existsSync(join(dirs[2]!, '1.log'))).toBe(false);
  });

  it('with `unless`, opens the file in an existing directory that holds no log of that prefix and no legacy directory', async () => {
    const pod = join(root, 'pod-shared');
    const open = async (file: string, prefix: string, legacy = join(pod, prefix.slice(0, -1), 'logs')) => {
      const p = await prepareLogDir([pod], join(pod, file), { prefix, legacy });
      if ('fd' in p) closeSync(p.fd);
      return 'fd' in p;
    };
    expect(await open('web.0.log', 'web.')).toBe(true);
    expect(await open('sidecar.0.log', 'sidecar.')).toBe(true); // the pod's second container
    expect(await open('web.1.log', 'web.')).toBe(false); // a restart: its earlier logs are there
    expect(existsSync(join(pod, 'web.1.log'))).toBe(false);
    mkdirSync(join(pod, 'old', 'logs'), { recursive: true });
    expect(await open('old.0.log', 'old.')).toBe(false); // an earlier skiff's logs of that container
  });

  it('rejects with the syscall error', async () => {
    writeFileSync(join(root, 'a-file'), '');
    const err = await prepareLogDir([join(root, 'a-file', 'sub')], join(root, 'a-file', 'sub', '0.log')).catch(
      (e: NodeJS.ErrnoException) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect((err as NodeJS.ErrnoException).code).toBe('ENOTDIR');
  });

  it('serves many requests of one turn, each with its own file', async () => {
    const all = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const pod = join(root, `many-${i}`);
        return prepareLogDir([pod, join(pod, 'c'), join(pod, 'c', 'logs')], join(pod, 'c', 'logs', '0.log'));
      }),
    );
    const fds = all.map((p) => ('fd' in p ? p.fd : -1));
    expect(new Set(fds).size).toBe(50);
    expect(fds.every((fd) => fd >= 0)).toBe(true);
    for (const fd of fds) closeSync(fd);
  });

  it('ends its worker thread when idle and starts a new one for the next request', async () => {
    logWorkerIdle(50);
    try {
      const open = async (name: string) => {
        const pod = join(root, name);
        const p = await prepareLogDir([pod, join(pod, 'c')], join(pod, 'c', '0.log'));
        if ('fd' in p) closeSync(p.fd);
        return p;
      };
      expect('fd' in (await open('idle-a'))).toBe(true);
      expect(logWorkerIdle()).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(logWorkerIdle()).toBe(false);
      expect('fd' in (await open('idle-b'))).toBe(true);
    } finally {
      logWorkerIdle(5000);
    }
  });
});
