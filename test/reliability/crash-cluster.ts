// A cluster in a child `skiff engine` process that a test may kill -9 and start again, with the
// real kubectl, a dump of every object through the API and a /proc scan for its processes.
import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KUBECTL } from '../helpers/engine.ts';
import { spawnEngine, type ChildEngine } from './support/child-engine.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

/** A fresh SKIFF_HOME whose pod and service ranges are its own (tests run side by side). */
export function crashHome(podsPerWorker = 110): string {
  const home = mkdtempSync(join(tmpdir(), 'skiff-crash-'));
  let third = 16 + Math.floor(Math.random() * 200);
  const yaml = readFileSync(join(FIXTURES, 'cluster.yaml'), 'utf8')
    .replace(/podCIDR: 127\.244\.\d+\.0\/24/g, () => `podCIDR: 127.244.${third++}.0/24`)
    .replace(/serviceCIDR: \S+/, `serviceCIDR: 127.${97 + Math.floor(Math.random() * 60)}.0.0/16`)
    .replace(/(role: worker[\s\S]*?pods: )"110"/g, `$1"${podsPerWorker}"`);
  writeFileSync(join(home, 'cluster.yaml'), yaml);
  return home;
}

export function kubectlIn(home: string, kubeHome: string) {
  return async (...args: string[]): Promise<string> => {
    const r = await execa(KUBECTL, args, {
      env: { HOME: kubeHome, KUBECONFIG: join(home, 'kubeconfig'), PATH: process.env.PATH },
      extendEnv: false,
      reject: false,
      timeout: 300_000,
    });
    if (r.exitCode !== 0)
      throw new Error(`kubectl ${args.join(' ')} failed (${r.exitCode}):\n${r.stderr}\n${r.stdout}`);
    return String(r.stdout);
  };
}

/** `sandbox: false` hides bwrap from the engine: containers then outlive a killed engine. */
export function startChild(home: string, sandbox = true): Promise<ChildEngine> {
  const env: Record<string, string> = { SKIFF_TIME_SCALE: '0.05' };
  if (!sandbox) env.PATH = join(home, 'no-bwrap');
  return spawnEngine(home, { env });
}

export interface Dumped {
  uid: string;
  rv: number;
  owner?: string;
  deleting: boolean;
  obj: any;
}

/** Every listable resource the API serves, as `group/version resource` paths. */
async function resourcePaths(e: ChildEngine): Promise<Array<{ key: string; path: string }>> {
  const versions = ['/api/v1'];
  const groups = (await e.client.json('GET', '/apis')).body.groups as any[];
  // metrics.k8s.io is computed, not stored: its PodMetrics share the pods' names and come and go.
  for (const g of groups) if (g.name !== 'metrics.k8s.io') versions.push(`/apis/${g.preferredVersion.groupVersion}`);
  const out: Array<{ key: string; path: string }> = [];
  for (const v of versions) {
    const list = (await e.client.json('GET', v)).body.resources as any[];
    for (const r of list)
      if (!r.name.includes('/') && r.verbs.includes('list'))
        out.push({ key: `${v.replace(/^\/apis?\//, '')} ${r.name}`, path: `${v}/${r.name}` });
  }
  return out;
}

/** Every object in the cluster through the API: `group/version resource ns/name` → what matters. */
export async function dumpAll(e: ChildEngine): Promise<Map<string, Dumped>> {
  const out = new Map<string, Dumped>();
  for (const { key, path } of await resourcePaths(e)) {
    const r = await e.client.json('GET', path);
    if (r.status !== 200) throw new Error(`GET ${path}: HTTP ${r.status}`);
    for (const o of r.body.items) {
      const m = o.metadata;
      const owner = m.ownerReferences?.find((x: any) => x.controller);
      out.set(`${key} ${m.namespace ?? ''}/${m.name}`, {
        uid: m.uid,
        rv: Number(m.resourceVersion),
        owner: owner && `${owner.kind}/${owner.name}`,
        deleting: !!m.deletionTimestamp,
        obj: o,
      });
    }
  }
  return out;
}

/** Live processes that belong to a SKIFF_HOME: cwd or command line under it, or naming `marker`. */
export function processesUnder(
  home: string,
  marker: string,
  except: number[] = [],
): Array<{ pid: number; cmd: string }> {
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || except.includes(Number(name)) || Number(name) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2))) continue;
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${name}/cwd`);
      } catch {
        /* gone, or not ours to read */
      }
      if (cmd.includes(home) || cmd.includes(marker) || cwd === home || cwd.startsWith(`${home}/`))
        out.push({ pid: Number(name), cmd });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}
