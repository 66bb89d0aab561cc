import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEngine, type Engine } from '../../source/engine/engine.ts';
import { ApiClient } from '../reliability/support/client.ts';

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('state files are private', () => {
  it('makes SKIFF_HOME 0700 and kubeconfig, token, state.db (+wal, shm) and pki files 0600, whatever the umask', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'skiff-modes-')), 'home');
    dirs.push(join(home, '..'));
    const oldUmask = process.umask(0);
    let engine: Engine | undefined;
    try {
      engine = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
      const api = new ApiClient(engine.url, engine.token, engine.caCert);
      // A write, so SQLite has created its WAL and shared-memory files.
      expect(
        (await api.json('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'm' } })).status,
      ).toBe(201);
      api.close();
      expect(mode(home)).toBe('700');
      expect(mode(join(home, 'pki'))).toBe('700');
      for (const f of ['kubeconfig', 'token', 'state.db', 'state.db-wal', 'state.db-shm'])
        expect(mode(join(home, f)), f).toBe('600');
      const pki = readdirSync(join(home, 'pki'));
      expect(pki).toEqual(expect.arrayContaining(['ca.crt', 'server.crt', 'server.key']));
      for (const f of pki) expect(mode(join(home, 'pki', f)), f).toBe('600');
    } finally {
      process.umask(oldUmask);
      await engine?.stop();
    }
  });

  it('tightens an existing world-readable SKIFF_HOME to 0700', async () => {
    const home = mkdtempSync(join(tmpdir(), 'skiff-modes-'));
    dirs.push(home);
    chmodSync(home, 0o755);
    const engine = await startEngine({ home, port: 0, apiOnly: true, log: () => {} });
    await engine.stop();
    expect(mode(home)).toBe('700');
  });
});
