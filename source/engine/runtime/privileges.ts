import { StartError } from './errors.ts';

/** The parts of a (pod and container) securityContext the runtime applies, already merged. */
export interface SecuritySpec {
  runAsUser?: number;
  runAsGroup?: number;
  privileged?: boolean;
  readOnlyRootFilesystem?: boolean;
  /** bwrap always sets no_new_privs, so `false` is honoured and `true` cannot be. */
  allowPrivilegeEscalation?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}

/** The capability set Docker and containerd give a container by default. */
export const DEFAULT_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_RAW',
  'CAP_SYS_CHROOT',
  'CAP_MKNOD',
  'CAP_AUDIT_WRITE',
  'CAP_SETFCAP',
];

/** Linux capabilities by number (capability.h), for names and for /proc/<pid>/status masks. */
export const ALL_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_DAC_READ_SEARCH',
  'CAP_FOWNER',
  'CAP_FSETID',
  'CAP_KILL',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETPCAP',
  'CAP_LINUX_IMMUTABLE',
  'CAP_NET_BIND_SERVICE',
  'CAP_NET_BROADCAST',
  'CAP_NET_ADMIN',
  'CAP_NET_RAW',
  'CAP_IPC_LOCK',
  'CAP_IPC_OWNER',
  'CAP_SYS_MODULE',
  'CAP_SYS_RAWIO',
  'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT',
  'CAP_SYS_ADMIN',
  'CAP_SYS_BOOT',
  'CAP_SYS_NICE',
  'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG',
  'CAP_MKNOD',
  'CAP_LEASE',
  'CAP_AUDIT_WRITE',
  'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE',
  'CAP_MAC_ADMIN',
  'CAP_SYSLOG',
  'CAP_WAKE_ALARM',
  'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ',
  'CAP_PERFMON',
  'CAP_BPF',
  'CAP_CHECKPOINT_RESTORE',
];

/** `NET_ADMIN` and `CAP_NET_ADMIN` alike, as containerd accepts them. */
function capName(name: string): string {
  const upper = name.toUpperCase();
  return upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

/**
 * The capabilities a container's processes get: the default set, minus `drop`, plus `add`
 * (`ALL` in either), everything when privileged. A user other than root gets none (as with
 * runc: Kubernetes sets no ambient capabilities).
 */
export function effectiveCapabilities(sec: SecuritySpec = {}): string[] {
  if ((sec.runAsUser ?? 0) !== 0) return [];
  if (sec.privileged) return [...ALL_CAPABILITIES];
  const add = (sec.capabilities?.add ?? []).map(capName);
  const drop = (sec.capabilities?.drop ?? []).map(capName);
  for (const c of [...add, ...drop]) {
    if (c !== 'CAP_ALL' && !ALL_CAPABILITIES.includes(c)) {
      throw new StartError(
        `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: unknown capability "${c}": unknown`,
      );
    }
  }
  let caps = drop.includes('CAP_ALL') ? [] : DEFAULT_CAPABILITIES.filter((c) => !drop.includes(c));
  if (add.includes('CAP_ALL')) caps = [...ALL_CAPABILITIES];
  else for (const c of add) if (!caps.includes(c)) caps.push(c);
  return caps;
}

/** The hex mask /proc/<pid>/status shows for a set of capabilities (e.g. `00000000a80425fb`). */
export function capabilityMask(caps: string[]): string {
  let mask = 0n;
  for (const c of caps) mask |= 1n << BigInt(ALL_CAPABILITIES.indexOf(c));
  return mask.toString(16).padStart(16, '0');
}

/**
 * Whether the container may undo its sandbox: with CAP_SYS_ADMIN it can unmount and remount its
 * view (bwrap's user namespace owns the mount namespace), so the kubelet warns about it.
 */
export function canEscape(sec: SecuritySpec = {}): boolean {
  return effectiveCapabilities(sec).includes('CAP_SYS_ADMIN');
}

/**
 * bwrap arguments for identity and privileges: a user namespace (root inside is not root on the
 * host: capabilities hold only in the namespace) with the container's uid/gid, then exactly the
 * container's capabilities. Without user namespaces (root on a kernel that forbids them) a
 * `setpriv` run first inside the sandbox switches to runAsUser, dropping what it needed for that.
 */
export function privilegeArgs(sec: SecuritySpec, userns: boolean): { args: string[]; wrapper: string[] } {
  const caps = effectiveCapabilities(sec);
  const args: string[] = [];
  const wrapper: string[] = [];
  const uid = sec.runAsUser;
  const gid = sec.runAsGroup ?? uid;
  if (userns) args.push('--unshare-user', '--uid', String(uid ?? 0), '--gid', String(gid ?? 0));
  else if (uid !== undefined && uid !== 0) {
    wrapper.push('setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--');
    caps.push('CAP_SETUID', 'CAP_SETGID');
  }
  args.push('--cap-drop', 'ALL');
  for (const c of caps) args.push('--cap-add', c);
  return { args, wrapper };
}
