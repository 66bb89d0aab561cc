#!/usr/bin/env node
// Launcher. An installed package ships compiled JavaScript in dist/ and no sources: run that.
// In a checkout (source/ present) run the TypeScript through tsx, so edits take effect without a
// build; SKIFF_DIST=1 runs dist/ there too (to measure what users get).
import { existsSync, readFileSync } from 'node:fs';

if (process.argv.length === 3 && process.argv[2] === '--version') {
  // Answered here, before the CLI and its argument parser load: Node's own start-up is the rest.
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const dist = new URL('../dist/cli.js', import.meta.url);
  const checkout = existsSync(new URL('../source/', import.meta.url));
  if (existsSync(dist) && (!checkout || process.env.SKIFF_DIST === '1')) {
    await import(dist.href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import('../cli.tsx');
  }
}
