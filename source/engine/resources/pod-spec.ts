import type { Toleration } from 'kubernetes-types/core/v1.d.ts';
import type { StatusCause } from '../../api-types/index.ts';
import { cause, checkName, checkPort, isObject } from './validation.ts';

/** Pod-spec defaults as the apiserver applies them (pods and pod templates alike). */
export function defaultPodSpec(spec: unknown): void {
  if (!isObject(spec)) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const list of [spec.containers, spec.initContainers, spec.ephemeralContainers]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) defaultContainer(c);
  }
}

export function defaultContainer(c: unknown): void {
  if (!isObject(c)) return;
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (c.imagePullPolicy === undefined && typeof c.image === 'string') {
    c.imagePullPolicy = imageTag(c.image) === 'latest' ? 'Always' : 'IfNotPresent';
  }
  c.resources ??= {};
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObject(p)) p.protocol ??= 'TCP';
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
    if (!isObject(probe)) continue;
    probe.timeoutSeconds ??= 1;
    probe.periodSeconds ??= 10;
    probe.successThreshold ??= 1;
    probe.failureThreshold ??= 3;
    if (isObject(probe.httpGet)) {
      probe.httpGet.path ??= '/';
      probe.httpGet.scheme ??= 'HTTP';
    }
  }
}

/** The tag of an image reference (`latest` when absent; digests count as pinned). */
export function imageTag(image: string): string {
  if (image.includes('@')) return '@digest';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > lastSlash ? image.slice(colon + 1) : 'latest';
}

/** Pod-level defaults only for pods (not templates). */
export function defaultPodOnly(spec: unknown): void {
  if (!isObject(spec)) return;
  spec.enableServiceLinks ??= true;
  spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.tolerations ??= [];
  const has = (key: string) =>
    spec.tolerations.some((t: Toleration | null | undefined) => t?.key === key && t?.effect === 'NoExecute');
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!has(key)) spec.tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
}

const RESTART = ['Always', 'OnFailure', 'Never'];
const PULL = ['Always', 'IfNotPresent', 'Never'];

export function validatePodSpec(spec: unknown, path: string, out: StatusCause[]): void {
  if (!isObject(spec)) {
    out.push(cause.required(path));
    return;
  }
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) {
    out.push(cause.required(`${path}.containers`));
  }
  const names = new Set<string>();
  const lists: Array<[string, unknown]> = [
    ['containers', spec.containers],
    ['initContainers', spec.initContainers],
    ['ephemeralContainers', spec.ephemeralContainers],
  ];
  for (const [listName, list] of lists) {
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      out.push(cause.invalid(`${path}.${listName}`, list, 'must be a list'));
      continue;
    }
    list.forEach((c: unknown, i: number) => {
      const p = `${path}.${listName}[${i}]`;
      if (!isObject(c)) {
        out.push(cause.invalid(p, c, 'must be an object'));
        return;
      }
      checkName(`${p}.name`, c.name, 'label', out);
      if (typeof c.name === 'string') {
        if (names.has(c.name)) out.push(cause.duplicate(`${p}.name`, c.name));
        names.add(c.name);
      }
      if (typeof c.image !== 'string' || !c.image.trim()) out.push(cause.required(`${p}.image`));
      else if (/\s/.test(c.image))
        out.push(cause.invalid(`${p}.image`, c.image, 'must not have leading or trailing whitespace'));
      if (c.imagePullPolicy !== undefined && !PULL.includes(c.imagePullPolicy)) {
        out.push(cause.notSupported(`${p}.imagePullPolicy`, c.imagePullPolicy, PULL));
      }
      for (const f of ['command', 'args']) {
        if (c[f] !== undefined && (!Array.isArray(c[f]) || c[f].some((x: unknown) => typeof x !== 'string'))) {
          out.push(cause.invalid(`${p}.${f}`, c[f], 'must be a list of strings'));
        }
      }
      if (c.ports !== undefined) {
        if (!Array.isArray(c.ports)) out.push(cause.invalid(`${p}.ports`, c.ports, 'must be a list'));
        else
          c.ports.forEach((item: unknown, j: number) => {
            const port = isObject(item) ? item : undefined;
            checkPort(`${p}.ports[${j}].containerPort`, port?.containerPort, out);
            if (port?.name !== undefined) checkName(`${p}.ports[${j}].name`, port.name, 'label', out);
          });
      }
      if (c.env !== undefined) {
        if (!Array.isArray(c.env)) out.push(cause.invalid(`${p}.env`, c.env, 'must be a list'));
        else
          c.env.forEach((e: unknown, j: number) => {
            if (!isObject(e) || typeof e.name !== 'string' || !e.name) out.push(cause.required(`${p}.env[${j}].name`));
          });
      }
    });
  }
  if (spec.restartPolicy !== undefined && !RESTART.includes(spec.restartPolicy)) {
    out.push(cause.notSupported(`${path}.restartPolicy`, spec.restartPolicy, RESTART));
  }
  if (spec.nodeSelector !== undefined && !isObject(spec.nodeSelector)) {
    out.push(cause.invalid(`${path}.nodeSelector`, spec.nodeSelector, 'must be a map of strings'));
  }
}
