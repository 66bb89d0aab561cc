/**
 * Runs the attack script in a real runtime (as whatever user runs this file) and prints one JSON
 * line: { sandbox, container, exec, tty } with each one's output. The sandbox tests call
 * runAttacks as root and run this file as an unprivileged user (under setpriv).
 *
 *   node --import tsx test/security/attack-runner.ts '{"home": "...", "homeFile": "..."}'
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { RealClock } from '../../source/engine/clock.ts';
import { createRuntime, type SecuritySpec } from '../../source/engine/runtime/index.ts';
import { attackScript } from './attacks.ts';

export interface AttackRun {
  sandbox: { available: boolean; userns?: boolean };
  uid?: number;
  /** Output of the attacks run as the container's command, from an exec with pipes, with a TTY. */
  container: string;
  exec: string;
  tty: string;
}

export interface AttackOptions {
  /** The engine's home to plant secrets in (created). */
  home: string;
  homeFile: string;
  security?: SecuritySpec;
}

export async function runAttacks(opts: AttackOptions): Promise<AttackRun> {
  const home = opts.home;
  // What an engine keeps in its home: the token, the CA key, the database.
  mkdirSync(join(home, 'pki'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, 'token'), 'secret-token\n', { mode: 0o600 });
  writeFileSync(join(home, 'pki', 'ca.key'), 'secret-key\n', { mode: 0o600 });
  writeFileSync(join(home, 'state.db'), 'secret-db\n', { mode: 0o600 });

  const rt = await createRuntime({ rootDir: join(home, 'pods'), clock: new RealClock(0.05), pullDelayMs: 0 });
  try {
    const ip = `127.246.${1 + Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
    await rt.start({
      podUid: 'other-pod',
      podName: 'other',
      container: 'c',
      image: 'busybox',
      podIP: ip,
      command: ['sh', '-c', 'echo other-secret > /tmp/secret; sleep 600'],
    });
    const targets = {
      skiffHome: home,
      otherPodFile: join(home, 'pods', 'other-pod', 'c', 'rootfs', 'tmp', 'secret'),
      homeFile: opts.homeFile,
      enginePid: process.pid,
    };
    const script = attackScript(targets);

    await rt.start({
      podUid: 'hostile',
      podName: 'hostile',
      container: 'c',
      image: 'busybox',
      podIP: ip,
      command: ['sh', '-c', `${script}\nsleep 600`],
      security: opts.security,
    });
    const read = async (it: AsyncIterable<string>) => {
      let s = '';
      for await (const x of it) s += x;
      return s;
    };
    let container = '';
    for (let i = 0; i < 400 && !container.includes('attacks:done'); i++) {
      await new Promise((r) => setTimeout(r, 25));
      container = await read(rt.logs({ podUid: 'hostile', container: 'c' }));
    }
    const collect = (s: Readable | null) => {
      let out = '';
      s?.on('data', (d: Buffer) => (out += d.toString()));
      return () => out;
    };
    const pipe = rt.exec({ podUid: 'hostile', container: 'c', command: ['sh', '-c', script] });
    const pipeOut = collect(pipe.stdout);
    await pipe.exited;
    const tty = rt.exec({
      podUid: 'hostile',
      container: 'c',
      command: ['sh', '-c', attackScript({ ...targets, tty: true })],
      tty: true,
    });
    const ttyOut = collect(tty.stdout);
    await tty.exited;
    await new Promise((r) => setTimeout(r, 100));
    return { sandbox: rt.sandbox, uid: process.getuid?.(), container, exec: pipeOut(), tty: ttyOut() };
  } finally {
    await rt.shutdown(0);
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const run = await runAttacks(JSON.parse(process.argv[2] ?? '{}') as AttackOptions);
  console.log(JSON.stringify(run));
  process.exit(0);
}
