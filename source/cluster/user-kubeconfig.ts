import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';

const NAME = 'skiff';

/** The kubeconfig file kind and kubectl write to: the first of $KUBECONFIG, else ~/.kube/config. */
export function userKubeconfigPath(): string {
  const env = process.env.KUBECONFIG;
  if (env) return env.split(delimiter).filter(Boolean)[0]!;
  return join(homedir(), '.kube', 'config');
}

type Named = { name: string; [k: string]: unknown };

function upsert(list: Named[] | undefined, item: Named): Named[] {
  return [...(list ?? []).filter((x) => x?.name !== item.name), item];
}

/** Merge the `skiff` cluster/user/context into the user's kubeconfig and make it current, like kind. */
export function mergeIntoUserKubeconfig(
  server: string,
  token: string,
  caCert: string,
  path = userKubeconfigPath(),
): string {
  const doc = existsSync(path) ? (parse(readFileSync(path, 'utf8')) ?? {}) : {};
  doc.apiVersion ??= 'v1';
  doc.kind ??= 'Config';
  doc.clusters = upsert(doc.clusters, {
    name: NAME,
    cluster: { server, 'certificate-authority-data': Buffer.from(caCert).toString('base64') },
  });
  doc.users = upsert(doc.users, { name: NAME, user: { token } });
  doc.contexts = upsert(doc.contexts, { name: NAME, context: { cluster: NAME, user: NAME, namespace: 'default' } });
  doc['current-context'] = NAME;
  doc.preferences ??= {};
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, stringify(doc), { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

/** Remove the `skiff` entries again (on reset). */
export function removeFromUserKubeconfig(path = userKubeconfigPath()): void {
  if (!existsSync(path)) return;
  const doc = parse(readFileSync(path, 'utf8')) ?? {};
  const drop = (l: Named[] | undefined) => (l ?? []).filter((x) => x?.name !== NAME);
  doc.clusters = drop(doc.clusters);
  doc.users = drop(doc.users);
  doc.contexts = drop(doc.contexts);
  if (doc['current-context'] === NAME) doc['current-context'] = '';
  writeFileSync(path, stringify(doc), { mode: 0o600 });
}
