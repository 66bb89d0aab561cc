import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePki } from '../../source/engine/tls.ts';

const home = mkdtempSync(join(tmpdir(), 'skiff-pki-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('ensurePki', () => {
  it('makes a CA and a server certificate it signs, for the API names and addresses', async () => {
    const pki = await ensurePki(home, ['127.0.0.1', '127.96.0.1']);
    const ca = new X509Certificate(pki.caCert);
    const server = new X509Certificate(pki.cert);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=skiff-ca');
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.issuer).toBe('CN=skiff-ca');
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('127.96.0.1')).toBe('127.96.0.1');
    expect(server.checkHost('kubernetes.default.svc.cluster.local')).toBe('kubernetes.default.svc.cluster.local');
    expect(server.checkHost('example.com')).toBeUndefined();
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth
    expect(createPublicKey(createPrivateKey(pki.key)).equals(server.publicKey)).toBe(true);
    expect(new Date(server.validTo).getTime()).toBeGreaterThan(Date.now() + 9 * 365 * 24 * 3600_000);
    for (const f of ['ca.crt', 'server.crt', 'server.key'])
      expect(statSync(join(home, 'pki', f)).mode & 0o777).toBe(0o600);
  });

  it('keeps what it made', async () => {
    const first = await ensurePki(home, ['127.0.0.1']);
    expect(await ensurePki(home, ['127.0.0.1'])).toEqual(first);
  });

  it('is strict DER that OpenSSL verifies', async (ctx) => {
    let openssl = true;
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
    } catch {
      openssl = false;
    }
    if (!openssl) ctx.skip();
    const pki = join(home, 'pki');
    const out = execFileSync('openssl', ['verify', '-CAfile', join(pki, 'ca.crt'), join(pki, 'server.crt')], {
      encoding: 'utf8',
    });
    expect(out).toContain('server.crt: OK');
  });
});
