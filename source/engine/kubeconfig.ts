import { chmodSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export const CONTEXT_NAME = 'skiff';

/** The kubeconfig document for the local engine (context, cluster and user all named `skiff`). */
export function kubeconfigDoc(server: string, token: string, caCert: string) {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: CONTEXT_NAME, cluster: { server, 'certificate-authority-data': Buffer.from(caCert).toString('base64') } },
    ],
    users: [{ name: CONTEXT_NAME, user: { token } }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME, namespace: 'default' } }],
    'current-context': CONTEXT_NAME,
    preferences: {},
  };
}

export function writeKubeconfig(path: string, server: string, token: string, caCert: string): void {
  writeFileSync(path, stringify(kubeconfigDoc(server, token, caCert)), { mode: 0o600 });
  chmodSync(path, 0o600);
}
