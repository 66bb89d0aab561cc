const RECORDED = new Set(['events', 'events.events.k8s.io']);

/** What an empty table says: that it is empty, and what to do next. */
export function emptyHint(opts: {
  resource: string;
  plural: string;
  namespace: string | null;
  namespaced: boolean;
  readonly: boolean;
  scope?: string;
}): string {
  if (opts.scope) return `No ${opts.plural} for ${opts.scope} right now.`;
  if (opts.resource === 'problems')
    return `Nothing wrong found ${opts.namespace === null ? 'in any namespace' : `in namespace ${opts.namespace}`}.`;
  const where = opts.namespaced
    ? opts.namespace === null
      ? ' in any namespace'
      : ` in namespace ${opts.namespace}`
    : '';
  const next: string[] = [];
  // Events are recorded by the cluster, not created by hand: no suggestion to make one.
  if (!opts.readonly && !RECORDED.has(opts.resource)) {
    if (opts.resource === 'pods') next.push(':run NAME --image=nginx', ':create deployment NAME --image=nginx');
    else if (opts.resource === 'deployments.apps') next.push(':create deployment NAME --image=nginx');
    else if (opts.resource === 'services') next.push(':expose deployment NAME --port=80');
    else next.push(':apply -f FILE');
  }
  const parts = [`No ${opts.plural}${where} yet`];
  if (next.length) parts[0] += `. Create one with ${next.map((n) => `\`${n}\``).join(' or ')}`;
  if (opts.namespaced && opts.namespace !== null) parts.push('`0` shows all namespaces');
  return `${parts.join('; ')}.`;
}
