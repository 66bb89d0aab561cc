// The cost of RBAC: LIST and watch throughput on two engines in the same run, one authorizing with
// RBAC and one with AlwaysAllow (both authenticate), as the cluster admin (system:masters) and as a
// view-bound service account (a JWT verified and rules resolved for every request). The machine is
// shared, so the two sides are measured in short interleaved pairs (alternating which goes first)
// and the cost is the median of the per-pair ratios; load that drifts during the run hits both
// halves of a pair alike. A second, noise-free figure times the authorizer's decision alone against
// the server time of the LIST it guards.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../source/engine/engine.ts';
import type { AuthorizationMode } from '../source/engine/auth/index.ts';
import { ruleAllows } from '../source/engine/auth/rbac/rules.ts';
import { resourceAttributes } from '../source/engine/auth/request-info.ts';
import { serviceAccountGroups, serviceAccountUsername } from '../source/engine/auth/user.ts';
import { parseApiPath } from '../source/engine/api/paths.ts';
import { percentile, summarize, timedGet, type Figure } from './lib.ts';

// SKIFF_BENCH_RBAC_SCALE (default 1) shrinks the run on a busy machine.
const SCALE = Number(process.env.SKIFF_BENCH_RBAC_SCALE ?? 1);
const PODS = 500;
const PAIRS = Math.max(5, Math.round(21 * SCALE)) | 1;
const LISTS_PER_HALF = 10;
const WATCH_EVENTS = Math.max(200, Math.round(1000 * SCALE));
const DECISIONS = 200_000;

interface Side {
  mode: AuthorizationMode;
  e: Engine;
  home: string;
  saToken: string;
}

async function side(mode: AuthorizationMode): Promise<Side> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-rbac-'));
  const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {}, authorizationMode: mode });
  const store = e.ctx.store;
  for (let i = 0; i < PODS; i++) {
    store.create('pods', {
      metadata: { name: `pod-${i}`, namespace: 'default', labels: { app: `app-${i % 10}` } },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
    });
  }
  const sa = store.create('serviceaccounts', { metadata: { name: 'viewer', namespace: 'default' } });
  store.create('rolebindings.rbac.authorization.k8s.io', {
    metadata: { name: 'viewer', namespace: 'default' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'ServiceAccount', name: 'viewer', namespace: 'default' }],
  });
  const saToken = e.ctx.auth!.issuer.issue(sa, { expirationSeconds: 3600 }).token;
  return { mode, e, home, saToken };
}

/** Throughput and this process's CPU time per operation (client and both engines live here). */
interface Rate {
  perS: number;
  cpuUs: number;
}

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** Lists per second over a few sequential LISTs. */
async function listRate(s: Side, token: string, n = LISTS_PER_HALF): Promise<Rate> {
  const url = `${s.e.url}/api/v1/namespaces/default/pods`;
  const c0 = cpuUs();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await timedGet(url, token, s.e.caCert);
    if (r.status !== 200)
      throw new Error(`LIST as ${token === s.e.token ? 'admin' : 'service account'} on ${s.mode}: HTTP ${r.status}`);
  }
  return { perS: n / ((performance.now() - t0) / 1000), cpuUs: (cpuUs() - c0) / n };
}

/** Events per second delivered to one watch of a service account while configmaps are created. */
async function watchRate(s: Side, round: number): Promise<Rate> {
  const rv = s.e.ctx.store.currentRV();
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  let t0 = 0;
  let c0 = 0;
  const req = request(
    `${s.e.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`,
    { ca: s.e.caCert, headers: { Authorization: `Bearer ${s.saToken}` } },
    (res) => {
      if (res.statusCode !== 200) throw new Error(`watch on ${s.mode}: HTTP ${res.statusCode}`);
      let buf = '';
      res.on('data', (c) => {
        buf += c;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          buf = buf.slice(i + 1);
          if (++seen === WATCH_EVENTS) done();
        }
      });
      t0 = performance.now();
      c0 = cpuUs();
      void (async () => {
        for (let i = 0; i < WATCH_EVENTS; i++) {
          s.e.ctx.store.create('configmaps', {
            metadata: { name: `cm-${round}-${i}`, namespace: 'default' },
            data: { i: String(i) },
          });
          if (i % 100 === 99) await new Promise((r) => setImmediate(r));
        }
      })();
    },
  );
  req.end();
  await finished;
  const rate = { perS: WATCH_EVENTS / ((performance.now() - t0) / 1000), cpuUs: (cpuUs() - c0) / WATCH_EVENTS };
  req.destroy();
  // Keep the namespace the same size from pair to pair.
  for (let i = 0; i < WATCH_EVENTS; i++) s.e.ctx.store.delete('configmaps', 'default', `cm-${round}-${i}`);
  return rate;
}

/** One measurement on each side, the order alternating with the pair's number; returns [on, off]. */
async function pair<T>(k: number, rbac: Side, open: Side, measure: (s: Side) => Promise<T>): Promise<[T, T]> {
  if (k % 2) {
    const off = await measure(open);
    return [await measure(rbac), off];
  }
  const on = await measure(rbac);
  return [on, await measure(open)];
}

interface Paired {
  on: Rate[];
  off: Rate[];
}

