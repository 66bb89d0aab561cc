import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnEngine, type ChildEngine } from './support/child-engine.ts';
import { statusProblem } from './support/client.ts';
import { dbSnapshot } from './support/snapshot.ts';

const CMS = '/api/v1/namespaces/default/configmaps';
const mnt = mkdtempSync(join(tmpdir(), 'skiff-full-'));
const home = join(mnt, 'home');
const filler = join(mnt, 'filler');

// A small tmpfs of its own is a disk that really fills up (ENOSPC); it needs root.
let mounted = false;
try {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt], { stdio: 'ignore' });
  mounted = true;
} catch {
  // not root, or no mount privilege: skipped
}
afterAll(() => {
  if (mounted) execFileSync('umount', ['-l', mnt]);
  rmSync(mnt, { recursive: true, force: true });
});

/** Write zeros until the filesystem refuses. */
function fillDisk(): void {
  const fd = openSync(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
}

let e: ChildEngine | undefined;
beforeAll(async () => {
  if (mounted) e = await spawnEngine(home);
}, 120_000);
afterAll(async () => e?.kill('SIGKILL'));

describe.skipIf(!mounted)('a full disk', () => {
  it('answers writes with 500 "storage write failed", keeps serving, half-writes nothing, and recovers', async () => {
    expect((await e!.client.json('POST', CMS, { metadata: { name: 'before' } })).status).toBe(201);
    fillDisk();
    const data = { blob: 'x'.repeat(16 * 1024) };
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const r = await e!.client.request({
        method: 'POST',
        path: CMS,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ metadata: { name: `during-${i}` }, data }),
      });
      outcomes.set(`during-${i}`, r.status);
      if (r.status === 500) {
        expect(statusProblem(r)).toBeUndefined();
        expect(JSON.parse(r.text).message).toMatch(/storage write failed: .*(full|disk|space)/i);
      } else expect(r.status).toBe(201);
    }
    const failed = [...outcomes].filter(([, s]) => s === 500).map(([n]) => n);
    expect(failed.length).toBeGreaterThan(0);
    // A failed write is not visible; reads and the process go on.
    for (const n of failed) expect((await e!.client.json('GET', `${CMS}/${n}`)).status).toBe(404);
    expect((await e!.client.json('GET', `${CMS}/before`)).status).toBe(200);
    expect((await e!.client.request({ path: '/readyz', token: null })).status).toBe(200);
    rmSync(filler);
    expect((await e!.client.json('POST', CMS, { metadata: { name: 'after' } })).status).toBe(201);
    await e!.kill('SIGKILL');
    expect(dbSnapshot(join(home, 'state.db')).integrity).toBe('ok');

    e = await spawnEngine(home);
    const names: string[] = (await e.client.json('GET', CMS)).body.items.map((o: any) => o.metadata.name);
    for (const [n, s] of outcomes) expect(names.includes(n), n).toBe(s === 201);
    expect(names).toEqual(expect.arrayContaining(['before', 'after']));
  }, 240_000); // two engine starts: slow on a loaded machine
});
