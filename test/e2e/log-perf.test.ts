import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui } from './pty.ts';

// Follow a log producing ~1,000 lines/s: frame rate, CPU and memory of the TUI over time.
// SKIFF_PERF_LOG_SECONDS sets the duration (default 20; the figure uses 30).
const SECONDS = Number(process.env.SKIFF_PERF_LOG_SECONDS ?? 20);
let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
  await t.kubectl([
    'run',
    'firehose',
    '--image=busybox',
    '--',
    'sh',
    '-c',
    'i=0; while true; do seq -f "firehose line %g of a busy log stream" $i $((i+99)); i=$((i+100)); sleep 0.1; done',
  ]);
  await waitFor(
    async () => (await t.kubectl(['get', 'pod', 'firehose', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running',
    30_000,
    'firehose running',
  );
});
afterAll(async () => t?.stop());

function proc(pid: number): { cpuMs: number; rssMb: number } {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100, rssMb: Math.round(Number(rss) / 1024) };
}

describe('following a busy log', () => {
  it('keeps frame rate, CPU and memory flat', async () => {
    // A 10,000-line ring fills in ~10 s, so flat memory after that is visible in a short run.
    const tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath], {
      cols: 160,
      rows: 45,
      env: {
        HOME: t.kubeHome,
        SKIFF_LOG_LINES: '10000',
        ...(process.env.SKIFF_PERF_NODE_OPTIONS ? { NODE_OPTIONS: process.env.SKIFF_PERF_NODE_OPTIONS } : {}),
      },
    });
    try {
      await tui.waitFor('firehose');
      await tui.press('/');
      await tui.type('^firehose$');
      await tui.press(KEY.enter, 'l');
      await tui.waitFor('firehose line');
      const frames = () => tui.output().split('\x1b[?2026h').length - 1;
      const samples: Array<{ s: number; cpuPercent: number; rssMb: number; fps: number; lines: string }> = [];
      let prev = { ...proc(tui.pid), frames: frames(), at: Date.now() };
      for (let s = 5; s <= SECONDS; s += 5) {
        await new Promise((r) => setTimeout(r, 5000));
        const now = { ...proc(tui.pid), frames: frames(), at: Date.now() };
        const dt = now.at - prev.at;
        const title = tui.lines().find((l) => l.includes('Logs pod/firehose')) ?? '';
        samples.push({
          s,
          cpuPercent: Math.round(((now.cpuMs - prev.cpuMs) / dt) * 1000) / 10,
          rssMb: now.rssMb,
          fps: Math.round(((now.frames - prev.frames) / dt) * 10000) / 10,
          lines: /(\d+-\d+\/\d+)/.exec(title)?.[1] ?? '?',
        });
        prev = now;
      }
      console.log('LOGPERF', JSON.stringify(samples));
      // Still live: the newest line keeps changing, and keys still work.
      await tui.press('s');
      await tui.waitFor('Autoscroll off');
      const late = samples.slice(-2);
      for (const x of late) expect(x.fps).toBeLessThanOrEqual(61);
      // The ring is what bounds memory: it must hold exactly SKIFF_LOG_LINES once full.
      for (const x of late) expect(x.lines).toMatch(/\/10000$/);
      // RSS swings by tens of MB with V8's lazy collection under 1,000 lines/s (a quiet run measured
      // 323 → 329 → 370 MB, CI once 60 MB apart); a leak would grow past this bound within 10 s.
      expect(Math.max(...late.map((x) => x.rssMb)) - Math.min(...late.map((x) => x.rssMb))).toBeLessThan(120);
    } finally {
      tui.kill();
    }
  }, 180_000);
});
