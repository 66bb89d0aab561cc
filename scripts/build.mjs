#!/usr/bin/env node
// `npm run build`: bundles what runs into dist/ with esbuild (no type check here: `npm test` runs
// tsc). Loading hundreds of modules one by one was most of the start-up of both the TUI and a
// cold `skiff cluster up`, so there are two bundles:
// - dist/cli.js: the command line and `skiff cluster …`; the engine is a chunk beside it that
//   only `skiff engine` (the daemon) loads;
// - dist/source/ui/main.js: the TUI (the client, describe, Ink, React), with the module hook's
//   rewrites applied here instead of at run time.
// Beside them, at the relative places the sources read them from: the non-TypeScript files of
// source/ (.proto schemas, OpenAPI definitions), fixtures/, and a launcher at dist/bin/skiff.js for
// the daemon to spawn.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

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

rmSync(dist, { recursive: true, force: true });
copyAssets(join(root, 'source'));
await bundleTui();
await bundleCli();
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
        name: 'skiff-tui-bundle',
        setup(b) {
          b.onResolve({ filter: /[\\/]ui[\\/]main\.tsx$/ }, (args) =>
            join(args.resolveDir, args.path) === tui ? { path: './source/ui/main.js', external: true } : undefined,
          );
        },
      },
    ],
  });
}

/**
 * Each bundled source module sees `import.meta.url` as the URL its own compiled file would have
 * (dist/ mirrors source/), so the files it reads beside itself
 * (`new URL('./definitions.json', import.meta.url)`) are found. Chunks land in `outdir` itself.
 */
function ownImportMetaUrl(outdir) {
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
        const contents = source.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`);
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
}
