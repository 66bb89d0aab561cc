// Module hook (runs in Node's loader thread), registered before the TUI loads Ink and the client
// when it runs from source: applies the rewrites of module-rewrites.mjs as the modules load. The
// built TUI (dist/) has them applied at build time and registers no hook.
import { rewriteModuleSource } from './module-rewrites.mjs';

export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (result.source == null) return result;
  const source = rewriteModuleSource(url, String(result.source));
  return source === undefined ? result : { ...result, source };
}
