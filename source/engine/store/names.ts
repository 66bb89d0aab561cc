import { randomBytes } from 'node:crypto';

const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Random bytes drawn in blocks: one randomBytes call (a syscall's worth) per 4 KiB of names, not per name. */
let pool = Buffer.alloc(0);
let used = 0;

/** `n` random characters from `alphabet` (the apiserver's by default), for generateName. */
export function randomSuffix(n = 5, alphabet = ALPHABET): string {
  if (used + n > pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[pool[used++]! % alphabet.length];
  return s;
}

export function generateName(prefix: string): string {
  return prefix.slice(0, 58) + randomSuffix();
}

/** Map a uint32 hash to the apiserver's "safe" alphabet (pod-template-hash style). */
export function safeEncodeHash(n: number): string {
  return String(n >>> 0)
    .split('')
    .map((c) => ALPHABET[c.charCodeAt(0) % ALPHABET.length])
    .join('');
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export type NameFormat = 'subdomain' | 'label' | 'dns1035' | 'path';

/** Return the apiserver's message for an invalid name, or undefined when valid. */
export function nameError(name: string, format: NameFormat): string | undefined {
  switch (format) {
    case 'label':
      if (name.length > 63) return 'must be no more than 63 characters';
      if (!DNS1123_LABEL.test(name))
        return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
      return undefined;
    case 'dns1035':
      if (name.length > 63) return 'must be no more than 63 characters';
      if (!DNS1035_LABEL.test(name))
        return "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
      return undefined;
    case 'path':
      if (name === '.' || name === '..') return `may not be '${name}'`;
      if (name.includes('/') || name.includes('%')) return "may not contain '/' or '%'";
      return undefined;
    default:
      if (name.length > 253) return 'must be no more than 253 characters';
      if (!DNS1123_SUBDOMAIN.test(name))
        return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
      return undefined;
  }
}
