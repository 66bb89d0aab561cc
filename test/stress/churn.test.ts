import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnTui, type Tui } from '../e2e/pty.ts';
import { crashHome } from '../reliability/crash-cluster.ts';
import { ApiClient } from '../reliability/support/client.ts';
import { spawnEngine, type ChildEngine } from '../reliability/support/child-engine.ts';
import { Mirror } from './churn-watcher.ts';

// 20 writes/s for 5 minutes (SKIFF_CHURN_SECONDS, SKIFF_CHURN_RATE to change) with 10 watchers
// and the TUI attached: memory stays flat (the median RSS of the last fifth of the run within
// +25 % of the second fifth's: minute 5 against minute 2) and no watcher misses an event.
const SECONDS = Number(process.env.SKIFF_CHURN_SECONDS ?? 300);
const RATE = Number(process.env.SKIFF_CHURN_RATE ?? 20);
const NS = 'churn';
const CMS = `/api/v1/namespaces/${NS}/configmaps`;
const DEPLOY = `/apis/apps/v1/namespaces/${NS}/deployments`;
const NAMES = 100;

let home: string;
let e: ChildEngine;
let tui: Tui | undefined;
beforeAll(async () => {
  home = crashHome();
  e = await spawnEngine(home, { env: { SKIFF_TIME_SCALE: '1' } });
  await e.client.json('POST', '/api/v1/namespaces', { metadata: { name: NS } });
  const labels = { app: 'web' };
  await e.client.json('POST', DEPLOY, {
    metadata: { name: 'web', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
    },
  });
});
afterAll(async () => {
  tui?.kill();
  await e?.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
});

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Acks {
  /** `name@rv` of every acknowledged create and update. */
  written: Set<string>;
  /** uids of every acknowledged delete. */
  deleted: Set<string>;
  failures: string[];
  writes: number;
}

/** One churn step: scale the deployment now and then, otherwise create, update or delete a configmap. */
async function step(
  client: ApiClient,
  i: number,
  names: Map<string, string | null>,
  busy: Set<string>,
  acks: Acks,
): Promise<void> {
  const check = (r: { status: number; text: string }, what: string) => {
    if (r.status >= 300) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    return JSON.parse(r.text);
  };
  if (i % (RATE * 5) === 0) {
    const replicas = (i / (RATE * 5)) % 2 ? 5 : 2;
    const body = JSON.stringify({ spec: { replicas } });
    check(
      await client.request({
        method: 'PATCH',
        path: `${DEPLOY}/web/scale`,
        body,
        headers: { 'Content-Type': 'application/merge-patch+json' },
      }),
      'scale',
    );
    acks.writes++;
    return;
  }
  const free = [...names.keys()].filter((n) => !busy.has(n));
  const name = free[Math.floor(Math.random() * free.length)]!;
  busy.add(name);
  try {
    const uid = names.get(name);
    const data = { v: String(i), pad: 'x'.repeat(Math.floor(Math.random() * 512)) };
    const json = { 'Content-Type': 'application/json' };
    if (!uid) {
      const o = check(
        await client.request({
          method: 'POST',
          path: CMS,
          body: JSON.stringify({ metadata: { name }, data }),
          headers: json,
        }),
        `create ${name}`,
      );
      names.set(name, o.metadata.uid);
      acks.written.add(`${name}@${o.metadata.resourceVersion}`);
    } else if (Math.random() < 0.3) {
      check(await client.request({ method: 'DELETE', path: `${CMS}/${name}` }), `delete ${name}`);
      names.set(name, null);
      acks.deleted.add(uid);
    } else {
      const o = check(
        await client.request({
          method: 'PUT',
          path: `${CMS}/${name}`,
          body: JSON.stringify({ metadata: { name }, data }),
          headers: json,
        }),
        `update ${name}`,
      );
      acks.written.add(`${name}@${o.metadata.resourceVersion}`);
    }
    acks.writes++;
  } finally {
    busy.delete(name);
  }
}

