// kill -9 the engine in the middle of a rolling update, start it again on the same home, and
// list every way the cluster came back wrong (an empty list: it came back right).
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../helpers/engine.ts';
import { crashHome, dumpAll, kubectlIn, processesUnder, startChild, type Dumped } from './crash-cluster.ts';
import type { ChildEngine } from './support/child-engine.ts';

export interface CrashReport {
  problems: string[];
  facts: Record<string, unknown>;
}

const RS = '/apis/apps/v1/namespaces/default/replicasets';

/** What the killed engine left on disk: `resource ns/name` → uid and object. */
function onDisk(home: string): Map<string, { uid: string; obj: any }> {
  const db = new Database(join(home, 'state.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT resource, namespace, name, data FROM objects').all() as Array<{
      resource: string;
      namespace: string;
      name: string;
      data: string;
    }>;
    return new Map(
      rows.map((r) => {
        const obj = JSON.parse(r.data);
        return [`${r.resource} ${r.namespace}/${r.name}`, { uid: obj.metadata.uid, obj }];
      }),
    );
  } finally {
    db.close();
  }
}

/** `group/version resource ns/name` → `resource[.group] ns/name`, the store's own key. */
function byResource(m: Map<string, Dumped>): Map<string, Dumped> {
  return new Map(
    [...m].map(([k, v]) => {
      const [gv, resource, name] = k.split(' ') as [string, string, string];
      return [`${resource}${gv.includes('/') ? `.${gv.split('/')[0]}` : ''} ${name}`, v];
    }),
  );
}

/**
 * Objects of `before` missing from `after` or back with another uid. Pods may go (the rollout
 * and the ReplicaSet controller delete them) as long as a ReplicaSet owned them.
 */
function lost(
  before: Map<string, { uid: string; obj: any }>,
  after: Map<string, { uid: string }>,
  what: string,
): string[] {
  const out: string[] = [];
  for (const [k, b] of before) {
    const a = after.get(k);
    if (a?.uid === b.uid) continue;
    const owner = b.obj.metadata.ownerReferences?.find((o: any) => o.controller)?.kind;
    if (k.startsWith('pods ') && owner === 'ReplicaSet') continue;
    out.push(`${what}: ${k} ${a ? `came back with uid ${a.uid}, was ${b.uid}` : 'is gone'}`);
  }
  return out;
}

/**
 * The spin pods' shells. Each forks a child for every `sleep 1`, and until that child execs
 * `sleep` it shows its parent's command line: a shell whose parent is one of the shells is such a
 * child (caught between fork and exec on a loaded machine), not a second container.
 */
function containerShells(home: string, marker: string, enginePid: number): Array<{ pid: number; cmd: string }> {
  const shells = processesUnder(home, marker, [enginePid]).filter((p) => /^(\S*\/)?sh -c /.test(p.cmd));
  const pids = new Set(shells.map((s) => s.pid));
  return shells.filter((s) => !pids.has(parentOf(s.pid)));
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** The container directory under `home` a process runs from (its TMPDIR, or its cwd). */
function containerDirOf(pid: number, home: string): string {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const tmp = env.find((e) => e.startsWith('TMPDIR='))?.slice('TMPDIR='.length);
    const dir = tmp ?? readlinkSync(`/proc/${pid}/cwd`);
    return dir.startsWith(home) ? dir.slice(home.length) : dir;
  } catch {
    return '?';
  }
}

async function newAndOld(e: ChildEngine, image: string): Promise<{ fresh?: any; old: any[] }> {
  const items = ((await e.client.json('GET', `${RS}?labelSelector=app%3Dweb`)).body.items ?? []) as any[];
  return {
    fresh: items.find((r) => r.spec.template.spec.containers[0].image === image),
    old: items.filter((r) => r.spec.template.spec.containers[0].image !== image),
  };
}

/** Checks on a settled cluster: no pod twice, every ReplicaSet at its size, addresses unique. */
function duplicates(c: Map<string, Dumped>): string[] {
  const out: string[] = [];
  const pods = [...c].filter(([k]) => k.startsWith('pods ')).map(([, v]) => v.obj);
  const uids = new Set(pods.map((p) => p.metadata.uid));
  if (uids.size !== pods.length) out.push(`${pods.length - uids.size} pod uid(s) appear twice`);
  const ips = pods
    .filter((p) => p.status?.podIP && !['Succeeded', 'Failed'].includes(p.status.phase))
    .map((p) => p.status.podIP);
  const dupIps = ips.filter((ip, i) => ips.indexOf(ip) !== i);
  if (dupIps.length) out.push(`pod IPs handed out twice: ${[...new Set(dupIps)].join(', ')}`);
  let sets = 0;
  for (const [k, rs] of c) {
    if (!k.startsWith('replicasets.apps ')) continue;
    sets++;
    const mine = pods.filter(
      (p) => p.metadata.ownerReferences?.some((o: any) => o.uid === rs.uid) && !p.metadata.deletionTimestamp,
    );
    if (mine.length !== rs.obj.spec.replicas)
      out.push(`${k}: ${mine.length} pods for ${rs.obj.spec.replicas} replicas`);
  }
  if (sets < 4) out.push(`only ${sets} ReplicaSets in the dump`);
  return out;
}

