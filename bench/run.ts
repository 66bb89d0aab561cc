// Runs every benchmark in bench/*.bench.ts (or the ones named on the command line) and writes
// bench/results/latest.json and the tables in docs/PERFORMANCE.md. A partial run keeps the other
// benchmarks' last results (each result carries its own date).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { headlineRows, type BenchResult } from './report.ts';
import { machine, type Figure } from './lib.ts';

const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .sort();

const latest = join(dir, 'results', 'latest.json');
const previous: BenchResult[] =
  only.length && existsSync(latest) ? (JSON.parse(readFileSync(latest, 'utf8')).results ?? []) : [];
const fresh: BenchResult[] = [];
for (const f of files) {
  const t0 = Date.now();
  const date = new Date().toISOString();
  process.stderr.write(`bench ${f} ...\n`);
  try {
    const mod = await import(join(dir, f));
    const figures: Figure[] = await mod.run();
    fresh.push({ bench: f, date, figures, seconds: (Date.now() - t0) / 1000 });
    for (const x of figures)
      process.stderr.write(`  ${x.name}: ${x.median} ${x.unit}${x.p99 !== undefined ? ` (p99 ${x.p99})` : ''}\n`);
  } catch (e) {
    fresh.push({
      bench: f,
      date,
      figures: [],
      error: String((e as Error)?.stack ?? e),
      seconds: (Date.now() - t0) / 1000,
    });
    process.stderr.write(`  failed: ${(e as Error)?.message}\n`);
  }
}
const results = [
  ...previous.filter((p) => !fresh.some((r) => r.bench === p.bench) && existsSync(join(dir, p.bench))),
  ...fresh,
].sort((a, b) => a.bench.localeCompare(b.bench));

const headline = headlineRows(results);
const newest = results
  .map((r) => r.date ?? '')
  .sort()
  .at(-1);
const report = { date: newest || new Date().toISOString(), machine: machine(), headline, results };
mkdirSync(join(dir, 'results'), { recursive: true });
writeFileSync(latest, JSON.stringify(report, null, 2) + '\n');

const cell = (s: unknown) => String(s ?? '').replace(/\|/g, '\\|');
const spread = (x: Figure) => (x.min !== undefined && x.samples !== 1 ? `${x.min}–${x.max}` : '');
const all = results.flatMap((r) =>
  r.error
    ? [`| ${r.bench}: failed: ${cell(r.error.split('\n')[0])} | | | | | |`]
    : r.figures.map(
        (x) =>
          `| ${cell(x.name)} | ${x.median} ${x.unit} | ${x.p99 !== undefined && x.samples !== 1 ? `${x.p99} ${x.unit}` : ''} | ${spread(x)} | ${x.samples ?? ''} | ${x.goal ? `goal ${cell(x.goal)}${x.anchor ? '; ' : ''}` : ''}${cell(x.anchor)}${x.note ? ` (${cell(x.note)})` : ''} |`,
      ),
);
const m = report.machine;
const table = [
  `Last run: ${report.date} on ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}.`,
  '',
  '| figure | median (p99 where named) | spread (min–max) | samples | anchor | measured by |',
  '|---|---|---|---|---|---|',
  ...headline.map(
    (h) =>
      `| ${cell(h.figure)} | ${h.value ?? 'not measured yet'} | ${h.spread ?? ''} | ${h.samples ?? ''} | ${cell(h.anchor)} | ${cell(h.source ?? '')} |`,
  ),
  '',
  'Every figure:',
  '',
  '| figure | median | p99 | spread (min–max) | samples | goal; anchor (note) |',
  '|---|---|---|---|---|---|',
  ...all,
].join('\n');
const perf = join(dir, '..', 'docs', 'PERFORMANCE.md');
let doc: string;
try {
  doc = readFileSync(perf, 'utf8');
} catch {
  doc =
    '# Performance\n\nRerun with `npm run bench` (all) or `npm run bench -- NAME` (one file of bench/).\n\n<!-- results -->\n<!-- /results -->\n';
}
doc = doc.replace(/<!-- results -->[\s\S]*<!-- \/results -->/, `<!-- results -->\n${table}\n<!-- /results -->`);
writeFileSync(perf, doc);
process.stderr.write(`wrote bench/results/latest.json and docs/PERFORMANCE.md\n`);
