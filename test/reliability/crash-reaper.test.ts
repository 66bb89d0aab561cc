import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reapOrphans } from '../../source/engine/runtime/orphans.ts';
import { groupMembers, isAlive, startTime } from '../../source/engine/runtime/process-group.ts';
import { waitFor } from '../helpers/engine.ts';

// Found by the crash test: a killed engine's sandbox can lose its group leader (the outer bwrap
// dies with the engine) while the inner bwrap and the command live on in the group.
const root = mkdtempSync(join(tmpdir(), 'skiff-reaper-'));
const started: number[] = [];
afterAll(() => {
  for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** A detached group whose leader records itself like a container, then exits, leaving `sleep`. */
async function leaderlessGroup(container: string): Promise<{ pgid: number; member: number }> {
  const leader = spawn('sh', ['-c', 'sleep 600 & echo $!; sleep 0.2'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const pgid = leader.pid!;
  const dir = join(root, 'pod', container);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pid'), `${pgid} ${startTime(pgid)}\n`);
  let out = '';
  leader.stdout!.on('data', (c) => (out += c));
  await new Promise((r) => leader.once('exit', r));
  started.push(Number(out.trim()));
  return { pgid, member: Number(out.trim()) };
}

describe('reaping orphans of a killed engine', () => {
  it('kills a container group whose leader is gone but whose members live', async () => {
    const { pgid, member } = await leaderlessGroup('c');
    expect(isAlive(pgid)).toBe(false);
    expect(groupMembers(pgid)).toEqual([member]);
    expect(reapOrphans(root, () => false)).toBe(1);
    await waitFor(() => !isAlive(member), 5000, 'the member to die');
  });
});
