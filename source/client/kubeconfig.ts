// The kubeconfig module, not the package index, which would load every generated API client.
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { KubeError } from './errors.ts';
import { kubeconfigFiles, mergeKubeconfigFiles } from './kubeconfig-files.ts';

export interface KubeconfigSource {
  /** A kubeconfig file; otherwise $KUBECONFIG or ~/.kube/config. */
  path?: string;
  /**
   * Files merged in this order (first wins), instead of `path`; missing ones are skipped, and so
   * are unreadable ones (the local engine opens even when the user's own kubeconfig is broken).
   */
  paths?: string[];
  /** A context to use instead of the file's current-context. */
  context?: string;
}

export interface ContextInfo {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
  current: boolean;
}

/**
 * The local engine's kubeconfig first (its current-context wins), then the user's files, so `:ctx`
 * offers every context without the user's current-context being touched.
 */
export function localEngineSource(engineKubeconfig: string): KubeconfigSource {
  return { paths: [engineKubeconfig, ...kubeconfigFiles()] };
}

/** Loads a kubeconfig and selects a context; the KubeConfig is a fresh copy each call. */
export function loadKubeConfig(source: KubeconfigSource): KubeConfig {
  const kc = source.paths
    ? mergeKubeconfigFiles(source.paths, { skipBroken: true })
    : mergeKubeconfigFiles(kubeconfigFiles(source.path), { mustExist: !!source.path });
  if (source.context) {
    if (!kc.getContextObject(source.context)) {
      throw new KubeError(`context "${source.context}" not found in kubeconfig`, 0, 'NoContext');
    }
    kc.setCurrentContext(source.context);
  }
  if (!kc.getCurrentContext() || !kc.getContextObject(kc.getCurrentContext())) {
    throw new KubeError('kubeconfig has no current context', 0, 'NoContext');
  }
  return kc;
}

export function listContexts(kc: KubeConfig): ContextInfo[] {
  const current = kc.getCurrentContext();
  return kc.getContexts().map((c) => ({
    name: c.name,
    cluster: c.cluster,
    user: c.user,
    namespace: c.namespace,
    server: kc.getCluster(c.cluster)?.server,
    current: c.name === current,
  }));
}

export function currentContextInfo(kc: KubeConfig): ContextInfo {
  const name = kc.getCurrentContext();
  const info = listContexts(kc).find((c) => c.name === name);
  if (!info) throw new KubeError(`context "${name}" not found`, 0, 'NoContext');
  return info;
}
