#!/usr/bin/env node
// `npm run build`: bundles what runs into dist/ with esbuild (no type check here: `npm test` runs
// tsc). Loading hundreds of modules one by one was most of the start-up of both the TUI and a
// cold `skiff cluster up`, so there are three bundles:
// - dist/cli.js: the command line and `skiff cluster …` (ES module);
// - dist/engine.cjs: the engine (`skiff engine`), CommonJS so that the daemon
//   (dist/bin/engine.cjs, what `cluster up` spawns) can run it through V8's code cache — made here
//   by starting the built daemon once (dist/engine.cjs.cache);
// - dist/source/ui/main.js: the TUI (the client, describe, Ink, React), with the module hook's
//   rewrites applied here instead of at run time.
// Beside them, at the relative places the sources read them from: the non-TypeScript files of
// source/ (.proto schemas, OpenAPI definitions), fixtures/, and dist/bin/skiff.js, the launcher
// the CLI knows itself by.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const ENGINE_ENTRY = join(root, 'source', 'cluster', 'run-engine.ts');

const COMMON = {
  bundle: true,
  splitting: true, // dynamic imports stay lazy
  format: 'esm',
  platform: 'node',
  target: 'node20',
  tsconfig: join(root, 'tsconfig.json'),
  // CommonJS dependencies call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as skiffCreateRequire } from 'node:module';\nconst require = skiffCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
};
// Native modules, and the optional ones `ws` tries, stay imports.
const NATIVE = ['better-sqlite3', 'node-pty', 'bufferutil', 'utf-8-validate'];

// The native relay (optional: it only warns when it cannot be built), loaded from native/ by the bundles.
spawnSync(process.execPath, [join(root, 'scripts', 'build-native.mjs'), '--if-stale'], { stdio: 'inherit' });
rmSync(dist, { recursive: true, force: true });
copyAssets(join(root, 'source'));
await bundleTui();
await bundleCli();
await bundleEngine();
cpSync(join(root, 'fixtures'), join(dist, 'fixtures'), { recursive: true });
// The engine reads these JSON copies of its fixtures instead (source/engine/yaml-file.ts).
for (const f of ['images.yaml', 'cluster.yaml'])
  writeFileSync(
    join(dist, 'fixtures', `${f}.json`),
    JSON.stringify(parse(readFileSync(join(root, 'fixtures', f), 'utf8'))),
  );
mkdirSync(join(dist, 'bin'), { recursive: true });
writeFileSync(join(dist, 'bin', 'skiff.js'), "#!/usr/bin/env node\nawait import('../cli.js');\n", { mode: 0o755 });
checkRelativeImports(dist);
asciiOnly(dist);
// After every rewrite of the bundles: the cache is stamped with the engine bundle's hash.
await warmEngineCodeCache();
console.log(`built ${relative(process.cwd(), dist) || '.'}/`);

/**
 * esbuild escapes non-ASCII characters in strings and identifiers but keeps them in comments (a
 * dependency's doc comments). One such character makes V8 hold the whole bundle as a two-byte
 * string, and the string literals it creates from it two-byte too: twice their memory, and every
 * JSON text that contains one is two-byte (a stored pod's text took 6.4 KB instead of 3.2). A
 * `\u` escape means the same wherever it may stand; in a comment it is only text.
 */
function asciiOnly(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) asciiOnly(path);
    else if (entry.name.endsWith('.js')) {
      const text = readFileSync(path, 'utf8');
      if (!/[^\x00-\x7f]/.test(text)) continue;
      writeFileSync(
        path,
        text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      );
    }
  }
}

/** The files of source/ that are not TypeScript, at the same places under dist/source/. */
function copyAssets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(path);
    else if (!/\.(ts|tsx|mts)$/.test(entry.name)) {
      const to = join(dist, relative(root, path));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(path, to);
    }
  }
}

/**
 * dist/cli.js: cli.tsx and all it imports. What it imports lazily (the cluster commands, the
 * engine, the TUI's entry) becomes chunks beside it, loaded when a command needs them; the TUI
 * itself is the other bundle, imported from there.
 */
