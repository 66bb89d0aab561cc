// Runs every benchmark in bench/*.bench.ts (or the ones named on the command line) and writes
// bench/results/latest.json and the table in docs/PERFORMANCE.md.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machine, type Figure } from './lib.ts';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .sort();

const results: Array<{ bench: string; figures: Figure[]; error?: string; seconds: number }> = [];
for (const f of files) {
  const t0 = Date.now();
  process.stderr.write(`bench ${f} ...\n`);
  try {
    const mod = await import(join(dir, f));
    const figures: Figure[] = await mod.run();
    results.push({ bench: f, figures, seconds: (Date.now() - t0) / 1000 });
    for (const x of figures) process.stderr.write(`  ${x.name}: ${x.median} ${x.unit}${x.p99 !== undefined ? ` (p99 ${x.p99})` : ''}\n`);
  } catch (e) {
    results.push({ bench: f, figures: [], error: String((e as Error)?.stack ?? e), seconds: (Date.now() - t0) / 1000 });
    process.stderr.write(`  failed: ${(e as Error)?.message}\n`);
  }
}

const report = { date: new Date().toISOString(), machine: machine(), results };
mkdirSync(join(dir, 'results'), { recursive: true });
writeFileSync(join(dir, 'results', 'latest.json'), JSON.stringify(report, null, 2) + '\n');

const rows = results.flatMap((r) =>
  r.error
    ? [`| ${r.bench} | failed: ${r.error.split('\n')[0]} | | | |`]
    : r.figures.map((x) => `| ${x.name} | ${x.median} ${x.unit} | ${x.p99 ?? ''}${x.p99 !== undefined ? ' ' + x.unit : ''} | ${x.min !== undefined ? `${x.min}–${x.max}` : ''} | ${x.anchor ?? ''}${x.note ? ` (${x.note})` : ''} |`),
);
const perf = join(dir, '..', 'docs', 'PERFORMANCE.md');
const table = [
  `Last run: ${report.date} on ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}.`,
  '',
  '| figure | median | p99 | spread (min–max) | anchor |',
  '|---|---|---|---|---|',
  ...rows,
].join('\n');
let doc: string;
try {
  doc = readFileSync(perf, 'utf8');
} catch {
  doc = '# Performance\n\nRerun with `npm run bench` (all) or `npm run bench -- NAME` (one file of bench/).\n\n<!-- results -->\n<!-- /results -->\n';
}
doc = doc.replace(/<!-- results -->[\s\S]*<!-- \/results -->/, `<!-- results -->\n${table}\n<!-- /results -->`);
writeFileSync(perf, doc);
process.stderr.write(`wrote bench/results/latest.json and docs/PERFORMANCE.md\n`);
