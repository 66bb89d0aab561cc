import type { KObject } from '../../api-types/index.ts';
import { PORT_MAP_ANNOTATION } from '../proxy/targets.ts';
import type { PortMapping } from '../runtime/index.ts';
import type { Store } from '../store/store.ts';

/**
 * Publish container ports that listen elsewhere than asked (`{"80":"127.244.1.5:41234"}`) on the
 * pod, where the service proxy and port-forward look them up.
 */
export function publishPortMappings(store: Store, pod: KObject, mappings: readonly PortMapping[]): void {
  if (!mappings.length) return;
  try {
    store.mutate('pods', pod.metadata.namespace, pod.metadata.name!, (o) => {
      if (o.metadata.uid !== pod.metadata.uid) return false;
      const annotations = (o.metadata.annotations ??= {});
      let map: Record<string, string> = {};
      try {
        map = JSON.parse(annotations[PORT_MAP_ANNOTATION] ?? '{}') ?? {};
      } catch {
        // replaced below
      }
      for (const m of mappings) map[String(m.containerPort)] = `${m.hostIP}:${m.hostPort}`;
      const text = JSON.stringify(map);
      if (annotations[PORT_MAP_ANNOTATION] === text) return false;
      annotations[PORT_MAP_ANNOTATION] = text;
    });
  } catch {
    // the pod is gone
  }
}
