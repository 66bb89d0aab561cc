import type {
  Container,
  ContainerPort,
  ContainerState,
  ContainerStatus,
  EnvVar,
  Probe,
  ResourceFieldSelector,
  ResourceRequirements,
  VolumeDevice,
  VolumeMount,
} from 'kubernetes-types/core/v1.d.ts';
import type { KObject } from '../api-types/index.ts';
import { formatTime, printBool, stringOrNone } from './format.ts';
import { canonicalQuantity, milliValue, parseQuantity, value } from './quantity.ts';
import type { PrefixWriter } from './writer.ts';

/** kubectl's describeContainers; `pod` is set when describing a live pod (statuses, env values). */
export function describeContainers(
  label: string,
  containers: Container[] | undefined,
  statuses: ContainerStatus[] | undefined,
  pod: KObject | undefined,
  w: PrefixWriter,
  space: string,
): void {
  const list = containers ?? [];
  const byName = new Map<string, ContainerStatus>((statuses ?? []).map((s) => [s.name, s]));
  w.write(0, `${space}${label}:${list.length === 0 ? ' <none>' : ''}\n`);
  for (const c of list) {
    const status = byName.get(c.name);
    basicInfo(c, status, space, w);
    command(c, w);
    if (status) state(status, w);
    describeResources(c.resources, w, 2);
    probes(c, w);
    if (c.envFrom?.length) envFrom(c, w);
    env(c, pod, w);
    mounts(c, w);
  }
}

