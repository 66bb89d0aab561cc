import type { Transport } from './transport.ts';

const asked = new WeakMap<Transport, Promise<number>>();

/**
 * The time scale of a skiff engine (`SKIFF_TIME_SCALE`: wall time per second of delay it waits),
 * read once per connection from its admin API; 1 for any other cluster (the path does not exist
 * there) or on error.
 */
export function engineTimeScale(transport: Transport): Promise<number> {
  let p = asked.get(transport);
  if (!p) {
    p = transport
      .json<{ timeScale?: unknown }>({ path: '/skiff/v1/clock' })
      .then((r) => (typeof r.timeScale === 'number' && r.timeScale > 0 ? r.timeScale : 1))
      .catch(() => 1);
    asked.set(transport, p);
  }
  return p;
}
