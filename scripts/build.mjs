#!/usr/bin/env node
// `npm run build`: compiles cli.tsx and source/ to dist/ (tsc rewrites the .ts import specifiers),
// then lays beside the JavaScript what it reads at run time, at the same relative places: the
// non-TypeScript files of source/ (.proto schemas), fixtures/, and a launcher at dist/bin/skiff.js
// for the daemon to spawn. The TUI (source/ui/main.tsx and all it imports: the client, describe,
// Ink, React) becomes one bundle instead: loading ~400 files one by one, each through the module
// hook's thread, took most of the TUI's start-up; the hook's rewrites are applied here instead.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
  {
    stdio: 'inherit',
  },
);

const COMPILED = new Set(['.ts', '.tsx', '.mts']);
function copyAssets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(path);
    else if (!COMPILED.has(extname(entry.name))) {
      const to = join(dist, relative(root, path));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(path, to);
    }
  }
}
copyAssets(join(root, 'source'));
await bundleTui();
cpSync(join(root, 'fixtures'), join(dist, 'fixtures'), { recursive: true });
mkdirSync(join(dist, 'bin'), { recursive: true });
writeFileSync(join(dist, 'bin', 'skiff.js'), "#!/usr/bin/env node\nawait import('../cli.js');\n", { mode: 0o755 });
console.log(`built ${relative(process.cwd(), dist) || '.'}/`);

/** Replaces the TUI's compiled modules with a bundle at dist/source/ui/main.js (and its chunks). */
async function bundleTui() {
  const { build } = await import('esbuild');
  const { REWRITTEN_MODULES, rewriteModuleSource } = await import('../source/ui/module-rewrites.mjs');
  const rewritten = new Set();
  // Only the TUI imports these (nothing else in source/ does), so their compiled files go.
  for (const dir of ['ui', 'client', 'describe']) rmSync(join(dist, 'source', dir), { recursive: true, force: true });
  await build({
    entryPoints: [join(root, 'source', 'ui', 'main.tsx')],
    outdir: join(dist, 'source', 'ui'),
    bundle: true,
    splitting: true, // dynamic imports stay lazy (tui.tsx after the process is set up; Ink's devtools)
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: join(root, 'tsconfig.json'),
    // Native modules, optional ones `ws` tries, and Ink's devtools (only with DEV=true) stay imports.
    external: ['better-sqlite3', 'node-pty', 'bufferutil', 'utf-8-validate', 'react-devtools-core'],
    // CommonJS dependencies (React) call require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire as skiffCreateRequire } from 'node:module';\nconst require = skiffCreateRequire(import.meta.url);",
    },
    define: { SKIFF_BUNDLED: 'true', 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
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
