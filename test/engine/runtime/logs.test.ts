import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/engine/clock.ts';
import {
  LogWriter,
  parseEntry,
  parseTime,
  rfc3339Nano,
  type LogEntry,
} from '../../../source/engine/runtime/log-file.ts';
import { readLogs } from '../../../source/engine/runtime/log-reader.ts';
import { collect } from './helpers.ts';

const limits = { maxBytes: 1024 * 1024, maxFiles: 3 };
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function writer(clock = new FakeClock(Date.parse('2026-11-26T10:00:00Z')), l = limits) {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-log-'));
  dirs.push(dir);
  return { w: new LogWriter(join(dir, '0.log'), clock, l), clock };
}

describe('log files', () => {
  it('writes CRI-format entries with RFC3339Nano times', () => {
    const { w } = writer();
    w.write('stdout', 'hello\nwor');
    w.write('stderr', 'oops\n');
    w.write('stdout', 'ld\n');
    const lines = readFileSync(w.path, 'utf8').trim().split('\n');
    expect(lines.map((l) => parseEntry(l)!.content)).toEqual(['hello', 'oops', 'world']);
    expect(lines[0]).toMatch(/^2026-11-26T10:00:00\.\d*Z stdout F hello$/);
    expect(parseEntry(lines[1]!)!.stream).toBe('stderr');
  });

  it('formats and parses times', () => {
    expect(rfc3339Nano(1_700_000_000_123_456_789n)).toBe('2023-11-14T22:13:20.123456789Z');
    expect(rfc3339Nano(1_700_000_000_100_000_000n)).toBe('2023-11-14T22:13:20.1Z');
    expect(rfc3339Nano(1_700_000_000_000_000_000n)).toBe('2023-11-14T22:13:20Z');
    expect(rfc3339Nano(1_700_000_000_001_000_000n)).toBe('2023-11-14T22:13:20.001Z');
    expect(rfc3339Nano(1_700_000_001_000_000_010n)).toBe('2023-11-14T22:13:21.00000001Z');
    expect(rfc3339Nano(1_700_000_000_999_999_999n)).toBe('2023-11-14T22:13:20.999999999Z');
    expect(parseTime('2023-11-14T22:13:20.1Z')).toBe(1_700_000_000_100_000_000n);
    expect(parseTime('2023-11-14T23:13:20+01:00')).toBe(1_700_000_000_000_000_000n);
  });

  it('reads with tailLines, timestamps, since and limitBytes', async () => {
    const { w, clock } = writer();
    for (let i = 1; i <= 5; i++) {
      w.line('stdout', `line ${i}`);
      clock.advance(10_000);
    }
    w.close();
    const files = w.files();
    const now = clock.now();
    expect(await collect(readLogs(files, undefined, {}, now))).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
    expect(await collect(readLogs(files, undefined, { tailLines: 2 }, now))).toBe('line 4\nline 5\n');
    expect(await collect(readLogs(files, undefined, { tailLines: 0 }, now))).toBe('');
    expect(await collect(readLogs(files, undefined, { sinceSeconds: 25 }, now))).toBe('line 4\nline 5\n');
    expect(await collect(readLogs(files, undefined, { sinceTime: '2026-11-26T10:00:30Z' }, now))).toBe(
      'line 4\nline 5\n',
    );
    expect(await collect(readLogs(files, undefined, { limitBytes: 10 }, now))).toBe('line 1\nlin');
    const ts = await collect(readLogs(files, undefined, { timestamps: true, tailLines: 1 }, now));
    expect(ts).toMatch(/^2026-11-26T10:00:40(\.\d+)?Z line 5\n$/);
  });

  it('joins long lines split into partial entries', async () => {
    const { w, clock } = writer();
    const long = 'x'.repeat(40_000);
    w.write('stdout', long + '\nend\n');
    w.close();
    expect(
      readFileSync(w.path, 'utf8')
        .split('\n')
        .filter((l) => l.includes(' P ')).length,
    ).toBe(2);
    expect(await collect(readLogs(w.files(), undefined, {}, clock.now()))).toBe(`${long}\nend\n`);
  });

  it('rotates past maxBytes and keeps maxFiles', async () => {
    const { w, clock } = writer(undefined, { maxBytes: 2000, maxFiles: 3 });
    for (let i = 0; i < 500; i++) w.line('stdout', `chatty line number ${i}`);
    const files = w.files();
    expect(files.map((f) => f.slice(w.path.length))).toEqual(['.2', '.1', '']);
    for (const f of files) expect(statSync(f).size).toBeLessThan(2200);
    const out = await collect(readLogs(files, undefined, {}, clock.now()));
    expect(out.endsWith('chatty line number 499\n')).toBe(true);
    expect(out).not.toContain('chatty line number 0\n');
  });

  it('follows a live writer until it closes', async () => {
    const { w, clock } = writer();
    w.line('stdout', 'before');
    const it = readLogs(w.files(), w, { follow: true }, clock.now());
    expect((await it.next()).value).toBe('before\n');
    const next = it.next();
    w.line('stdout', 'after');
    expect((await next).value).toBe('after\n');
    w.write('stdout', 'no newline');
    w.close();
    expect((await it.next()).value).toBe('no newline');
    expect((await it.next()).done).toBe(true);
  });

  it('ends a follow when the consumer leaves or aborts', async () => {
    const { w, clock } = writer();
    const it = readLogs(w.files(), w, { follow: true }, clock.now());
    const pending = it.next();
    await it.return!();
    expect((await pending).done).toBe(true);
    expect(w.listenerCount('entry')).toBe(0);

    const ac = new AbortController();
    const it2 = readLogs(w.files(), w, { follow: true, signal: ac.signal }, clock.now());
    const p2 = it2.next();
    ac.abort();
    expect((await p2).done).toBe(true);
    expect(w.listenerCount('entry')).toBe(0);
  });
});