describe(`churn: ${RATE} writes/s for ${SECONDS} s with 10 watchers and the TUI`, () => {
  it(
    'keeps engine memory flat and every watcher complete',
    async () => {
      const { token, ca } = e.client;
      const url = e.url;
      const paths = [
        ...Array(6).fill(CMS),
        '/api/v1/configmaps',
        `/api/v1/namespaces/${NS}/pods`,
        DEPLOY,
        `/apis/apps/v1/namespaces/${NS}/replicasets`,
      ];
      const mirrors = paths.map((p) => new Mirror(url, token, ca, p));
      await Promise.all(mirrors.map((m) => m.start()));
      tui = spawnTui(['--kubeconfig', join(home, 'kubeconfig'), '-n', NS, '--command', 'cm'], {
        cols: 160,
        rows: 40,
        env: { HOME: home },
      });
      await tui.waitFor('Context:', 30_000);

      const client = new ApiClient(url, token, ca, 32);
      const names = new Map<string, string | null>(Array.from({ length: NAMES }, (_, i) => [`cm-${i}`, null]));
      const busy = new Set<string>();
      const acks: Acks = { written: new Set(), deleted: new Set(), failures: [], writes: 0 };
      const samples: Array<{ t: number; engine: number; tui: number }> = [];
      const t0 = Date.now();
      const inflight = new Set<Promise<void>>();
      for (let i = 0; Date.now() - t0 < SECONDS * 1000; i++) {
        const p = step(client, i, names, busy, acks).catch((err) => void acks.failures.push(String(err.message)));
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
        if (i % RATE === 0)
          samples.push({ t: (Date.now() - t0) / 1000, engine: rssKiB(e.pid) / 1024, tui: rssKiB(tui.pid) / 1024 });
        const next = t0 + ((i + 1) * 1000) / RATE;
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      }
      await Promise.all(inflight);
      const elapsed = (Date.now() - t0) / 1000;
      await new Promise((r) => setTimeout(r, 2000));

      const window = (from: number, to: number) =>
        median(samples.filter((s) => s.t >= from * SECONDS && s.t < to * SECONDS).map((s) => s.engine));
      const second = window(0.2, 0.4);
      const last = window(0.8, 1.01);
      const problems = [...acks.failures.slice(0, 10)];
      for (const m of mirrors) problems.push(...m.problems, ...(await m.compare()));
      for (const m of mirrors.slice(0, 6)) {
        const missed = [...acks.written].filter((w) => !m.seen.has(w));
        const missedDeletes = [...acks.deleted].filter((u) => !m.deleted.has(u));
        if (missed.length || missedDeletes.length)
          problems.push(`${m.path}: missed ${missed.length} writes and ${missedDeletes.length} deletes`);
      }
      const tuiAlive = await Promise.race([
        tui.exited.then(() => false),
        new Promise((r) => setTimeout(() => r(true), 100)),
      ]);
      const tuiShowsChurn = await tui.waitFor(/cm-\d+/, 10_000).then(
        () => true,
        () => false,
      );
      const tuiWindow = (from: number, to: number) =>
        median(samples.filter((s) => s.t >= from * SECONDS && s.t < to * SECONDS).map((s) => s.tui));
      console.log(
        'CHURN',
        JSON.stringify({
          seconds: elapsed,
          writesPerSecond: Math.round((acks.writes / elapsed) * 10) / 10,
          failures: acks.failures.length,
          engineRssMiB: {
            secondFifth: Math.round(second),
            lastFifth: Math.round(last),
            series: samples.filter((_, k) => k % 15 === 0).map((s) => Math.round(s.engine)),
          },
          tuiRssMiB: samples.filter((_, k) => k % 15 === 0).map((s) => Math.round(s.tui)),
          events: mirrors.map((m) => m.events),
          resumes: mirrors.map((m) => m.resumes),
          tuiAlive,
          tuiShowsChurn,
        }),
      );
      client.close();
      mirrors.forEach((m) => m.stop());
      expect(problems).toEqual([]);
      expect(tuiAlive).toBe(true);
      expect(tuiShowsChurn).toBe(true);
      expect(tuiWindow(0.8, 1.01)).toBeLessThanOrEqual(tuiWindow(0.2, 0.4) * 1.25);
      expect(acks.writes / elapsed).toBeGreaterThan(RATE * 0.9);
      expect(last).toBeLessThanOrEqual(second * 1.25);
    },
    (SECONDS + 180) * 1000,
  );
});
