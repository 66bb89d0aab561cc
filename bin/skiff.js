#!/usr/bin/env node
// Launcher. An installed package ships compiled JavaScript in dist/ and no sources: run that.
// In a checkout (source/ present) run the TypeScript through tsx, so edits take effect without a
// build; SKIFF_DIST=1 runs dist/ there too (to measure what users get).
// CommonJS (bin/package.json): an ES module entry costs Node its ES module loader before the first
// line runs, which was most of `skiff --version` beyond Node's own start-up.
'use strict';
const { existsSync, readFileSync, writeSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

if (process.argv.length === 3 && process.argv[2] === '--version') {
  // Answered here, before the CLI and its argument parser load; written straight to fd 1, without
  // setting up process.stdout.
  writeSync(1, `${JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version}\n`);
} else {
  const dist = join(__dirname, '..', 'dist', 'cli.js');
  const checkout = existsSync(join(__dirname, '..', 'source'));
  const run =
    existsSync(dist) && (!checkout || process.env.SKIFF_DIST === '1')
      ? import(pathToFileURL(dist).href)
      : import('tsx/esm/api').then(({ register }) => {
          register();
          return import(pathToFileURL(join(__dirname, '..', 'cli.tsx')).href);
        });
  // As an ES module's top-level await would: an error while loading is uncaught.
  run.catch((e) => {
    process.nextTick(() => {
      throw e;
    });
  });
}
