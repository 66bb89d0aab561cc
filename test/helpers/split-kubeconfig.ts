import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface SplitKubeconfig {
  dir: string;
  /** The first file: the reachable cluster, and its current-context. */
  first: string;
  /** The second file: the same cluster/user/context names (kubeadm style) pointing elsewhere, plus one more context. */
  second: string;
  /** A path in the list that does not exist (kubectl skips it). */
  missing: string;
  /** first:missing:second, as $KUBECONFIG. */
  env: string;
}

/**
 * A kubeconfig split across two files the way kubeadm clusters produce them: both call their
 * cluster `kubernetes`, their user `kubernetes-admin` and their context
 * `kubernetes-admin@kubernetes`. Merged as kubectl merges, the first file's entries and
 * current-context win; the second adds the context `staging`. A relative CA path in the first
 * file checks that paths resolve against their own file.
 */
export function writeSplitKubeconfig(server: string, token: string, caCert: string): SplitKubeconfig {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-split-kc-'));
  writeFileSync(join(dir, 'ca.crt'), caCert);
  const first = join(dir, 'admin.conf');
  const second = join(dir, 'staging.conf');
  const missing = join(dir, 'gone.conf');
  writeFileSync(
    first,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kubernetes', cluster: { server, 'certificate-authority': 'ca.crt' } }],
      users: [{ name: 'kubernetes-admin', user: { token } }],
      contexts: [{ name: 'kubernetes-admin@kubernetes', context: { cluster: 'kubernetes', user: 'kubernetes-admin' } }],
      'current-context': 'kubernetes-admin@kubernetes',
    }),
    { mode: 0o600 },
  );
  writeFileSync(
    second,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'kubernetes', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } },
        { name: 'staging', cluster: { server: 'https://127.0.0.1:2', 'insecure-skip-tls-verify': true } },
      ],
      users: [{ name: 'kubernetes-admin', user: { token: 'not-this-one' } }],
      contexts: [
        {
          name: 'kubernetes-admin@kubernetes',
          context: { cluster: 'kubernetes', user: 'kubernetes-admin', namespace: 'wrong' },
        },
        { name: 'staging', context: { cluster: 'staging', user: 'kubernetes-admin', namespace: 'web' } },
      ],
      'current-context': 'staging',
    }),
    { mode: 0o600 },
  );
  return { dir, first, second, missing, env: [first, missing, second].join(':') };
}
