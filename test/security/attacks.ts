/**
 * What a hostile container tries, as one sh script (dash and busybox sh alike). Each attempt
 * prints `<name>:OPEN` when it worked and `<name>:blocked` when it failed; the capability masks
 * and the user namespace's uid map are printed as `caps:<CapEff>:<CapBnd>` and `uidmap:<lines>`.
 */
export interface AttackTargets {
  skiffHome: string;
  /** A file of another pod (its rootfs on the host). */
  otherPodFile: string;
  /** A file in the user's home directory. */
  homeFile: string;
  /** Host pid of the engine (or of the process that runs the runtime). */
  enginePid: number;
  /** Leave out the /dev/tty check (an exec with a TTY has a terminal of its own). */
  tty?: boolean;
}

/** init_module fails with EPERM without CAP_SYS_MODULE (ENOSYS where the host forbids modules). */
const MODULE_LOAD = `import ctypes,sys; libc=ctypes.CDLL(None,use_errno=True); libc.init_module(None,0,b""); sys.exit(1 if ctypes.get_errno() in (1, 38) else 0)`;

export function attackScript(t: AttackTargets): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    't() { n=$1; shift; if "$@" >/dev/null 2>&1; then echo "$n:OPEN"; else echo "$n:blocked"; fi; }',
    `t token cat ${q(`${t.skiffHome}/token`)}`,
    `t ca-key ls ${q(`${t.skiffHome}/pki`)}`,
    `t state-db cat ${q(`${t.skiffHome}/state.db`)}`,
    `t skiff-home ls ${q(t.skiffHome)}`,
    `t home-file cat ${q(t.homeFile)}`,
    `t other-pod cat ${q(t.otherPodFile)}`,
    't shadow cat /etc/shadow',
    't gshadow cat /etc/gshadow',
    't sudoers cat /etc/sudoers',
    't ssl-private sh -c "ls -A /etc/ssl/private | grep -q ."',
    't home-dir ls /home',
    't run-dir ls /run',
    't var-lib ls /var/lib',
    't remount-root mount -o remount,rw /',
    't remount-usr mount -o remount,rw,bind /usr',
    't mount-tmpfs mount -t tmpfs none /tmp',
    't unmount-etc umount /etc/passwd',
    't write-usr touch /usr/skiff-escaped',
    `t load-module python3 -c ${q(MODULE_LOAD)}`,
    `t see-engine test -e /proc/${t.enginePid}`,
    `t signal-engine kill -0 ${t.enginePid}`,
    `t host-init sh -c ${q(`! tr '\\0' ' ' < /proc/1/cmdline | grep -q bwrap`)}`,
    ...(t.tty ? [] : ['t tty-inject sh -c "echo x > /dev/tty"']),
    'echo "caps:$(sed -n "s/^CapEff:\\t//p" /proc/self/status):$(sed -n "s/^CapBnd:\\t//p" /proc/self/status)"',
    'echo "uidmap:$(cat /proc/self/uid_map | tr -s " " | tr "\\n" ";")"',
    'echo "id:$(id -u):$(id -g)"',
    'echo attacks:done',
  ].join('\n');
}

/** The attempts that worked (should be none) and the reported masks, from the script's output. */
export function attackResults(output: string): {
  open: string[];
  blocked: string[];
  caps?: string;
  bounding?: string;
  uidMap?: string;
  uid?: string;
  done: boolean;
} {
  const lines = output.replace(/\r/g, '').split('\n');
  const open = lines.filter((l) => /^[\w-]+:OPEN$/.test(l)).map((l) => l.split(':')[0]!);
  const blocked = lines.filter((l) => /^[\w-]+:blocked$/.test(l)).map((l) => l.split(':')[0]!);
  const caps = lines.find((l) => l.startsWith('caps:'))?.split(':');
  return {
    open,
    blocked,
    caps: caps?.[1],
    bounding: caps?.[2],
    uidMap: lines
      .find((l) => l.startsWith('uidmap:'))
      ?.slice('uidmap:'.length)
      .trim(),
    uid: lines.find((l) => l.startsWith('id:'))?.slice(3),
    done: lines.includes('attacks:done'),
  };
}

/** The names attackScript tries; every one of them must come back blocked. */
export const ATTACKS = [
  'token',
  'ca-key',
  'state-db',
  'skiff-home',
  'home-file',
  'other-pod',
  'shadow',
  'gshadow',
  'sudoers',
  'ssl-private',
  'home-dir',
  'run-dir',
  'var-lib',
  'remount-root',
  'remount-usr',
  'mount-tmpfs',
  'unmount-etc',
  'write-usr',
  'load-module',
  'see-engine',
  'signal-engine',
  'host-init',
];
