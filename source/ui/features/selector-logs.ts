import { parseFlags, tokenize } from '../commands.ts';
import type { Controller } from '../controller.ts';
import { MergedSource } from '../merged-source.ts';
import { namespaceSet } from '../namespace-set.ts';
import { LogDoc, MAX_LOG_STREAMS } from './log-doc.ts';

/** The part of the app host (Controller) this feature uses, with what the features it calls use. */
type Host = Pick<Controller, 'pushText' | 'session' | 'state' | 'toast'>;

const USAGE = 'usage: logs -l SELECTOR [-n NAMESPACE] [-c CONTAINER] [--max-log-requests N]';

/**
 * `:logs -l app=web`: stern-style logs of every pod the selector matches, every container, each
 * source in its own colour; pods that appear later join while the view is open.
 */
export function openSelectorLogs(c: Host, text: string): boolean {
  const session = c.session;
  const pods = session?.registry.get('pods');
  if (!session || !pods) return false;
  const { flags } = parseFlags(tokenize(text).slice(1));
  const selector = flags.l ?? flags.selector;
  if (!selector || selector === 'true') {
    c.toast(USAGE, 'error');
    return false;
  }
  const max = flags['max-log-requests'] ?? String(MAX_LOG_STREAMS);
  if (!/^\d+$/.test(max) || Number(max) < 1) {
    c.toast('--max-log-requests must be a positive number', 'error');
    return false;
  }
  const namespace = flags.n ?? flags.namespace ?? c.state.namespace ?? session.defaultNamespace;
  const container = flags.c ?? flags.container;
  // A namespace set: one watch per namespace, merged (as the tables do).
  const acquired = (namespaceSet(namespace) ?? [namespace]).map((ns) =>
    session.pool.acquire({ resource: pods, namespace: ns, labelSelector: selector }),
  );
  const cache = acquired.length === 1 ? acquired[0]!.cache : new MergedSource(acquired.map((a) => a.cache));
  const release = () => acquired.forEach((a) => a.release());
  const doc = new LogDoc(
    session.transport,
    { kind: 'pods', namespace, pods: cache, allContainers: true, maxStreams: Number(max) },
    {
      container: container && container !== 'true' ? container : undefined,
      previous: false,
      timestamps: false,
      tailLines: 200,
    },
  );
  const close = doc.close.bind(doc);
  doc.close = () => {
    close();
    release();
  };
  c.pushText({ mode: 'logs', title: `${namespace}/-l ${selector}`, resource: 'pods', follow: true, wrap: false }, doc);
  return true;
}
