// The cost of RBAC: LIST and watch throughput with RBAC on vs off in the same run, as the cluster
// admin (system:masters) and as a view-bound service account (a JWT verified and rules resolved
// for every request). One engine serves every side and the bench swaps its authorizer before each
// measurement (RBAC, or AlwaysAllow as `SKIFF_AUTHORIZATION_MODE=AlwaysAllow` installs it): the
// authorizer is the only thing the mode changes on reads, and two engines of the same mode were
// seen to differ by several % on their own (their heaps, TLS keys and connections differ). The
// machine is shared, so the sides are measured request by request in rounds (one LIST per side,
// every order in turn) and the cost is the median of the per-round ratios with its 95 % confidence
// interval: a preempted request spoils one round, not a side. A second AlwaysAllow side measured
// against the first is the A/A control, what the method reads when nothing differs. A noise-free
// figure times the authorizer's decision alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine, type Engine } from '../source/engine/engine.ts';
import type { AuthContext } from '../source/engine/auth/index.ts';
import { ruleAllows } from '../source/engine/auth/rbac/rules.ts';
import { resourceAttributes } from '../source/engine/auth/request-info.ts';
import { serviceAccountGroups, serviceAccountUsername } from '../source/engine/auth/user.ts';
import { parseApiPath } from '../source/engine/api/paths.ts';
import { percentile, timedGet, type Figure } from './lib.ts';
import { describeCI, medianCI, pairedCostPct, roundOrder, type MedianCI } from './paired.ts';

// SKIFF_BENCH_RBAC_SCALE (default 1) shrinks or grows the run.
const SCALE = Number(process.env.SKIFF_BENCH_RBAC_SCALE ?? 1);
const PODS = 500;
const LIST_ROUNDS = Math.max(24, Math.round((600 * SCALE) / 6) * 6);
const WATCH_ROUNDS = Math.max(12, Math.round((240 * SCALE) / 6) * 6);
const WATCH_EVENTS = 250;
const DECISIONS = 200_000;

interface Bench {
  e: Engine;
  home: string;
  saToken: string;
}

/** A side of the comparison: the authorizer the engine uses while it is measured. */
interface Side {
  label: string;
  authorize: AuthContext['authorize'];
}

async function setup(): Promise<Bench> {
  const home = mkdtempSync(join(tmpdir(), 'skiff-bench-rbac-'));
  const e = await startEngine({ home, port: 0, apiOnly: true, log: () => {}, authorizationMode: 'RBAC' });
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
  return { e, home, saToken };
}

/** One measurement: wall time, this process's CPU time (client and engines live here), bytes. */
interface Sample {
  ms: number;
  cpuUs: number;
  bytes: number;
}

const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

type Who = 'admin' | 'sa';

async function list(b: Bench, s: Side, who: Who): Promise<Sample> {
  b.e.ctx.auth!.authorize = s.authorize;
  const c0 = cpuUs();
  const r = await timedGet(
    `${b.e.url}/api/v1/namespaces/default/pods`,
    who === 'admin' ? b.e.token : b.saToken,
    b.e.caCert,
  );
  const cpu = cpuUs() - c0;
  if (r.status !== 200) throw new Error(`LIST as ${who} on ${s.label}: HTTP ${r.status}`);
  return { ms: r.ms, cpuUs: cpu, bytes: r.bytes };
}

