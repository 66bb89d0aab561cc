import { ServerResponse, type IncomingMessage } from 'node:http';

type Method = (this: ServerResponse, ...args: unknown[]) => unknown;

/**
 * A response that commits the store's batched writes before any of its bytes leave: whatever a
 * client reads (an object, a list, a watch event, a resourceVersion) is on disk first, so a
 * kill -9 never takes back something a client has seen. Nothing to commit costs one check.
 */
export function flushingResponse(flush: () => void): typeof ServerResponse<IncomingMessage> {
  class FlushingResponse extends ServerResponse<IncomingMessage> {}
  const proto = FlushingResponse.prototype as unknown as Record<string, Method>;
  const base = ServerResponse.prototype as unknown as Record<string, Method>;
  for (const name of ['write', 'end', 'flushHeaders']) {
    const inner = base[name]!;
    proto[name] = function (this: ServerResponse, ...args: unknown[]) {
      try {
        flush();
      } catch {
        // A commit that fails (a full disk) keeps its writes queued for the next one; the
        // response still goes out, as a read of memory would.
      }
      return inner.apply(this, args);
    };
  }
  return FlushingResponse;
}
