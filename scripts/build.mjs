#!/usr/bin/env node
// `npm run build`: compiles cli.tsx and source/ to dist/ (tsc rewrites the .ts import specifiers),
// then lays beside the JavaScript what it reads at run time, at the same relative places: the
// non-TypeScript files of source/ (.proto schemas, the Ink module hook), fixtures/, and a launcher
// at dist/bin/skiff.js for the daemon to spawn.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
cpSync(join(root, 'fixtures'), join(dist, 'fixtures'), { recursive: true });
mkdirSync(join(dist, 'bin'), { recursive: true });
writeFileSync(join(dist, 'bin', 'skiff.js'), "#!/usr/bin/env node\nawait import('../cli.js');\n", { mode: 0o755 });
console.log(`built ${relative(process.cwd(), dist) || '.'}/`);