/** WATCH_EVENTS events delivered to one watch of the service account while configmaps are created. */
async function watch(b: Bench, s: Side, round: number): Promise<Sample> {
  b.e.ctx.auth!.authorize = s.authorize;
  const store = b.e.ctx.store;
  const rv = store.currentRV();
  let seen = 0;
  let bytes = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  let t0 = 0;
  let c0 = 0;
  const req = request(
    `${b.e.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`,
    { ca: b.e.caCert, headers: { Authorization: `Bearer ${b.saToken}` } },
    (res) => {
      if (res.statusCode !== 200) throw new Error(`watch on ${s.label}: HTTP ${res.statusCode}`);
      let buf = '';
      res.on('data', (c: Buffer) => {
        bytes += c.length;
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
          store.create('configmaps', {
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
  const sample = { ms: performance.now() - t0, cpuUs: cpuUs() - c0, bytes };
  req.destroy();
  // Keep the namespace the same size from round to round.
  for (let i = 0; i < WATCH_EVENTS; i++) store.delete('configmaps', 'default', `cm-${round}-${i}`);
  return sample;
}

/** `rounds` rounds of one measurement per side, in every order in turn; samples by side. */
async function rounds(sides: Side[], n: number, measure: (s: Side, k: number) => Promise<Sample>): Promise<Sample[][]> {
  const out: Sample[][] = sides.map(() => []);
  for (let k = 0; k < n; k++) for (const i of roundOrder(k, sides.length)) out[i]!.push(await measure(sides[i]!, k));
  return out;
}

interface Comparison {
  wall: MedianCI;
  cpu: MedianCI;
  wallAA: MedianCI;
  cpuAA: MedianCI;
  /** Median per side: on, off. */
  onMs: number;
  offMs: number;
  bytes: string;
}

/** RBAC (side 0) against AlwaysAllow (side 1), and the A/A control (side 2 against side 1). */
function compare([on, off, twin]: Sample[][], what: string): Comparison {
  const f = (a: Sample[], b: Sample[], k: 'ms' | 'cpuUs') =>
    medianCI(
      pairedCostPct(
        a.map((x) => x[k]),
        b.map((x) => x[k]),
      ),
    );
  // The sides must do the same work: responses of one size everywhere, or the ratio measures that.
  const sizes = [on!, off!, twin!].map((xs) =>
    percentile(
      xs.map((x) => x.bytes),
      50,
    ),
  );
  if (Math.max(...sizes) - Math.min(...sizes) > Math.max(...sizes) * 0.001)
    throw new Error(`${what}: the sides' responses differ in size (${sizes.join(' / ')} bytes)`);
  return {
    wall: f(on!, off!, 'ms'),
    cpu: f(on!, off!, 'cpuUs'),
    wallAA: f(twin!, off!, 'ms'),
    cpuAA: f(twin!, off!, 'cpuUs'),
    onMs: percentile(
      on!.map((x) => x.ms),
      50,
    ),
    offMs: percentile(
      off!.map((x) => x.ms),
      50,
    ),
    bytes: `${sizes[0]} bytes per ${what === 'watch' ? 'round' : 'response'} on every side`,
  };
}

/** Microseconds per authorization decision for the view-bound service account's LIST, cached and resolved afresh. */
function decisionCost(b: Bench, rbac: Side): { cachedUs: number; resolvedUs: number } {
  const auth = b.e.ctx.auth!;
  const user = { name: serviceAccountUsername('default', 'viewer'), groups: serviceAccountGroups('default') };
  const u = new URL(`${b.e.url}/api/v1/namespaces/default/pods`);
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
    cachedUs: time(() => rbac.authorize(user, a)),
    // What every request paid before decisions were cached: the (cached) rule list scanned.
    resolvedUs: time(() => auth.rulesFor(user, a.namespace).some((r) => ruleAllows(a, r))),
  };
}

export async function run(): Promise<Figure[]> {
  const b = await setup();
  const rbac: Side = { label: 'RBAC', authorize: b.e.ctx.auth!.authorize };
  const allowAll: AuthContext['authorize'] = () => true;
  const sides = [
    rbac,
    { label: 'AlwaysAllow', authorize: allowAll },
    { label: 'AlwaysAllow (A/A)', authorize: allowAll },
  ];
  // Warm every side (JIT, TLS session, caches) before anything counts.
  await rounds(sides, 30, (s) => list(b, s, 'admin'));
  await rounds(sides, 30, (s) => list(b, s, 'sa'));
  await rounds(sides, 1, (s) => watch(b, s, -1));
  const sa = compare(await rounds(sides, LIST_ROUNDS, (s) => list(b, s, 'sa')), 'service account LIST');
  const admin = compare(await rounds(sides, LIST_ROUNDS, (s) => list(b, s, 'admin')), 'admin LIST');
  const ev = compare(await rounds(sides, WATCH_ROUNDS, (s, k) => watch(b, s, k)), 'watch');
  b.e.ctx.auth!.authorize = rbac.authorize;
  // The server's own time for one LIST, without the client and TLS.
  const serverMs: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    JSON.stringify(b.e.ctx.store.list('pods', { namespace: 'default' }));
    serverMs.push(performance.now() - t0);
  }
  const d = decisionCost(b, rbac);
  await b.e.stop();
  rmSync(b.home, { recursive: true, force: true });
  const listMs = percentile(serverMs, 50);
  const share = (us: number) =>
    `${((100 * us) / 1000 / listMs).toFixed(3)} % of the ${listMs.toFixed(2)} ms it takes to list and serialize ${PODS} pods`;
  const perS = (ms: number, per = 1) => Math.round((per * 1000 * 100) / ms) / 100;
  const rate = (name: string, c: Comparison, unit: string, per = 1): Figure => ({
    name,
    unit,
    median: perS(c.onMs, per),
    samples: c.wall.n,
    note: `AlwaysAllow ${perS(c.offMs, per)} ${unit} in the same run; ${c.bytes}`,
  });
  const cost = (name: string, c: MedianCI, aa: MedianCI, what: string): Figure => ({
    name,
    unit: '%',
    median: Math.round(c.median * 100) / 100,
    min: Math.round(c.lo * 100) / 100,
    max: Math.round(c.hi * 100) / 100,
    samples: c.n,
    goal: '< 5 %',
    note: `median of per-round ratios RBAC/AlwaysAllow ${what}, ${describeCI(c)}; A/A control (AlwaysAllow/AlwaysAllow) ${describeCI(aa)}; spread column is the 95 % CI`,
  });
  return [
    rate(`LIST ${PODS} pods as a view-bound service account, RBAC on`, sa, 'lists/s'),
    rate(`LIST ${PODS} pods as admin, RBAC on`, admin, 'lists/s'),
    rate(`watch events to a view-bound service account, RBAC on`, ev, 'events/s', WATCH_EVENTS),
    cost(`RBAC cost, LIST as a view-bound service account: time per LIST`, sa.wall, sa.wallAA, 'of wall time'),
    cost(`RBAC cost, LIST as a view-bound service account: CPU per LIST`, sa.cpu, sa.cpuAA, 'of process CPU time'),
    cost(`RBAC cost, LIST as admin: time per LIST`, admin.wall, admin.wallAA, 'of wall time'),
    cost(`RBAC cost, LIST as admin: CPU per LIST`, admin.cpu, admin.cpuAA, 'of process CPU time'),
    cost(
      `RBAC cost, watch events: time per ${WATCH_EVENTS} events`,
      ev.wall,
      ev.wallAA,
      'of wall time; authorized once when the watch opens',
    ),
    cost(`RBAC cost, watch events: CPU per ${WATCH_EVENTS} events`, ev.cpu, ev.cpuAA, 'of process CPU time'),
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
