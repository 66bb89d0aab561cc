import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { READY_FD_ENV, readySignal } from '../../source/cluster/ready-signal.ts';

const MODULE = join(import.meta.dirname, '..', '..', 'source', 'cluster', 'ready-signal.ts');

describe('the daemon ready signal', () => {
  it('reaches `up` through the pipe it hands the daemon, once, and is not passed on', async () => {
    // A stand-in daemon: signals twice, then reports what each call said and whether the variable
    // is still set for what it spawns.
    const code = `import { signalReady } from ${JSON.stringify(MODULE)};
const told = [signalReady(), signalReady()];
process.stdout.write(told.join(' ') + ' ' + (process.env.${READY_FD_ENV} ?? 'unset'));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit', 'pipe'],
      env: { ...process.env, [READY_FD_ENV]: '3' },
    });
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    const exited = new Promise((r) => child.once('exit', r));
    expect(await readySignal(child.stdio[3] as Readable, 60_000)).toBe(true);
    await exited;
    expect(out).toBe('true false unset');
  });

  it('says not ready when the pipe closes without the line, or nothing comes in time', async () => {
    const closed = new PassThrough();
    const r = readySignal(closed, 60_000);
    closed.end('starting\n');
    expect(await r).toBe(false);
    const silent = new PassThrough();
    expect(await readySignal(silent, 50)).toBe(false);
    expect(silent.destroyed).toBe(true);
  });

  it('takes the line however the pipe splits it', async () => {
    const pipe = new PassThrough();
    const r = readySignal(pipe, 60_000);
    pipe.write('rea');
    pipe.write('dy\n');
    expect(await r).toBe(true);
  });
});
