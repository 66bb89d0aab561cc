// @peculiar/x509 needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  caCert: string;
  cert: string;
  key: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function pem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END PRIVATE KEY-----\n`;
}

/**
 * The engine's TLS material under `$SKIFF_HOME/pki`, created once: a CA and a serving
 * certificate for the loopback addresses the API is reached on. kubectl sends bearer tokens
 * only over TLS, so the API is HTTPS even on loopback.
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
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const now = new Date(Date.now() - 60_000);
  const tenYears = new Date(now.getTime() + 10 * 365 * 24 * 3600_000);
  const caKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=skiff-ca',
    notBefore: now,
    notAfter: tenYears,
    keys: caKeys as CryptoKeyPair,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create((caKeys as CryptoKeyPair).publicKey),
    ],
  });
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: 'CN=kube-apiserver',
    issuer: ca.subject,
    notBefore: now,
    notAfter: tenYears,
    signingKey: (caKeys as CryptoKeyPair).privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'dns', value: 'kubernetes' },
        { type: 'dns', value: 'kubernetes.default' },
        { type: 'dns', value: 'kubernetes.default.svc' },
        { type: 'dns', value: 'kubernetes.default.svc.cluster.local' },
        ...ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
    ],
  });
  const out: Pki = {
    caCert: ca.toString('pem') + '\n',
    cert: cert.toString('pem') + '\n',
    key: await pem(keys.privateKey),
  };
  writeFileSync(paths.ca, out.caCert, { mode: 0o600 });
  writeFileSync(paths.cert, out.cert, { mode: 0o600 });
  writeFileSync(paths.key, out.key, { mode: 0o600 });
  for (const p of Object.values(paths)) chmodSync(p, 0o600);
  return out;
}
