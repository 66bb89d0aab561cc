// Prints how many times the type `any` is written in source/ (issue #13 tracks it down to zero).
// Counts `any` type nodes with the TypeScript parser, so words in comments and strings don't count.
// Usage: npm run count-any [-- --files]   (--files lists the count per file)
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(e.name) ? [path] : [];
  });
}

function countAny(path: string): number {
  const text = readFileSync(path, 'utf8');
  const kind = path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, kind);
  let n = 0;
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) n++;
    ts.forEachChild(node, visit);
  };
  visit(file);
  return n;
}

const perFile = sourceFiles(join(root, 'source'))
  .map((path) => ({ path: relative(root, path), n: countAny(path) }))
  .filter((f) => f.n > 0)
  .sort((a, b) => b.n - a.n || a.path.localeCompare(b.path));

if (process.argv.includes('--files')) for (const f of perFile) console.log(`${String(f.n).padStart(4)}  ${f.path}`);
const total = perFile.reduce((sum, f) => sum + f.n, 0);
console.log(`any in source/: ${total} in ${perFile.length} files`);
