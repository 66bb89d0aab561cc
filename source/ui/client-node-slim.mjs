/**
 * Rewrites @kubernetes/client-node 1.x's dist/config.js so that it imports the two names it needs
 * from the generated client (createConfiguration, ServerConfiguration) from their own files
 * instead of from gen/index.js, which loads every generated API and model: about 40 MB of memory
 * and most of the import time, for classes the TUI never uses (it only reads kubeconfigs and
 * applies their auth). The bindings are the same objects gen/index.js re-exports.
 *
 * It also loads node-fetch (its `Headers`, for applyToFetchOptions) and socks-proxy-agent (for a
 * `socks5://` proxy-url) when a call needs them, not with the module: evaluating node-fetch's URL
 * tables (tr46) and the SOCKS stack (ip-address, socks, debug) was the largest part of the TUI's
 * module evaluation before its first frame. Both are only reached from async methods.
 *
 * Returns the source unchanged when any part does not look as expected (the build then fails).
 */
export function slimClientNodeConfig(source) {
  const edits = [
    [
      "import { createConfiguration, ServerConfiguration, } from './gen/index.js';",
      "import { createConfiguration } from './gen/configuration.js';\nimport { ServerConfiguration } from './gen/servers.js';",
    ],
    ["import { Headers } from 'node-fetch';\n", ''],
    [
      "import { SocksProxyAgent } from 'socks-proxy-agent';",
      // Assigned by skiffSocksProxy() before createAgent() reads it.
      "let SocksProxyAgent;\nasync function skiffSocksProxy(cluster) {\n    if (cluster?.proxyUrl?.startsWith('socks') && !SocksProxyAgent)\n        ({ SocksProxyAgent } = await import('socks-proxy-agent'));\n}",
    ],
    [
      '        const headers = new Headers();',
      "        const { Headers } = await import('node-fetch');\n        const headers = new Headers();",
    ],
    [
      '        opts.agent = this.createAgent(cluster, agentOptions);',
      '        await skiffSocksProxy(cluster);\n        opts.agent = this.createAgent(cluster, agentOptions);',
    ],
    [
      '        context.setAgent(this.createAgent(cluster, agentOptions));',
      '        await skiffSocksProxy(cluster);\n        context.setAgent(this.createAgent(cluster, agentOptions));',
    ],
  ];
  if (edits.some(([from]) => source.split(from).length !== 2)) return source;
  return edits.reduce((s, [from, to]) => s.replace(from, () => to), source);
}

/**
 * Rewrites client-node's gen/http/isomorphic-fetch.js (the generated API's HTTP library, which
 * the kubeconfig module imports for makeApiClient) to load node-fetch on its first request
 * instead of with the module. `fetch` keeps its contract: it returns a promise of the response.
 */
export function lazyClientNodeFetch(source) {
  const from = 'import fetch from "node-fetch";';
  if (source.split(from).length !== 2) return source;
  return source.replace(from, () => "const fetch = (...args) => import('node-fetch').then((m) => m.default(...args));");
}