export interface CrashOptions {
  replicas: number;
  /** busybox pods running a shell loop: host processes the kill may orphan. */
  spinners?: number;
  sandbox?: boolean;
  /** Kill once this share of the new pods is Ready (default: a random share up to a half). */
  killAt?: number;
  /** Kill -9 the restarted engine this many more times while it recovers. */
  relapses?: number;
  log?: (m: string) => void;
}

export async function crashRollout({
  replicas,
  spinners = 3,
  sandbox = true,
  killAt = Math.random() * 0.5,
  relapses = 0,
  log = () => {},
}: CrashOptions): Promise<CrashReport> {
  const problems: string[] = [];
  const facts: Record<string, unknown> = {};
  const home = crashHome();
  const kubeHome = mkdtempSync(join(tmpdir(), 'skiff-crash-kube-'));
  const marker = `skiff-crash-${process.pid}-${Date.now()}`;
  const kc = kubectlIn(home, kubeHome);
  let e: ChildEngine | undefined = await startChild(home, sandbox);
  try {
    for (let i = 0; i < 10; i++)
      await e.client.json('POST', '/api/v1/namespaces/default/configmaps', {
        metadata: { name: `acked-${i}` },
        data: { i: String(i) },
      });
    await kc('create', 'deployment', 'web', '--image=nginx:1.25', `--replicas=${replicas}`);
    await kc(
      'create',
      'deployment',
      'spin',
      '--image=busybox:1.36',
      `--replicas=${spinners}`,
      '--',
      'sh',
      '-c',
      `while true; do sleep 1; done # ${marker}`,
    );
    // The engine runs 20× faster, so the default 600 s progress deadline is 30 s of real time: a
    // loaded machine's restart can outlast that, and `rollout status` then gives up (as upstream).
    for (const d of ['web', 'spin'])
      await kc('patch', 'deployment', d, '-p', '{"spec":{"progressDeadlineSeconds":72000}}');
    // A new pod counts as available 10 s (0.5 s of real time) after it is Ready, and only then is
    // an old one let go: the rollout takes waves of at least that, so the kill below (taken while
    // a new pod is not Ready yet) cannot come after it finished.
    await kc('patch', 'deployment', 'web', '-p', '{"spec":{"minReadySeconds":10}}');
    await kc('rollout', 'status', 'deployment/web', '--timeout=300s');
    await kc('rollout', 'status', 'deployment/spin', '--timeout=120s');
    const before = byResource(await dumpAll(e));
    facts.objectsBefore = before.size;
    log(`${before.size} objects, ${replicas} web replicas Ready; set image`);

    // The spin pods roll too: their shells ignore SIGTERM, so some are terminating at the kill.
    await kc('set', 'image', 'deployment/spin', 'busybox=busybox:1.37');
    await kc('set', 'image', 'deployment/web', 'nginx=nginx:1.9.1');
    const want = Math.max(1, Math.floor(replicas * killAt));
    let mid: number | undefined;
    for (const deadline = Date.now() + 120_000; mid === undefined; await new Promise((r) => setTimeout(r, 10))) {
      const { fresh, old } = await newAndOld(e, 'nginx:1.9.1');
      const ready = fresh?.status?.readyReplicas ?? 0;
      // The same test as on disk after the kill: an old ReplicaSet still wants pods. (Its
      // status.replicas lags: it still counts the pods of a set already scaled to 0.)
      const oldLeft = old.some((r) => r.spec?.replicas > 0);
      if (ready >= want && ready < replicas && oldLeft) mid = ready;
      else if (!oldLeft && ready === replicas)
        throw new Error(`the rollout finished before the kill (waiting for ${want} new pods Ready)`);
      else if (Date.now() > deadline) throw new Error('timed out waiting for the rollout to be half way');
    }
    const oldPid = e.pid;
    await e.kill('SIGKILL');
    e = undefined;
    facts.killedWithNewReady = mid;
    const survivors = processesUnder(home, marker);
    facts.survivorsOfKill = survivors.map((p) => `${p.pid} ${p.cmd.slice(0, 60)}`);

    const disk = onDisk(home);
    const dep = disk.get('deployments.apps default/web')?.obj;
    if (dep?.spec.template.spec.containers[0].image !== 'nginx:1.9.1')
      problems.push('the acknowledged set image is not on disk');
    const sets = [...disk.values()]
      .filter((v) => v.obj.kind === 'ReplicaSet' && v.obj.metadata.labels?.app === 'web')
      .map((v) => v.obj);
    facts.replicaSetsAtKill = sets.map((r) => `${r.spec.template.spec.containers[0].image}: ${r.spec.replicas}`);
    if (sets.filter((r) => r.spec.replicas > 0).length < 2)
      problems.push(`not killed mid-rollout: ${facts.replicaSetsAtKill}`);
    problems.push(...lost(before, disk, 'on disk after kill'));

    log(`killed pid ${oldPid} with ${mid}/${replicas} new pods Ready; restarting`);
    let left = survivors;
    for (let round = 0; ; round++) {
      const t0 = Date.now();
      e = await startChild(home, sandbox);
      facts.restartMs = Date.now() - t0;
      // The kubelet reaps what the killed engine left before the new engine serves.
      const unreaped = left.filter((s) => processesUnder(home, marker).some((p) => p.pid === s.pid && p.cmd === s.cmd));
      if (unreaped.length)
        problems.push(
          `still running after restart: ${unreaped.map((p) => `${p.pid} ${p.cmd.slice(0, 80)}`).join('; ')}`,
        );
      if (round === relapses) break;
      // Killed again while it recovers.
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 450));
      await e.kill('SIGKILL');
      left = processesUnder(home, marker);
    }

    await kc('rollout', 'status', 'deployment/web', '--timeout=300s');
    await kc('rollout', 'status', 'deployment/spin', '--timeout=120s');
    const after = await waitFor(
      async () => {
        const c = await dumpAll(e!);
        const pods = [...c].filter(([k]) => k.includes(' pods ')).map(([, v]) => v.obj);
        const settled =
          pods.every((p) => !p.metadata.deletionTimestamp) &&
          pods.filter((p) => p.metadata.labels?.app === 'web').length === replicas;
        return settled ? c : undefined;
      },
      120_000,
      'the old pods to be gone',
    );
    log(`rollout complete after restart; checking`);
    const c = byResource(after);
    problems.push(...lost(disk, c, 'after restart'), ...lost(before, c, 'after restart'), ...duplicates(c));
    const web = [...c]
      .filter(([k, v]) => k.startsWith('pods ') && v.obj.metadata.labels?.app === 'web')
      .map(([, v]) => v.obj);
    const stale = web.filter(
      (p) =>
        p.spec.containers[0].image !== 'nginx:1.9.1' ||
        !p.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'),
    );
    if (stale.length) problems.push(`${stale.length} web pods not Ready on nginx:1.9.1`);

    // One live shell per spin pod: none of the killed engine's containers run beside the new ones.
    const shells = containerShells(home, marker, e.pid);
    facts.spinShells = shells.length;
    if (shells.length !== spinners) {
      // Which container directory each shell runs from, and the pods that exist: enough to tell a
      // second start of one pod's container from the process of a pod that is gone.
      const spinPods = [...c]
        .filter(([k, v]) => k.startsWith('pods ') && v.obj.metadata.labels?.app === 'spin')
        .map(([, v]) => v.obj)
        .map((p) => {
          const s = p.status?.containerStatuses?.[0];
          return `${p.metadata.name} uid=${p.metadata.uid} restarts=${s?.restartCount} id=${s?.containerID ?? '-'}`;
        });
      problems.push(
        `${shells.length} container shells run for ${spinners} spin pods: ${shells
          .map((s) => `${s.pid} (${containerDirOf(s.pid, home)})`)
          .join(' ')}; pods: ${spinPods.join('; ')}; still there 3 s later: ${await new Promise<string>((r) =>
          setTimeout(() => r(String(containerShells(home, marker, e!.pid).length)), 3000),
        )}`,
      );
    }

    await e.kill('SIGTERM');
    e = undefined;
    const orphans = await waitFor(() => processesUnder(home, marker).length === 0, 10_000, 'no process left').then(
      () => [],
      () => processesUnder(home, marker),
    );
    if (orphans.length)
      problems.push(
        `processes outlived the engine: ${orphans.map((p) => `${p.pid} ${p.cmd.slice(0, 80)}`).join('; ')}`,
      );
    return { problems, facts };
  } finally {
    // A failed run still leaves no process behind: the engine stops its containers, the rest is killed.
    if (e) await Promise.race([e.kill('SIGTERM'), new Promise((r) => setTimeout(r, 10_000))]);
    await e?.kill('SIGKILL');
    for (const p of processesUnder(home, marker)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    rmSync(home, { recursive: true, force: true });
    rmSync(kubeHome, { recursive: true, force: true });
  }
}
