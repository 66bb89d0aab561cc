import { createHash, sign, type KeyObject } from 'node:crypto';
import { isIPv4 } from 'node:net';
import * as der from './der.ts';

const ECDSA_WITH_SHA256 = der.sequence(der.oid('1.2.840.10045.4.3.2'));
const COMMON_NAME = '2.5.4.3';

export interface CertificateRequest {
  serial: number;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** The certified key (an EC P-256 key). */
  publicKey: KeyObject;
  /** The issuer's private key (the certified key's own for a self-signed certificate). */
  signingKey: KeyObject;
  /** A CA certificate (it signs the others); otherwise a serverAuth certificate for `serverNames`. */
  ca?: boolean;
  /** The DNS names and IPv4 addresses a server certificate is for. */
  serverNames?: { dns: string[]; ips: string[] };
}

const name = (cn: string) => der.sequence(der.set(der.sequence(der.oid(COMMON_NAME), der.utf8String(cn))));

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(der.oid(id), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

/** An X.509 v3 certificate (PEM), ECDSA with SHA-256: a CA, or a server certificate it signs. */
export function certificate(req: CertificateRequest): string {
  const spki = req.publicKey.export({ type: 'spki', format: 'der' });
  // RFC 5280 4.2.1.2 (1): SHA-1 of the subjectPublicKey bits (the uncompressed point, 65 bytes for P-256).
  const keyId = createHash('sha1')
    .update(spki.subarray(spki.length - 65))
    .digest();
  const extensions = req.ca
    ? [
        extension('2.5.29.19', true, der.sequence(der.boolean(true))),
        // digitalSignature (0), keyCertSign (5), cRLSign (6)
        extension('2.5.29.15', true, der.namedBits([0, 5, 6])),
        extension('2.5.29.14', false, der.octetString(keyId)),
      ]
    : [
        extension('2.5.29.19', true, der.sequence()),
        // digitalSignature (0), keyEncipherment (2)
        extension('2.5.29.15', true, der.namedBits([0, 2])),
        extension('2.5.29.37', false, der.sequence(der.oid('1.3.6.1.5.5.7.3.1'))),
        extension(
          '2.5.29.17',
          false,
          der.sequence(
            ...(req.serverNames?.dns ?? []).map((d) => der.implicit(2, Buffer.from(d, 'ascii'))),
            ...(req.serverNames?.ips ?? [])
              .filter((ip) => isIPv4(ip))
              .map((ip) => der.implicit(7, Buffer.from(ip.split('.').map(Number)))),
          ),
        ),
      ];
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)), // v3
    der.smallInteger(req.serial),
    ECDSA_WITH_SHA256,
    name(req.issuer),
    der.sequence(der.time(req.notBefore), der.time(req.notAfter)),
    name(req.subject),
    spki,
    der.explicit(3, der.sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, req.signingKey); // DER-encoded ECDSA signature
  const cert = der.sequence(tbs, ECDSA_WITH_SHA256, der.bitString(signature));
  const b64 = cert
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
