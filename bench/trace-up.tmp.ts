import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const root = process.env.ROOT ?? join(import.meta.dirname, '..');
const d = await import(join(root, 'source', 'cluster', 'daemon.ts'));
for (let i = 0; i < Number(process.env.N ?? 5); i++) {
  const home = mkdtempSync(join(tmpdir(), 'skiff-trace-'));
  const t0 = performance.now();
  await d.up(home, { port: 0, mergeUserKubeconfig: false });
  const up = performance.now() - t0;
  const log = readFileSync(join(home, 'engine.log'), 'utf8').split('\n').find((l: string) => l.startsWith('TRACE'));
  console.log(up.toFixed(0), log);
  await d.down(home);
  rmSync(home, { recursive: true, force: true });
}
