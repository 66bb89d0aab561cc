import { execa } from 'execa';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectSandbox, findExecutable } from '../../source/engine/runtime/sandbox.ts';
import { runAttacks, type AttackRun } from './attack-runner.ts';
import { ATTACKS, attackResults } from './attacks.ts';

const sandbox = await detectSandbox('auto');
const DEFAULT_CAPS = '00000000a80425fb';
const isRoot = process.getuid?.() === 0;
const setpriv = findExecutable('setpriv', process.env.PATH ?? '');

/** A file in the user's home directory that no container may read. */
const homeDir = mkdtempSync(join(homedir(), '.skiff-sec-test-'));
const homeFile = join(homeDir, 'private');
writeFileSync(homeFile, 'users-secret\n', { mode: 0o600 });
const cleanup: string[] = [homeDir];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

function expectContained(run: AttackRun, caps = DEFAULT_CAPS): void {
  for (const [where, output] of [
    ['container', run.container],
    ['exec', run.exec],
    ['exec -t', run.tty],
  ] as const) {
    const r = attackResults(output);
    expect(r.done, `${where} ran every attack:\n${output}`).toBe(true);
    expect(r.open, `${where}: attacks that worked`).toEqual([]);
    expect(r.blocked, where).toEqual(expect.arrayContaining(ATTACKS));
    expect([r.caps, r.bounding], `${where}: CapEff and CapBnd`).toEqual([caps, caps]);
    // A user namespace maps one uid, not the host's whole range.
    if (run.sandbox.userns) expect(r.uidMap, where).toMatch(/^0 \d+ 1;$/);
  }
}

describe.skipIf(!sandbox.available)(`a hostile container (bwrap, running as ${isRoot ? 'root' : 'a user'})`, () => {
  it("cannot reach the engine's files, the user's, other pods' or the host: SKIFF_HOME under /tmp, /opt and a home directory", async () => {
    const homes = [
      join(mkdtempSync(join(tmpdir(), 'skiff-sec-')), 'home'),
      ...(isRoot ? [join(mkdtempSync('/opt/skiff-sec-'), 'home')] : []),
      join(mkdtempSync(join(homeDir, 'skiff-')), '.skiff'),
    ];
    cleanup.push(...homes.map((h) => join(h, '..')));
    const runs = await Promise.all(homes.map((home) => runAttacks({ home, homeFile })));
    for (const run of runs) expectContained(run);
  }, 60_000);

  it.skipIf(!isRoot || !setpriv)(
    'is contained the same when skiff runs as an unprivileged user (nobody)',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'skiff-sec-nobody-'));
      cleanup.push(dir);
      chownSync(dir, 65534, 65534);
      chmodSync(dir, 0o700);
      const r = await execa(
        setpriv!,
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          process.execPath,
          '--import',
          'tsx',
          join(import.meta.dirname, 'attack-runner.ts'),
          JSON.stringify({ home: join(dir, 'skiff'), homeFile }),
        ],
        {
          env: { HOME: dir, PATH: process.env.PATH, TMPDIR: dir },
          extendEnv: false,
          cwd: join(import.meta.dirname, '..', '..'),
          timeout: 90_000,
        },
      );
      const run = JSON.parse(String(r.stdout).trim().split('\n').pop()!) as AttackRun;
      expect(run.uid).toBe(65534);
      expect(run.sandbox.available).toBe(true);
      expectContained(run);
      // Root in the container is the unprivileged user outside.
      expect(attackResults(run.container).uidMap).toBe('0 65534 1;');
    },
    120_000,
  );

  it('a container running as another user has no capabilities', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'skiff-sec-')), 'home');
    cleanup.push(join(home, '..'));
    const run = await runAttacks({ home, homeFile, security: { runAsUser: 1000, runAsGroup: 3000 } });
    const r = attackResults(run.container);
    expect(r.open).toEqual([]);
    expect(r.caps).toBe('0000000000000000');
    expect(r.uid).toBe('1000:3000');
  });
});
