const FETCH_DEFINED = '"function"!=typeof fetch';
// Emscripten's createWasm: `function c(e){return ya().then(function(f){return WebAssembly.instantiate(f,d)})
// .then(function(f){return f}).then(e,function(f){…})}`, `ya` being the promise of `wa()`, the bytes.
const ASYNC_INSTANTIATE =
  /function (\w+)\((\w+)\)\{return (\w+)\(\)\.then\(function\((\w+)\)\{return WebAssembly\.instantiate\(\4,(\w+)\)\}\)\.then\(function\((\w+)\)\{return \6\}\)\.then\(\2,function\((\w+)\)\{(\w+)\(("failed to asynchronously prepare wasm: ")\+\7\);(\w+)\(\7\)\}\)\}/;
const SYNC_BYTES = (promise) =>
  new RegExp(
    `function ${promise}\\(\\)\\{return \\w+\\|\\|true\\?Promise\\.resolve\\(\\)\\.then\\(function\\(\\)\\{return (\\w+)\\(\\)\\}\\)`,
  );
const DATA_URL = /\b(\w+)="data:application\/octet-stream;base64,/;

/**
 * Rewrites yoga-layout 3's wasm loader (binaries/yoga-wasm-base64-esm.js) to decode its inlined
 * wasm as it does where `fetch` is missing, instead of fetching its own `data:` URL: on Node that
 * fetch loads undici, Node's whole HTTP client, only to read a string already in memory — a
 * good part of the TUI's time before its first frame. It then decodes the base64 with Node's
 * Buffer (the loader's own decoding is atob and a loop over ~90 KB, cold JavaScript at start-up) and
 * compiles and instantiates the wasm synchronously, without the promise round trips. The bytes and
 * the instance are the same. Returns the source unchanged when it does not look as expected.
 */
export function yogaSyncWasm(source) {
  if (!source.includes(FETCH_DEFINED) || !source.includes('data:application/octet-stream;base64,')) return source;
  const noFetch = source.replaceAll(FETCH_DEFINED, 'true'); // as if there were no fetch
  const m = ASYNC_INSTANTIATE.exec(noFetch);
  const bytes = m && SYNC_BYTES(m[3]).exec(noFetch);
  if (!m || !bytes) return noFetch;
  const [, name, done, , f, imports, , , warn, , abort] = m;
  const url = DATA_URL.exec(noFetch)?.[1];
  const wasm = url ? `typeof Buffer=="function"?Buffer.from(${url}.slice(37),"base64"):${bytes[1]}()` : `${bytes[1]}()`;
  const sync =
    `function ${name}(${done}){try{${done}({instance:new WebAssembly.Instance(new WebAssembly.Module(${wasm}),${imports})})}` +
    `catch(${f}){${warn}("failed to prepare wasm: "+${f});${abort}(${f})}return Promise.resolve()}`;
  return noFetch.replace(m[0], sync);
}
