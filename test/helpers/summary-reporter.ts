// Prints one plain closing line, `N passed, N failed, N skipped`, after vitest's own summary.
import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest';

function count(tasks: RunnerTask[], c: { passed: number; failed: number; skipped: number }): void {
  for (const t of tasks) {
    if (t.type === 'suite') count(t.tasks, c);
    else if (t.result?.state === 'pass') c.passed++;
    else if (t.result?.state === 'fail') c.failed++;
    else c.skipped++;
  }
}

export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const c = { passed: 0, failed: 0, skipped: 0 };
    count(files, c);
    // A file that failed to load has no tests but is a failure all the same.
    c.failed += files.filter((f) => f.result?.state === 'fail' && f.tasks.length === 0).length + errors.length;
    process.stdout.write(`\n${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped\n`);
  }
}
