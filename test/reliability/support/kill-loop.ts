import { join } from 'node:path';
import { Rng } from '../hostile/rng.ts';
import { spawnEngine, type ChildEngine } from './child-engine.ts';
import { dbSnapshot } from './snapshot.ts';

const NS = 'durable';
const CMS = `/api/v1/namespaces/${NS}/configmaps`;
const WRITERS = 4;
const KEYS = 5;
/** Each round's kill waits for this many acknowledged writes (a random count in the range). */
const MIN_ACKS_PER_ROUND = 5;
const MAX_ACKS_PER_ROUND = 60;

/** What a key holds: a counter value, or null when deleted. In flight: the write not yet acknowledged. */
interface Key {
  acked: number | null;
  inflight?: number | null;
  next: number;
}

export interface KillLoopResult {
  kills: number;
  acked: number;
  problems: string[];
}

/** One writer: its own keys, one write at a time, until the engine dies under it. */
async function writer(
  e: ChildEngine,
  keys: Map<string, Key>,
  names: string[],
  rng: Rng,
  out: { acked: number; maxRv: number; problems: string[] },
): Promise<void> {
  for (;;) {
    const name = rng.pick(names);
    const k = keys.get(name)!;
    const v = k.next++;
    let req: { method: string; path: string; body?: string; headers?: Record<string, string> };
    let want: number | null = v;
    if (k.acked === null)
      req = { method: 'POST', path: CMS, body: JSON.stringify({ metadata: { name }, data: { v: String(v) } }) };
    else if (rng.chance(0.15)) {
      req = { method: 'DELETE', path: `${CMS}/${name}` };
      want = null;
    } else if (rng.chance(0.5))
      req = {
        method: 'PUT',
        path: `${CMS}/${name}`,
        body: JSON.stringify({ metadata: { name }, data: { v: String(v) } }),
      };
    else
      req = {
        method: 'PATCH',
        path: `${CMS}/${name}`,
        body: JSON.stringify({ data: { v: String(v) } }),
        headers: { 'Content-Type': 'application/merge-patch+json' },
      };
    k.inflight = want;
    let r;
    try {
      r = await e.client.request({
        ...req,
        headers: req.headers ?? (req.body ? { 'Content-Type': 'application/json' } : {}),
        timeoutMs: 10_000,
      });
    } catch {
      return; // killed: this write stays in flight
    }
    if (r.status !== 200 && r.status !== 201) {
      out.problems.push(`${req.method} ${name}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
      return;
    }
    k.acked = want;
    k.inflight = undefined;
    out.acked++;
    const rv = Number(JSON.parse(r.text).metadata?.resourceVersion ?? 0);
    out.maxRv = Math.max(out.maxRv, rv);
  }
}

/** After a restart: every acknowledged write is there; a write cut by the kill is there or not. */
async function verify(e: ChildEngine, keys: Map<string, Key>, maxRv: number, problems: string[]): Promise<void> {
  const list = await e.client.json('GET', CMS);
  if (list.status !== 200) return void problems.push(`list after restart: HTTP ${list.status}`);
  if (Number(list.body.metadata.resourceVersion) < maxRv)
    problems.push(`resourceVersion went back: ${list.body.metadata.resourceVersion} < ${maxRv}`);
  const actual = new Map<string, number>(list.body.items.map((o: any) => [o.metadata.name, Number(o.data.v)]));
  for (const [name, k] of keys) {
    const got = actual.get(name) ?? null;
    if (got === k.acked) k.inflight = undefined;
    else if (k.inflight !== undefined && got === k.inflight) {
      k.acked = got;
      k.inflight = undefined;
    } else
      problems.push(
        `${name}: found ${got}, acknowledged ${k.acked}${k.inflight !== undefined ? ` (in flight ${k.inflight})` : ''}`,
      );
  }
}

/**
 * Start the engine, write through HTTPS from several clients, SIGKILL it at a random moment,
 * check the SQLite file, restart, and check every acknowledged write survived. `rounds` times.
 */
export async function killLoop(home: string, rounds: number, seed: number): Promise<KillLoopResult> {
  const rng = new Rng(seed);
  const keys = new Map<string, Key>();
  const owners: string[][] = Array.from({ length: WRITERS }, (_, w) =>
    Array.from({ length: KEYS }, (_, i) => `cm-${w}-${i}`),
  );
  owners.flat().forEach((n) => keys.set(n, { acked: null, next: 1 }));
  const out = { acked: 0, maxRv: 0, problems: [] as string[] };
  for (let round = 0; round < rounds && out.problems.length === 0; round++) {
    const e = await spawnEngine(home);
    let writers: Array<Promise<void>> = [];
    try {
      if (round === 0) {
        const ns = await e.client.json('POST', '/api/v1/namespaces', { metadata: { name: NS } });
        if (ns.status !== 201) throw new Error(`creating the namespace: HTTP ${ns.status}`);
      } else await verify(e, keys, out.maxRv, out.problems);
      // The kill comes after a random number of acknowledged writes, not after a random time: on
      // a loaded machine a timed moment can fall before any write lands and prove nothing.
      const target = out.acked + rng.range(MIN_ACKS_PER_ROUND, MAX_ACKS_PER_ROUND);
      let running = owners.length;
      writers = owners.map((names) => writer(e, keys, names, new Rng(rng.int(2 ** 31)), out).finally(() => running--));
      while (out.acked < target && running > 0) await new Promise((r) => setTimeout(r, 2));
    } finally {
      await e.kill('SIGKILL');
    }
    await Promise.all(writers);
    const db = dbSnapshot(join(home, 'state.db'));
    if (db.integrity !== 'ok') out.problems.push(`round ${round}: integrity_check: ${db.integrity}`);
  }
  if (out.problems.length === 0) {
    const e = await spawnEngine(home);
    try {
      await verify(e, keys, out.maxRv, out.problems);
    } finally {
      await e.kill('SIGTERM');
    }
  }
  return { kills: rounds, acked: out.acked, problems: out.problems };
}
