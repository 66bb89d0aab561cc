import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { slimClientNodeConfig } from '../../source/ui/client-node-slim.mjs';

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
