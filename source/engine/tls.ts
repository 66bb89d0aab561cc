import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificate } from './pki/certificate.ts';

export interface Pki {
  caCert: string;
  cert: string;
  key: string;
}

const SERVER_NAMES = [
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];

/**
 * The engine's TLS material under `$SKIFF_HOME/pki`, created once: a CA and a serving
 * certificate for the loopback addresses the API is reached on (ECDSA P-256). kubectl sends
 * bearer tokens only over TLS, so the API is HTTPS even on loopback.
 */
export async function ensurePki(home: string, ips: string[]): Promise<Pki> {
  const dir = join(home, 'pki');
  const paths = { ca: join(dir, 'ca.crt'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
  if (existsSync(paths.ca) && existsSync(paths.cert) && existsSync(paths.key)) {
    return {
      caCert: readFileSync(paths.ca, 'utf8'),
      cert: readFileSync(paths.cert, 'utf8'),
      key: readFileSync(paths.key, 'utf8'),
    };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + 10 * 365 * 24 * 3600_000);
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const out: Pki = {
    caCert: certificate({
      serial: 1,
      subject: 'skiff-ca',
      issuer: 'skiff-ca',
      notBefore,
      notAfter,
      publicKey: ca.publicKey,
      signingKey: ca.privateKey,
      ca: true,
    }),
    cert: certificate({
      serial: 2,
      subject: 'kube-apiserver',
      issuer: 'skiff-ca',
      notBefore,
      notAfter,
      publicKey: server.publicKey,
      signingKey: ca.privateKey,
      serverNames: { dns: SERVER_NAMES, ips },
    }),
    key: server.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
  writeFileSync(paths.ca, out.caCert, { mode: 0o600 });
  writeFileSync(paths.cert, out.cert, { mode: 0o600 });
  writeFileSync(paths.key, out.key, { mode: 0o600 });
  for (const p of Object.values(paths)) chmodSync(p, 0o600);
  return out;
}
