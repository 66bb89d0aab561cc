import { isIP } from 'node:net';
import type { KObject, StatusCause } from '../../api-types/index.ts';
import { nameError } from '../store/names.ts';
import { cause, isObject } from './validation.ts';

/** Conditions the system owns; any other condition type must be a qualified name. */
const SYSTEM_CONDITIONS = new Set(['PodScheduled', 'Ready', 'Initialized']);
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Upstream's ValidatePodStatusUpdate, for what a status write can change: condition types,
 * the nominated node, pod and host IPs (valid, at most one per family) and containers that may
 * not leave the terminated state under their restart policy. The spec is the stored one.
 */
export function validatePodStatusUpdate(pod: KObject, old: KObject): StatusCause[] {
  const out: StatusCause[] = [];
  const status: unknown = pod.status;
  if (!isObject(status)) return out;
  const conditions: unknown = status.conditions;
  if (Array.isArray(conditions)) {
    conditions.forEach((c: unknown, i) => {
      const type = isObject(c) ? c.type : undefined;
      if (typeof type === 'string' && SYSTEM_CONDITIONS.has(type)) return;
      if (typeof type !== 'string' || !qualifiedName(type))
        out.push(cause.invalid(`status.conditions[${i}].type`, type, 'must be a qualified name'));
    });
  }
  const nominated: unknown = status.nominatedNodeName;
  if (typeof nominated === 'string' && nominated && nominated !== old.status?.nominatedNodeName) {
    const err = nameError(nominated, 'subdomain');
    if (err) out.push(cause.invalid('status.nominatedNodeName', nominated, err));
  }
  checkIPs('status.podIPs', status.podIPs, out);
  checkIPs('status.hostIPs', status.hostIPs, out);
  checkStateTransitions('status.containerStatuses', status.containerStatuses, old, out);
  checkStateTransitions('status.initContainerStatuses', status.initContainerStatuses, old, out);
  return out;
}

function qualifiedName(s: string): boolean {
  const name = s.slice(s.indexOf('/') + 1);
  return QUALIFIED_NAME.test(s) && name.length <= 63 && s.length - name.length - 1 <= 253;
}

function checkIPs(field: string, list: unknown, out: StatusCause[]): void {
  if (!Array.isArray(list)) return;
  const families = new Set<number>();
  list.forEach((entry: unknown, i) => {
    const ip = isObject(entry) ? entry.ip : undefined;
    const family = typeof ip === 'string' ? isIP(ip) : 0;
    if (!family) out.push(cause.invalid(`${field}[${i}]`, ip, 'must be a valid IP address'));
    else families.add(family);
  });
  if (list.length > 1 && (families.size !== list.length || list.length > 2))
    out.push(cause.invalid(field, list, 'may specify no more than one IP for each IP family'));
}

/** A container that should not restart may not go from terminated back to another state. */
function checkStateTransitions(field: string, next: unknown, old: KObject, out: StatusCause[]): void {
  const policy = old.spec?.restartPolicy ?? 'Always';
  const before: unknown = old.status?.[field.slice('status.'.length)];
  if (policy === 'Always' || !Array.isArray(before) || !Array.isArray(next)) return;
  before.forEach((prev: unknown, i) => {
    if (!isObject(prev) || !isObject(prev.state) || !isObject(prev.state.terminated)) return;
    if (prev.state.terminated.exitCode !== 0 && policy === 'OnFailure') return;
    if (sidecars(old).has(prev.name)) return;
    const now: unknown = next.find((s: unknown) => isObject(s) && s.name === prev.name);
    if (isObject(now) && !(isObject(now.state) && isObject(now.state.terminated)))
      out.push(cause.forbidden(`${field}[${i}].state`, 'may not be transitioned to non-terminated state'));
  });
}

/** Init containers with restartPolicy Always (sidecars) restart whatever the pod's policy. */
function sidecars(pod: KObject): Set<unknown> {
  const list: unknown = pod.spec?.initContainers;
  const out = new Set<unknown>();
  if (Array.isArray(list))
    for (const c of list as unknown[]) if (isObject(c) && c.restartPolicy === 'Always') out.add(c.name);
  return out;
}
