import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flat } from '../flat.ts';
import type { KObject } from '../../api-types/index.ts';
import type { MountFiles, VolumeMount } from '../runtime/index.ts';
import { HOSTS_HEADER } from '../runtime/rootfs.ts';
import { CLUSTER_DOMAIN } from '../dns/cluster-records.ts';

/** What the kubelet needs of the cluster DNS. */
export interface DnsSource {
  /** `serving`: a server answers on `ip`:53; `hosts`: service names go into /etc/hosts. */
  readonly mode: 'starting' | 'serving' | 'hosts';
  readonly ip: string;
  hostEntries(): Array<{ ip: string; names: string[]; namespace: string; name: string }>;
}

const MAX_NAMESERVERS = 3;
const MAX_SEARCH = 32;

/** The host's resolv.conf, for dnsPolicy Default (empty when the host has none). */
function hostResolvConf(): string {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    return '';
  }
}

interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: Array<{ name: string; value?: string }>;
}

function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.trim().split(/\s+/);
    if (key === 'nameserver' && rest[0]) out.nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') out.searches = rest;
    else if (key === 'options')
      for (const o of rest)
        out.options.push(o.includes(':') ? { name: o.split(':')[0]!, value: o.split(':')[1] } : { name: o });
  }
  return out;
}

/**
 * The kubelet's resolv.conf for a pod (dns.go's GetPodDNS): ClusterFirst points at the cluster
 * DNS with the namespace's search path and ndots:5; Default (and ClusterFirst with hostNetwork)
 * is the host's file; None is dnsConfig alone; dnsConfig is merged into the others.
 * Undefined when the container should keep the host's own file untouched.
 */
export function podResolvConf(pod: KObject, dnsIP: string, hostFile = hostResolvConf): string | undefined {
  const spec = pod.spec ?? {};
  let policy: string = spec.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'ClusterFirst' && spec.hostNetwork) policy = 'Default';
  if (policy === 'ClusterFirstWithHostNet') policy = 'ClusterFirst';
  const cfg = spec.dnsConfig ?? {};
  if (policy === 'Default' && !cfg.nameservers?.length && !cfg.searches?.length && !cfg.options?.length)
    return undefined;
  let base: ResolvConf;
  if (policy === 'None') base = { nameservers: [], searches: [], options: [] };
  else if (policy === 'Default') base = parseResolvConf(hostFile());
  else {
    const ns = pod.metadata.namespace ?? 'default';
    base = {
      nameservers: [dnsIP],
      searches: [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN],
      options: [{ name: 'ndots', value: '5' }],
    };
  }
  const nameservers = [...new Set([...base.nameservers, ...((cfg.nameservers ?? []) as string[])])].slice(
    0,
    MAX_NAMESERVERS,
  );
  const searches = [...new Set([...base.searches, ...((cfg.searches ?? []) as string[])])].slice(0, MAX_SEARCH);
  const options = new Map(base.options.map((o) => [o.name, o.value]));
  for (const o of (cfg.options ?? []) as Array<{ name?: string; value?: string }>)
    if (o?.name) options.set(o.name, o.value);
  const lines: string[] = [];
  if (searches.length) lines.push(`search ${searches.join(' ')}`);
  for (const n of nameservers) lines.push(`nameserver ${n}`);
  if (options.size)
    lines.push(`options ${[...options].map(([k, v]) => (v !== undefined ? `${k}:${v}` : k)).join(' ')}`);
  return lines.join('\n') + '\n';
}

/**
 * The kubelet-managed /etc/hosts: localhost, the pod's own name (with its FQDN when it has a
 * hostname and subdomain), hostAliases, and, when no DNS server could listen, every service.
 */
export function podHostsFile(pod: KObject, podIP: string, dns: DnsSource | undefined): string {
  const spec = pod.spec ?? {};
  const ns = pod.metadata.namespace ?? 'default';
  const hostname: string = spec.hostname || pod.metadata.name;
  const lines = [
    ...HOSTS_HEADER,
    spec.subdomain
      ? `${podIP}\t${hostname}.${spec.subdomain}.${ns}.svc.${CLUSTER_DOMAIN}\t${hostname}`
      : `${podIP}\t${hostname}`,
  ];
  const aliases = (spec.hostAliases ?? []) as Array<{ ip?: string; hostnames?: string[] }>;
  if (aliases.length) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of aliases) if (a?.ip && a.hostnames?.length) lines.push(`${a.ip}\t${a.hostnames.join('\t')}`);
  }
  if (dns?.mode === 'hosts' && (spec.dnsPolicy ?? 'ClusterFirst') !== 'None') {
    lines.push(
      '',
      '# Services (skiff: no cluster DNS server could listen on port 53, so the kubelet keeps them here).',
    );
    for (const e of dns.hostEntries())
      lines.push(`${e.ip}\t${[...e.names, ...(e.namespace === ns ? [e.name] : [])].join('\t')}`);
  }
  return lines.join('\n') + '\n';
}

