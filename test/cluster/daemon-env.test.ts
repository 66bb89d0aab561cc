import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { down, up } from '../../source/cluster/daemon.ts';
import { daemonEnv } from '../../source/cluster/daemon-env.ts';

const home = mkdtempSync(join(tmpdir(), 'skiff-daemon-env-'));
afterAll(async () => {
  await down(home);
  rmSync(home, { recursive: true, force: true });
});

describe('the engine daemon environment', () => {
  it('keeps the caller environment but NODE_EXTRA_CA_CERTS', () => {
    expect(daemonEnv({ A: '1', NODE_EXTRA_CA_CERTS: '/x.pem', NODE_OPTIONS: '--x' })).toEqual({
      A: '1',
      NODE_OPTIONS: '--x',
    });
  });

  it('is what the spawned daemon runs with', async () => {
    await up(home, {
      port: 0,
      mergeUserKubeconfig: false,
      env: { NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt', SKIFF_DAEMON_ENV_PROBE: 'kept' },
    });
    const pid = JSON.parse(readFileSync(join(home, 'engine.json'), 'utf8')).pid as number;
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    expect(environ).toContain('SKIFF_DAEMON_ENV_PROBE=kept');
    expect(environ.some((e) => e.startsWith('NODE_EXTRA_CA_CERTS='))).toBe(false);
  });
});
