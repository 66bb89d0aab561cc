/**
 * Rewrites @kubernetes/client-node 1.x's dist/config.js so that it imports the two names it needs
 * from the generated client (createConfiguration, ServerConfiguration) from their own files
 * instead of from gen/index.js, which loads every generated API and model: about 40 MB of memory
 * and most of the import time, for classes the TUI never uses (it only reads kubeconfigs and
 * applies their auth). The bindings are the same objects gen/index.js re-exports. Returns the
 * source unchanged when it does not look as expected.
 */
export function slimClientNodeConfig(source) {
  const from = "import { createConfiguration, ServerConfiguration, } from './gen/index.js';";
  if (!source.includes(from)) return source;
  return source.replace(
    from,
    "import { createConfiguration } from './gen/configuration.js';\nimport { ServerConfiguration } from './gen/servers.js';",
  );
}