/** Per pair, how much slower the RBAC side was in %: by throughput, and by CPU time per operation. */
const slower = (p: Paired) => p.on.map((on, i) => 100 * (1 - on.perS / p.off[i]!.perS));
const dearer = (p: Paired) => p.on.map((on, i) => 100 * (on.cpuUs / p.off[i]!.cpuUs - 1));
const med = (xs: number[]) => percentile(xs, 50);
const pct = (x: number) => `${x.toFixed(1)} %`;
const cost = (p: Paired) =>
  `RBAC costs ${pct(med(slower(p)))} throughput and ${pct(med(dearer(p)))} CPU per operation: medians of ${p.on.length} interleaved pairs (pairs spread ${pct(Math.min(...slower(p)))}…${pct(Math.max(...slower(p)))}); AlwaysAllow median ${med(p.off.map((r) => r.perS)).toFixed(1)}/s`;

/** Microseconds per authorization decision for the view-bound service account's LIST, cached and resolved afresh. */
function decisionCost(s: Side): { cachedUs: number; resolvedUs: number } {
  const auth = s.e.ctx.auth!;
  const user = { name: serviceAccountUsername('default', 'viewer'), groups: serviceAccountGroups('default') };
  const u = new URL(`${s.e.url}/api/v1/namespaces/default/pods`);
  const a = resourceAttributes('GET', parseApiPath(u.pathname)!, u.searchParams, u.pathname);
  const time = (f: () => boolean) => {
    let ok = true;
    for (let i = 0; i < 1000; i++) ok &&= f();
    const t0 = performance.now();
    for (let i = 0; i < DECISIONS; i++) ok &&= f();
    if (!ok) throw new Error('the view-bound service account may not list pods');
    return ((performance.now() - t0) * 1000) / DECISIONS;
  };
  return {
    cachedUs: time(() => auth.authorize(user, a)),
    // What every request paid before decisions were cached: the (cached) rule list scanned.
    resolvedUs: time(() => auth.rulesFor(user, a.namespace).some((r) => ruleAllows(a, r))),
  };
}

export async function run(): Promise<Figure[]> {
  const rbac = await side('RBAC');
  const open = await side('AlwaysAllow');
  // Warm both sides (JIT, TLS sessions, caches) before anything counts.
  for (const s of [rbac, open]) {
    await listRate(s, s.e.token, 20);
    await listRate(s, s.saToken, 20);
    await watchRate(s, -1);
  }
  const admin: Paired = { on: [], off: [] };
  const sa: Paired = { on: [], off: [] };
  const watch: Paired = { on: [], off: [] };
  const serverMs: number[] = [];
  for (let k = 0; k < PAIRS; k++) {
    const push = (p: Paired, [on, off]: [Rate, Rate]) => (p.on.push(on), p.off.push(off));
    push(admin, await pair(k, rbac, open, (s) => listRate(s, s.e.token)));
    push(sa, await pair(k, rbac, open, (s) => listRate(s, s.saToken)));
    push(watch, await pair(k, rbac, open, (s) => watchRate(s, k)));
  }
  // The server's own time for one LIST as the service account, without the client and TLS.
  const store = rbac.e.ctx.store;
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    JSON.stringify(store.list('pods', { namespace: 'default' }));
    serverMs.push(performance.now() - t0);
  }
  const d = decisionCost(rbac);
  for (const s of [rbac, open]) {
    await s.e.stop();
    rmSync(s.home, { recursive: true, force: true });
  }
  const listMs = percentile(serverMs, 50);
  const share = (us: number) =>
    `${((100 * us) / 1000 / listMs).toFixed(3)} % of the ${listMs.toFixed(2)} ms it takes to list and serialize ${PODS} pods`;
  return [
    summarize(
      `LIST ${PODS} pods as admin, RBAC on`,
      'lists/s',
      admin.on.map((r) => r.perS),
      { note: cost(admin) },
    ),
    summarize(
      `LIST ${PODS} pods as a view-bound service account, RBAC on`,
      'lists/s',
      sa.on.map((r) => r.perS),
      { note: cost(sa) },
    ),
    summarize(
      `watch events to a view-bound service account, RBAC on`,
      'events/s',
      watch.on.map((r) => r.perS),
      { note: `${cost(watch)}; authorized once when the watch opens` },
    ),
    summarize(`RBAC cost, LIST as a view-bound service account: throughput, median of paired ratios`, '%', slower(sa), {
      goal: '< 5 %',
    }),
    summarize(
      `RBAC cost, LIST as a view-bound service account: CPU per LIST, median of paired ratios`,
      '%',
      dearer(sa),
      { goal: '< 5 %' },
    ),
    summarize(`RBAC cost, LIST as admin: throughput, median of paired ratios`, '%', slower(admin), { goal: '< 5 %' }),
    summarize(`RBAC cost, LIST as admin: CPU per LIST, median of paired ratios`, '%', dearer(admin), { goal: '< 5 %' }),
    summarize(`RBAC cost, watch events: throughput, median of paired ratios`, '%', slower(watch), { goal: '< 5 %' }),
    summarize(`RBAC cost, watch events: CPU per event, median of paired ratios`, '%', dearer(watch), { goal: '< 5 %' }),
    {
      name: 'RBAC decision for a view-bound service account’s LIST (cached)',
      unit: 'µs',
      median: Math.round(d.cachedUs * 1000) / 1000,
      samples: DECISIONS,
      note: share(d.cachedUs),
    },
    {
      name: 'RBAC decision for a view-bound service account’s LIST (rules scanned, as before the decision cache)',
      unit: 'µs',
      median: Math.round(d.resolvedUs * 1000) / 1000,
      samples: DECISIONS,
      note: share(d.resolvedUs),
    },
  ];
}
