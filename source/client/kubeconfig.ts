import { KubeConfig } from '@kubernetes/client-node';
import { KubeError } from './errors.ts';

export interface KubeconfigSource {
  /** A kubeconfig file; otherwise $KUBECONFIG or ~/.kube/config. */
  path?: string;
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

/** Loads a kubeconfig and selects a context; the KubeConfig is a fresh copy each call. */
export function loadKubeConfig(source: KubeconfigSource): KubeConfig {
  const kc = new KubeConfig();
  if (source.path) kc.loadFromFile(source.path);
  else kc.loadFromDefault();
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