/** One pod's DNS files: the mounts of its containers share it. */
class Tracked implements MountFiles {
  /** The files are on disk (written when a container first looks: see VolumeMount.files). */
  written = false;

  constructor(
    private readonly owner: PodDnsFiles,
    readonly uid: string,
    readonly pod: KObject,
    readonly podIP: string,
    private readonly resolv: string | undefined,
  ) {}

  /** `<rootDir>/<uid>/.dns`, made when asked for (not a path kept for each pod). */
  get dir(): string {
    return this.owner.dirOf(this.uid);
  }

  get hosts(): boolean {
    return !this.pod.spec?.hostNetwork;
  }

  prepare(): void {
    if (this.written) return;
    const dir = this.dir;
    mkdirSync(dir, { recursive: true });
    if (this.hosts) writeFileSync(join(dir, 'hosts'), podHostsFile(this.pod, this.podIP, this.owner.dns));
    if (this.resolv !== undefined) writeFileSync(join(dir, 'resolv.conf'), this.resolv);
    this.written = true;
  }
}

/**
 * One of a pod's DNS files as a container's mount. Its host path is made when asked for (the
 * sandbox's arguments, a volume link) from the pod's directory its Tracked holds: each running
 * container keeps its mounts, and two paths of ~90 characters a pod were ~370 B of 10,000 pods.
 */
class DnsFileMount implements VolumeMount {
  readonly readOnly = false;

  constructor(
    readonly files: Tracked,
    private readonly file: 'hosts' | 'resolv.conf',
  ) {}

  get hostPath(): string {
    return `${this.files.dir}/${this.file}`;
  }

  get containerPath(): string {
    return this.file === 'hosts' ? '/etc/hosts' : '/etc/resolv.conf';
  }
}

/**
 * Writes each pod's /etc/hosts and /etc/resolv.conf under `<rootDir>/<uid>/.dns/` and hands them
 * to the runtime as files bound over the container's. Files are rewritten in place, so a running
 * container sees /etc/hosts change when services come and go (the fallback without DNS).
 */
export class PodDnsFiles {
  private pods = new Map<string, Tracked>();

  constructor(
    private readonly rootDir: string,
    readonly dns: DnsSource | undefined,
  ) {}

  dirOf(uid: string): string {
    return join(this.rootDir, uid, '.dns');
  }

  /** The mounts of the pod's files for a container; they are (re)written before it first looks. */
  mounts(pod: KObject, podIP: string): VolumeMount[] {
    const uid = pod.metadata.uid!;
    // What the hosts file reads, not the whole version of the pod (kept while the pod runs).
    const hostsOf: KObject = {
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace },
      spec: pod.spec,
    };
    const conf = podResolvConf(pod, this.dns?.ip ?? '');
    const resolv = conf === undefined ? undefined : flat(conf); // the same for every pod of a namespace
    const t = new Tracked(this, uid, hostsOf, podIP, resolv);
    this.pods.set(uid, t);
    const out: VolumeMount[] = [];
    if (t.hosts) out.push(new DnsFileMount(t, 'hosts'));
    if (resolv !== undefined) out.push(new DnsFileMount(t, 'resolv.conf'));
    return out;
  }

  forget(uid: string): void {
    this.pods.delete(uid);
  }

  /** Services changed: rewrite every pod's /etc/hosts (only matters in `hosts` mode). */
  refreshHosts(): void {
    if (this.dns?.mode !== 'hosts') return;
    for (const t of this.pods.values()) {
      if (t.pod.spec?.hostNetwork || !t.written) continue;
      try {
        // Same inode (truncate and write), so the bind mount inside the sandbox sees it.
        writeFileSync(join(t.dir, 'hosts'), podHostsFile(t.pod, t.podIP, this.dns));
      } catch {
        // The pod's directory is gone (removed meanwhile).
      }
    }
  }
}
