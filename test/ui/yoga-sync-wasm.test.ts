import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { yogaSyncWasm } from '../../source/ui/yoga-sync-wasm.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const yogaDir = dirname(createRequire(join(ROOT, 'node_modules', 'ink', 'package.json')).resolve('yoga-layout'));
const loader = join(yogaDir, '..', 'binaries', 'yoga-wasm-base64-esm.js');

describe('yoga-layout reading its inlined wasm without fetch, synchronously', () => {
  it('applies to the installed yoga-layout', () => {
    const source = readFileSync(loader, 'utf8');
    const rewritten = yogaSyncWasm(source);
    expect(rewritten).not.toBe(source); // yoga-layout changed: check how it loads its wasm now
    expect(rewritten).toContain('new WebAssembly.Instance('); // … and how it instantiates it
    expect(rewritten).not.toContain('WebAssembly.instantiate(');
    expect(rewritten).toContain('Buffer.from('); // … and where its base64 is
  });

  it('lays out through the TUI’s module hook without loading undici', () => {
    const hook = pathToFileURL(join(ROOT, 'source', 'ui', 'ink-cache-hook.mjs')).href;
    const script = `import { register } from 'node:module';
register(${JSON.stringify(hook)});
const { default: Yoga } = await import('yoga-layout');
const root = Yoga.Node.create();
root.setWidth(80);
const child = Yoga.Node.create();
child.setFlexGrow(1);
root.insertChild(child, 0);
root.calculateLayout(undefined, undefined);
const undici = process.moduleLoadList.some((m) => m.includes('undici'));
console.log(JSON.stringify({ width: child.getComputedWidth(), undici }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(ROOT, 'node_modules', 'ink'),
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({ width: 80, undici: false });
  });
});
