import type { KObject } from '../../source/api-types/index.ts';

export const NOW = Date.parse('2026-11-26T05:37:33Z');
/** An ISO timestamp `seconds` before NOW. */
export const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString().replace('.000Z', 'Z');

export function event(
  reason: string,
  message: string,
  opts: {
    type?: string;
    from?: string;
    first?: number;
    last?: number;
    count?: number;
    kind?: string;
    name?: string;
  } = {},
): KObject {
  const first = opts.first ?? 60;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${opts.name ?? 'x'}.${reason.toLowerCase()}`, namespace: 'default' },
    involvedObject: { kind: opts.kind ?? 'Pod', name: opts.name ?? 'x', namespace: 'default' },
    reason,
    message,
    type: opts.type ?? 'Normal',
    source: { component: opts.from ?? 'kubelet' },
    firstTimestamp: ago(first),
    lastTimestamp: ago(opts.last ?? first),
    count: opts.count ?? 1,
  };
}

export const lines = (text: string) => text.split('\n');
