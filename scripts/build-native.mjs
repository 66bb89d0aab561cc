#!/usr/bin/env node
// Builds the native relay (native/relay: source/engine/proxy/native-relay.ts) with node-gyp, from
// `postinstall` and `npm run build`. It is optional: without a compiler (or Node's headers) the
// proxy splices in JavaScript, so a failed build only warns and never fails the install.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'native', 'relay');

function nodeGyp() {
  // npm tells its lifecycle scripts where its own node-gyp is; otherwise look beside npm.
  const candidates = [
    process.env.npm_config_node_gyp,
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  return candidates.find((p) => p && existsSync(p));
}

/** `--if-stale`: only when the built addon is missing or older than its sources (`npm run build`). */
function fresh() {
  const built = join(dir, 'build', 'Release', 'skiff_relay.node');
  if (!process.argv.includes('--if-stale') || !existsSync(built)) return false;
  const t = statSync(built).mtimeMs;
  return ['relay.c', 'binding.gyp'].every((f) => statSync(join(dir, f)).mtimeMs <= t);
}

function main() {
  if (fresh()) return;
  if (process.platform !== 'linux') return warn(`not built on ${process.platform} (it uses epoll)`);
  if (!existsSync(join(dir, 'binding.gyp'))) return warn('native/relay/binding.gyp is missing');
  const gyp = nodeGyp();
  if (!gyp) return warn('node-gyp not found');
  const args = [gyp, 'rebuild'];
  // Node's own headers where it is installed, so that node-gyp does not download them.
  const prefix = join(dirname(process.execPath), '..');
  if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h')))
    args.push(`--nodedir=${prefix}`);
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) return warn(`node-gyp failed:\n${(r.stderr || r.stdout || String(r.error)).trim().slice(-2000)}`);
  console.log('skiff: built the native relay (native/relay/build/Release/skiff_relay.node)');
}

function warn(why) {
  console.warn(`skiff: native relay ${why}; the service proxy relays in JavaScript instead`);
}

try {
  main();
} catch (e) {
  warn(`build failed: ${e.message}`);
}
