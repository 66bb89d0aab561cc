import { createPrivateKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importSPKI,
  type CryptoKey,
} from 'jose';

export interface SigningKeys {
  /** For signing synchronously (the kubelet's token files are written in one go). */
  signingKey: KeyObject;
  publicKey: CryptoKey;
  /** Key id in every token's header, the public key's JWK thumbprint (as upstream's kid). */
  kid: string;
}

/**
 * The service-account signing key, `$SKIFF_HOME/pki/sa.key` (0600) and `sa.pub`, created once.
 * It lives with the rest of the PKI, which no container view includes.
 */
export async function ensureSigningKeys(home: string): Promise<SigningKeys> {
  const dir = join(home, 'pki');
  const keyPath = join(dir, 'sa.key');
  const pubPath = join(dir, 'sa.pub');
  let publicKey: CryptoKey;
  if (existsSync(keyPath) && existsSync(pubPath)) {
    publicKey = await importSPKI(readFileSync(pubPath, 'utf8'), 'ES256', { extractable: true });
  } else {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pair = await generateKeyPair('ES256', { extractable: true });
    publicKey = pair.publicKey;
    writeFileSync(keyPath, await exportPKCS8(pair.privateKey), { mode: 0o600 });
    writeFileSync(pubPath, await exportSPKI(publicKey), { mode: 0o600 });
    chmodSync(keyPath, 0o600);
    chmodSync(pubPath, 0o600);
  }
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return { signingKey: createPrivateKey(readFileSync(keyPath, 'utf8')), publicKey, kid };
}
