import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime } from '../source/engine/runtime/index.ts';
const keep = setInterval(() => {}, 1000);
const dir = mkdtempSync(join(tmpdir(), 'rtb-'));
const rt = await createRuntime({ rootDir: join(dir, 'pods'), pullDelayMs: 0 });
await rt.pull('n', 'nginx:1.25');
const n = 1000;
const conc = Number(process.argv[2] ?? 1000);
const t0 = performance.now();
let i = 0;
async function worker() { while (i < n) { const k = i++; await rt.start({ podUid: `u${k}`, podName: `p${k}`, container: 'nginx', image: 'nginx:1.25', podIP: `127.245.${(k >> 8) & 255}.${(k & 255) || 1}` }); } }
await Promise.all(Array.from({ length: conc }, worker));
const s = (performance.now() - t0) / 1000;
console.log(`conc ${conc}: ${(n / s).toFixed(0)} starts/s`);
await rt.shutdown(0);
process.exit(0);