async function bundleCli() {
  const tui = join(root, 'source', 'ui', 'main.tsx');
  await build({
    ...COMMON,
    entryPoints: [join(root, 'cli.tsx')],
    outdir: dist,
    external: NATIVE,
    plugins: [
      ownImportMetaUrl(dist),
      {
        name: 'skiff-tui-and-engine-bundles',
        setup(b) {
          b.onResolve({ filter: /[\\/]ui[\\/]main\.tsx$/ }, (args) =>
            join(args.resolveDir, args.path) === tui ? { path: './source/ui/main.js', external: true } : undefined,
          );
          b.onResolve({ filter: /[\\/]run-engine\.ts$/ }, (args) =>
            join(args.resolveDir, args.path) === ENGINE_ENTRY ? { path: './engine.cjs', external: true } : undefined,
          );
        },
      },
    ],
  });
}

/**
 * dist/engine.cjs: the engine, one CommonJS file (V8 caches the code of a script, not of an ES
 * module, on Node 20); and dist/bin/engine.cjs, the daemon that runs it with the cache, told the
 * bundle's hash so that a cache made from another build is never used.
 */
async function bundleEngine() {
  // Without comments (minifyWhitespace; names are kept, for stack traces) the file is ASCII: read
  // as a one-byte string, where a few non-ASCII characters in comments made Node decode 2 MB of
  // UTF-8 into a two-byte string on every start (60 ms of CPU).
  const common = {
    ...COMMON,
    format: 'cjs',
    splitting: false,
    minifyWhitespace: true,
    banner: { js: "'use strict';" },
  };
  await build({
    ...common,
    entryPoints: [ENGINE_ENTRY],
    outfile: join(dist, 'engine.cjs'),
    external: NATIVE,
    plugins: [ownImportMetaUrl(dist, 'cjs')],
  });
  // esbuild escapes strings but leaves regular expressions as written (`/µs/`): \u escapes mean
  // the same there (and in identifiers).
  const text = readFileSync(join(dist, 'engine.cjs'), 'utf8').replace(
    /[^\x00-\x7f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  writeFileSync(join(dist, 'engine.cjs'), text);
  // A vm.Script has no loader for import(): whatever the engine imports must be bundled or required.
  if (/\bimport\(/.test(text)) throw new Error('dist/engine.cjs has a dynamic import(), which its daemon cannot run');
  await build({
    ...common,
    entryPoints: [join(root, 'source', 'cluster', 'engine-entry.ts')],
    outfile: join(dist, 'bin', 'engine.cjs'),
    define: { SKIFF_ENGINE_BUILD: JSON.stringify(createHash('sha256').update(text).digest('hex').slice(0, 16)) },
  });
}

/**
 * Starts the built daemon once, in a scratch home, until it is ready: it then writes
 * dist/engine.cjs.cache, V8's code for all that start-up compiled. Users on another Node version
 * get their own on their first start (when dist/ is writable).
 */
async function warmEngineCodeCache() {
  const home = mkdtempSync(join(tmpdir(), 'skiff-build-'));
  try {
    const child = spawn(process.execPath, [join(dist, 'bin', 'engine.cjs'), 'engine', '--home', home, '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      env: { ...process.env, SKIFF_READY_FD: '3' },
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const ready = await new Promise((resolve) => {
      child.stdio[3].on('data', () => resolve(true));
      child.stdio[3].once('close', () => resolve(false));
      setTimeout(() => resolve(false), 120_000).unref();
    });
    child.stdio[3].destroy();
    // As `cluster up` does, ask for the nodes: the daemon starts its components after answering
    // (or a while later), and the cache then holds the code of serving a request too.
    if (ready) await getNodes(home);
    // It writes the cache once every component has started, a little after it says it is ready.
    const cache = join(dist, 'engine.cjs.cache');
    for (let i = 0; ready && !existsSync(cache) && child.exitCode === null && i < 1200; i++)
      await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    await exited;
    if (!ready || !existsSync(cache))
      throw new Error(`the built daemon did not start and write its code cache:\n${stderr}`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** `GET /api/v1/nodes` of the daemon in `home`, over its TLS with its token (what `cluster up` asks). */
function getNodes(home) {
  const { url } = JSON.parse(readFileSync(join(home, 'engine.json'), 'utf8'));
  const headers = { Authorization: `Bearer ${readFileSync(join(home, 'token'), 'utf8').trim()}` };
  const ca = readFileSync(join(home, 'pki', 'ca.crt'), 'utf8');
  return new Promise((resolve, reject) =>
    httpsGet(`${url}/api/v1/nodes`, { ca, headers }, (res) => {
      res.resume();
      res.once('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`nodes: HTTP ${res.statusCode}`))));
    }).once('error', reject),
  );
}

/**
 * Each bundled source module sees `import.meta.url` as the URL its own compiled file would have
 * (dist/ mirrors source/), so the files it reads beside itself
 * (`new URL('./definitions.json', import.meta.url)`) are found. Chunks land in `outdir` itself.
 */
function ownImportMetaUrl(outdir, format = 'esm') {
  // A CommonJS bundle has no import.meta: its own URL comes from __filename.
  const base = format === 'cjs' ? 'require("node:url").pathToFileURL(__filename)' : 'import.meta.url';
  return {
    name: 'skiff-own-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.(ts|tsx|mts)$/ }, (args) => {
        if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const compiled = join(dist, relative(root, args.path)).replace(/\.(ts|tsx|mts)$/, '.js');
        let rel = relative(outdir, compiled).replaceAll('\\', '/');
        if (!rel.startsWith('.')) rel = `./${rel}`;
        const contents = source.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, ${base}).href`);
        return { contents, loader: extname(args.path).slice(1) };
      });
    },
  };
}

/** Fails the build when a module in dist/ imports a relative path that is not there. */
function checkRelativeImports(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) checkRelativeImports(path);
    else if (entry.name.endsWith('.js')) {
      const text = readFileSync(path, 'utf8');
      for (const m of text.matchAll(/(?:from|import\()\s*['"](\.\.?\/[^'"]+)['"]/g)) {
        if (!existsSync(join(dirname(path), m[1])))
          throw new Error(`${relative(root, path)} imports ${m[1]}, which the build did not produce`);
      }
    }
  }
}

/** dist/source/ui/main.js (and its chunks): the TUI, with its dependencies' rewrites applied. */
async function bundleTui() {
  const { REWRITTEN_MODULES, rewriteModuleSource } = await import('../source/ui/module-rewrites.mjs');
  const rewritten = new Set();
  // The TUI's module hooks (.mjs) are applied here, not shipped.
  for (const dir of ['ui', 'client', 'describe']) rmSync(join(dist, 'source', dir), { recursive: true, force: true });
  await build({
    ...COMMON,
    entryPoints: [join(root, 'source', 'ui', 'main.tsx')],
    outdir: join(dist, 'source', 'ui'),
    // Ink's devtools (only with DEV=true) stay an import too.
    external: [...NATIVE, 'react-devtools-core'],
    define: { SKIFF_BUNDLED: 'true', 'process.env.NODE_ENV': '"production"' },
    // main.tsx still sets NODE_ENV at run time, for what the TUI spawns; the bundle reads the constant.
    logOverride: { 'assign-to-define': 'silent' },
    plugins: [
      {
        name: 'skiff-module-rewrites',
        setup(b) {
          b.onLoad({ filter: /[\\/]node_modules[\\/].*\.js$/ }, (args) => {
            const path = args.path.replaceAll('\\', '/');
            const source = readFileSync(args.path, 'utf8');
            const contents = rewriteModuleSource(path, source);
            if (contents === undefined) return undefined;
            if (contents !== source) rewritten.add(path);
            return { contents, loader: 'js' };
          });
        },
      },
    ],
  });
  // A dependency that changed shape is left as it is by its rewrite: fail here, not in a long session.
  const missed = REWRITTEN_MODULES.filter((m) => ![...rewritten].some((p) => p.endsWith(`/node_modules/${m}`)));
  if (missed.length) throw new Error(`the TUI bundle lacks the rewrites of ${missed.join(', ')}`);
  // esbuild escapes non-ASCII in strings but not in regular expressions and comments; one such
  // character makes V8 decode a whole chunk (the UI's is 1.6 MB) as UTF-8 into a two-byte string:
  // time at start-up and twice the memory. Escaped, `✗` in a regular expression or a comment means
  // what it meant.
  const ui = join(dist, 'source', 'ui');
  for (const f of readdirSync(ui).filter((n) => n.endsWith('.js'))) {
    const text = readFileSync(join(ui, f), 'utf8');
    const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    if (ascii !== text) writeFileSync(join(ui, f), ascii);
  }
}
