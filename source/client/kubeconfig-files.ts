import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import type { Cluster, Context, User } from '@kubernetes/client-node/dist/config_types.js';
import { KubeError } from './errors.ts';

/**
 * The files kubectl reads, in precedence order: `--kubeconfig` alone (it must exist), else every
 * entry of $KUBECONFIG (empty entries and repeats dropped), else ~/.kube/config.
 */
export function kubeconfigFiles(explicit?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (explicit) return [explicit];
  const list = env.KUBECONFIG?.split(delimiter).filter(Boolean) ?? [];
  if (!list.length) return [join(homedir(), '.kube', 'config')];
  return [...new Set(list)];
}

/**
 * Merge kubeconfig files as kubectl's loading rules do: a missing file is skipped (unless it is
 * the only, explicit one), the first file that names a cluster, user or context wins, and the first
 * non-empty current-context wins. Relative paths resolve against the directory of their file.
 */
export function mergeKubeconfigFiles(
  paths: string[],
  opts: { mustExist?: boolean; skipBroken?: boolean } = {},
): KubeConfig {
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const path of paths) {
    if (!existsSync(path)) {
      if (opts.mustExist) throw new KubeError(`stat ${path}: no such file or directory`, 0, 'NoKubeconfig');
      continue;
    }
    let one: KubeConfig | undefined;
    try {
      one = loadOne(path);
    } catch (err) {
      if (!opts.skipBroken) throw err;
    }
    if (!one) continue;
    for (const c of one.clusters) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.users) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of one.contexts) if (!contexts.has(c.name)) contexts.set(c.name, c);
    currentContext ||= one.getCurrentContext() ?? '';
  }
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [...clusters.values()],
    users: [...users.values()],
    contexts: [...contexts.values()],
    currentContext,
  });
  return kc;
}

function loadOne(path: string): KubeConfig | undefined {
  const text = readFileSync(path, 'utf8');
  if (!text.trim()) return undefined;
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(path);
  } catch (err) {
    throw new KubeError(`error loading kubeconfig ${path}: ${(err as Error).message}`, 0, 'BadKubeconfig');
  }
  const dir = dirname(resolve(path));
  // kubectl resolves an exec plugin's command against the file when it is a relative path
  // (contains a separator); a bare name is looked up on PATH.
  for (const u of kc.users) {
    const exec = u.exec as { command?: string } | undefined;
    if (exec?.command && exec.command.includes('/') && !isAbsolute(exec.command))
      exec.command = join(dir, exec.command);
  }
  return kc;
}
