import { chownSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/engine.ts';
import { spawnEngine, startEngineProcess } from './support/child-engine.ts';
import { dbSnapshot } from './support/snapshot.ts';

// Permission bits do not stop root, so the engine runs as `nobody` here.
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const CMS = '/api/v1/namespaces/default/configmaps';
let home: string;

/** Run the engine until it exits by itself (or kill it after 30 s): its exit code and output. */
async function runToExit(dir: string): Promise<{ code: number | null; out: string }> {
  const p = startEngineProcess(dir, { uid: NOBODY });
  let out = '';
  p.stdout!.on('data', (c) => (out += c));
  p.stderr!.on('data', (c) => (out += c));
  const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((r) => p.once('exit', (c) => r(c)));
  clearTimeout(timer);
  return { code, out };
}

beforeAll(async () => {
  if (!asRoot) return;
  home = mkdtempSync(join(tmpdir(), 'skiff-ro-'));
  chownSync(home, NOBODY, NOBODY);
  const e = await spawnEngine(home, { uid: NOBODY });
  expect((await e.client.json('POST', CMS, { metadata: { name: 'kept' }, data: { a: '1' } })).status).toBe(201);
  await e.kill('SIGTERM');
});
afterAll(() => home && rmSync(home, { recursive: true, force: true }));

describe.skipIf(!asRoot)('a read-only state directory or database file', () => {
  it('refuses to start on a read-only state.db, naming it, and leaves it intact', async () => {
    const db = join(home, 'state.db');
    const before = dbSnapshot(db);
    chmodSync(db, 0o400);
    try {
      const r = await runToExit(home);
      expect(r.code).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.out).toContain(`cannot write the state database ${db}: attempt to write a readonly database`);
    } finally {
      chmodSync(db, 0o600);
    }
    expect(dbSnapshot(db)).toEqual(before);
  });

  it('refuses to start in a state directory it cannot write, naming it', async () => {
    const before = dbSnapshot(join(home, 'state.db'));
    chownSync(home, 0, 0);
    chmodSync(home, 0o755);
    try {
      const r = await runToExit(home);
      expect(r.code).not.toBe(0);
      expect(r.code).not.toBeNull();
      expect(r.out).toMatch(new RegExp(`(EACCES|EPERM)[^\\n]*${home}`));
    } finally {
      chownSync(home, NOBODY, NOBODY);
      chmodSync(home, 0o700);
    }
    expect(dbSnapshot(join(home, 'state.db'))).toEqual(before);
  });

  it('starts again once the state is writable, with everything it had', async () => {
    const e = await spawnEngine(home, { uid: NOBODY });
    try {
      const got = await waitFor(async () => (await e.client.json('GET', `${CMS}/kept`)).body, 5_000);
      expect(got.data).toEqual({ a: '1' });
    } finally {
      await e.kill('SIGTERM');
    }
  });
});