function basicInfo(c: Container, status: ContainerStatus | undefined, space: string, w: PrefixWriter): void {
  w.write(1, `${space ? ' ' : ''}${c.name}:\n`);
  if (status) w.write(2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(2, `Image:\t${c.image ?? ''}\n`);
  if (status) w.write(2, `Image ID:\t${status.imageID ?? ''}\n`);
  const ports: ContainerPort[] = c.ports ?? [];
  const portString = ports.map((p) => `${p.containerPort ?? 0}/${p.protocol ?? ''}`).join(', ');
  if (portString.includes(',')) w.write(2, `Ports:\t${portString}\n`);
  else w.write(2, `Port:\t${stringOrNone(portString)}\n`);
  const hostPorts = ports.map((p) => `${p.hostPort ?? 0}/${p.protocol ?? ''}`).join(', ');
  if (hostPorts.includes(',')) w.write(2, `Host Ports:\t${hostPorts}\n`);
  else w.write(2, `Host Port:\t${stringOrNone(hostPorts)}\n`);
  const seccomp = c.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(2, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === 'Localhost') w.write(3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
  }
}

function command(c: Container, w: PrefixWriter): void {
  for (const [title, items] of [
    ['Command', c.command],
    ['Args', c.args],
  ] as const) {
    if (!items?.length) continue;
    w.write(2, `${title}:\n`);
    for (const item of items) for (const s of String(item).split('\n')) w.write(3, `${s}\n`);
  }
}

function state(status: ContainerStatus, w: PrefixWriter): void {
  describeState('State', status.state ?? {}, w);
  if (status.lastState?.terminated) describeState('Last State', status.lastState, w);
  w.write(2, `Ready:\t${printBool(status.ready)}\n`);
  w.write(2, `Restart Count:\t${status.restartCount ?? 0}\n`);
}

function describeState(name: string, s: ContainerState, w: PrefixWriter): void {
  if (s.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${formatTime(s.running.startedAt)}\n`);
  } else if (s.waiting) {
    w.write(2, `${name}:\tWaiting\n`);
    if (s.waiting.reason) w.write(3, `Reason:\t${s.waiting.reason}\n`);
  } else if (s.terminated) {
    const t = s.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${formatTime(t.startedAt)}\n`);
    w.write(3, `Finished:\t${formatTime(t.finishedAt)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
  }
}

export function describeResources(resources: ResourceRequirements | undefined, w: PrefixWriter, level: number): void {
  for (const [title, list] of [
    ['Limits', resources?.limits],
    ['Requests', resources?.requests],
  ] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length === 0) continue;
    w.write(level, `${title}:\n`);
    for (const n of names) w.write(level + 1, `${n}:\t${canonicalQuantity(list?.[n])}\n`);
  }
}

function probes(c: Container, w: PrefixWriter): void {
  if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
}

export function describeProbe(p: Probe): string {
  const attrs =
    `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s ` +
    `#success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const port = String(g.port ?? 0);
    const host: string = g.host ?? '';
    const hostPort = port ? `${host.includes(':') ? `[${host}]` : host}:${port}` : host;
    const scheme = String(g.scheme ?? '').toLowerCase();
    let path: string = g.path ?? '';
    if (path && !path.startsWith('/') && hostPort) path = '/' + path;
    const authority = scheme || hostPort ? (hostPort || path ? '//' : '') + hostPort : '';
    return `http-get ${scheme ? `${scheme}:` : ''}${authority}${path} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port ?? 0} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port ?? 0} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function envFrom(c: Container, w: PrefixWriter): void {
  w.write(2, 'Environment Variables from:\n');
  for (const e of c.envFrom ?? []) {
    const ref = e.configMapRef ?? e.secretRef;
    const from = e.configMapRef ? 'ConfigMap' : e.secretRef ? 'Secret' : '';
    const optional = ref?.optional === true;
    const prefix = e.prefix ? ` with prefix '${e.prefix}'` : '';
    w.write(3, `${ref?.name ?? ''}\t${from}${prefix}\tOptional: ${optional}\n`);
  }
}

function env(c: Container, pod: KObject | undefined, w: PrefixWriter): void {
  const vars: EnvVar[] = c.env ?? [];
  w.write(2, `Environment:${vars.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of vars) {
    const from = e.valueFrom;
    if (!from) {
      String(e.value ?? '')
        .split('\n')
        .forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
    } else if (from.fieldRef) {
      const v = pod ? fieldPathValue(pod, from.fieldRef.fieldPath) : '';
      w.write(3, `${e.name}:\t${v} (${from.fieldRef.apiVersion ?? ''}:${from.fieldRef.fieldPath})\n`);
    } else if (from.resourceFieldRef) {
      const r = from.resourceFieldRef.resource;
      let v = resourceFieldValue(from.resourceFieldRef, c);
      if (v === '0' && (r === 'limits.cpu' || r === 'limits.memory')) v = 'node allocatable';
      w.write(3, `${e.name}:\t${v} (${r})\n`);
    } else if (from.secretKeyRef) {
      const k = from.secretKeyRef;
      w.write(
        3,
        `${e.name}:\t<set to the key '${k.key}' in secret '${k.name ?? ''}'>\tOptional: ${k.optional === true}\n`,
      );
    } else if (from.configMapKeyRef) {
      const k = from.configMapKeyRef;
      w.write(
        3,
        `${e.name}:\t<set to the key '${k.key}' of config map '${k.name ?? ''}'>\tOptional: ${k.optional === true}\n`,
      );
    }
  }
}

function fieldPathValue(pod: KObject, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return pod.metadata[m[1] as 'labels' | 'annotations']?.[m[2]] ?? '';
  const known: Record<string, unknown> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.hostIP': pod.status?.hostIP,
    'status.podIP': pod.status?.podIP,
    'status.hostIPs': (pod.status?.hostIPs ?? []).map((x: { ip?: string }) => x.ip).join(','),
    'status.podIPs': (pod.status?.podIPs ?? []).map((x: { ip?: string }) => x.ip).join(','),
  };
  const v = known[path];
  return v === undefined || v === null ? '' : String(v);
}

function resourceFieldValue(ref: ResourceFieldSelector, c: Container): string {
  const [kind, name] = String(ref.resource).split('.', 2);
  const list = kind === 'limits' ? c.resources?.limits : kind === 'requests' ? c.resources?.requests : undefined;
  if (!list || !name) return '';
  const divisor = parseQuantity(ref.divisor);
  const q = parseQuantity(list[name]);
  if (name === 'cpu') {
    const d = divisor.mantissa === 0n ? 1000 : milliValue(divisor);
    return String(Math.ceil(milliValue(q) / d));
  }
  const d = divisor.mantissa === 0n ? 1 : value(divisor);
  return String(Math.ceil(value(q) / d));
}

function mounts(c: Container, w: PrefixWriter): void {
  const list: VolumeMount[] = [...(c.volumeMounts ?? [])].sort((a, b) =>
    a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0,
  );
  w.write(2, `Mounts:${list.length === 0 ? '\t<none>' : ''}\n`);
  for (const m of list) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
  const devices: VolumeDevice[] = [...(c.volumeDevices ?? [])].sort((a, b) => (a.devicePath < b.devicePath ? -1 : 1));
  if (devices.length > 0) {
    w.write(2, `Devices:${list.length === 0 ? '\t<none>' : ''}\n`);
    for (const d of devices) w.write(3, `${d.devicePath} from ${d.name}\n`);
  }
}
