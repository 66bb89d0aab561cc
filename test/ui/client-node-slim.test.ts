import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lazyClientNodeFetch, slimClientNodeConfig } from '../../source/ui/client-node-slim.mjs';

const dist = dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node'));

describe("client-node's kubeconfig module without the whole generated API", () => {
  it('rewrites the installed config.js to import the same two bindings from their own files', async () => {
    const source = readFileSync(join(dist, 'config.js'), 'utf8');
    const slim = slimClientNodeConfig(source);
    expect(slim).not.toBe(source); // client-node changed: the rewrite no longer applies
    expect(slim).not.toContain('./gen/index.js');
    const imported = [...slim.matchAll(/import \{ (\w+) \} from '(\.\/gen\/[\w/]+\.js)';/g)];
    expect(imported.map((m) => m[1]).sort()).toEqual(['ServerConfiguration', 'createConfiguration']);
    const index = await import(pathToFileURL(join(dist, 'gen', 'index.js')).href);
    for (const [, name, file] of imported) {
      const mod = await import(pathToFileURL(join(dist, file)).href);
      expect(mod[name]).toBeTypeOf('function');
      expect(mod[name]).toBe(index[name]); // the very objects the index re-exports
    }
  });
});

describe("client-node's optional dependencies load when a call needs them", () => {
  it('rewrites config.js and isomorphic-fetch.js to import node-fetch and socks-proxy-agent on use', () => {
    const config = slimClientNodeConfig(readFileSync(join(dist, 'config.js'), 'utf8'));
    const fetchLib = readFileSync(join(dist, 'gen', 'http', 'isomorphic-fetch.js'), 'utf8');
    const lazyFetch = lazyClientNodeFetch(fetchLib);
    expect(lazyFetch).not.toBe(fetchLib); // client-node changed: the rewrite no longer applies
    for (const source of [config, lazyFetch]) {
      expect(source).not.toMatch(/^import .* from '(node-fetch|socks-proxy-agent)';$/m);
      expect(source).not.toMatch(/^import .* from "(node-fetch|socks-proxy-agent)";$/m);
    }
    expect(config.match(/await skiffSocksProxy\(cluster\);/g)).toHaveLength(2); // before both createAgent calls
  });

  it('still builds fetch headers and fetches through the rewritten modules (the module hook applies them)', () => {
    // A child process with the TUI's module hook, as the TUI runs from source.
    const hook = pathToFileURL(join(import.meta.dirname, '..', '..', 'source', 'ui', 'ink-cache-hook.mjs')).href;
    const script = `
      import { register } from 'node:module';
      import http from 'node:http';
      register(${JSON.stringify(hook)});
      const { KubeConfig } = await import('@kubernetes/client-node/dist/config.js');
      const { IsomorphicFetchHttpLibrary } = await import('@kubernetes/client-node/dist/gen/http/isomorphic-fetch.js');
      const { RequestContext } = await import('@kubernetes/client-node/dist/gen/http/http.js');
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [{ name: 'c', server: 'https://127.0.0.1:1' }],
        users: [{ name: 'u', token: 't0k' }],
        contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
        currentContext: 'x',
      });
      const opts = await kc.applyToFetchOptions({ headers: { 'x-a': '1' } });
      const server = http.createServer((req, res) => res.end('hello ' + req.headers['x-b']));
      await new Promise((r) => server.listen(0, '127.0.0.1', r));
      const ctx = new RequestContext('http://127.0.0.1:' + server.address().port + '/', 'GET');
      ctx.setHeaderParam('x-b', 'there');
      const body = await new Promise((resolve, reject) =>
        new IsomorphicFetchHttpLibrary().send(ctx).toPromise().then((r) => r.body.text()).then(resolve, reject),
      );
      server.close();
      console.log(JSON.stringify({ a: opts.headers.get('x-a'), auth: opts.headers.get('authorization'), body }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..', '..'),
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ a: '1', auth: 'Bearer t0k', body: 'hello there' });
  }, 30_000);
});
