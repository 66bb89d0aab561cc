const FETCH_DEFINED = '"function"!=typeof fetch';

/**
 * Rewrites yoga-layout 3's wasm loader (binaries/yoga-wasm-base64-esm.js) to decode its inlined
 * wasm as it does where `fetch` is missing, instead of fetching its own `data:` URL: on Node that
 * fetch loads undici, Node's whole HTTP client, only to read a string already in memory — a
 * good part of the TUI's time before its first frame. The bytes and the instance are the same.
 * Returns the source unchanged when it does not look as expected.
 */
export function yogaSyncWasm(source) {
  if (!source.includes(FETCH_DEFINED) || !source.includes('data:application/octet-stream;base64,')) return source;
  return source.replaceAll(FETCH_DEFINED, 'true'); // as if there were no fetch
}
