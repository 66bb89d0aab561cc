import { delimiter } from 'node:path';
import type { ResolvedImage, RuntimeKind } from './catalog.ts';
import type { SecuritySpec } from './privileges.ts';
import { isUnder } from './paths.ts';
import type { VolumeMount } from './sandbox.ts';
import { SYSTEM_ROOTS } from './view.ts';

export interface EnvVar {
  name: string;
  value?: string;
}

/** What the kubelet asks to run: one instance of one container of a pod. */
export interface StartSpec {
  podUid: string;
  /** The sandbox's hostname. */
  podName: string;
  /** Container name. */
  container: string;
  /** The restart count; default one more than the last instance on disk. */
  attempt?: number;
  image: string;
  command?: string[];
  args?: string[];
  /** Already resolved (valueFrom is the kubelet's business). */
  env?: Record<string, string> | EnvVar[];
  workingDir?: string;
  podIP: string;
  ports?: { containerPort: number; protocol?: string }[];
  volumes?: VolumeMount[];
  /** The pod's and container's securityContext, merged (container fields win). */
  security?: SecuritySpec;
  /** Keep stdin open for `kubectl attach -i` (container `stdin: true`). */
  stdin?: boolean;
  /** Close stdin after the first attach session ends (`stdinOnce`, set by `kubectl run -i`). */
  stdinOnce?: boolean;
  /** Run the main process in a pseudo-terminal (container `tty: true`). */
  tty?: boolean;
  /** The container's CPU request in millicores: its processes' CPU weight follows it (niceness.ts). */
  cpuRequest?: number;
  /** Keep the filesystem of an earlier instance (default: start from the image, like a new container). */
  keepRootfs?: boolean;
}

/**
 * The argv to run (Docker semantics: `command` replaces the entrypoint, `args` the cmd) and what
 * runs it. A built-in nginx told to run something other than nginx runs that as a host process.
 */
export function containerArgv(image: ResolvedImage, spec: StartSpec): { kind: RuntimeKind; argv: string[] } {
  const { entrypoint, cmd, runtime } = image.image;
  let argv = spec.command?.length
    ? [...spec.command, ...(spec.args ?? [])]
    : [...entrypoint, ...(spec.args?.length ? spec.args : cmd)];
  if (runtime !== 'builtin-nginx') return { kind: runtime, argv };
  // The image's entrypoint script only execs its arguments.
  if (argv[0] === '/docker-entrypoint.sh') argv = argv.slice(1);
  const nginx = argv.length === 0 || /(^|\/)nginx(-debug)?$/.test(argv[0]!);
  return { kind: nginx ? 'builtin-nginx' : 'process', argv };
}

/**
 * Image env, then the pod's; the host PATH is appended so host tools stand in for the image's.
 * In a sandbox only the host directories its view shows are appended: the others (a user's
 * `~/.local/bin`, `/opt/…`) could not run anything there, and would tell the pod how the host is laid out.
 */
export function containerEnv(image: ResolvedImage, spec: StartSpec, sandboxed: boolean): Record<string, string> {
  const env: Record<string, string> = { HOSTNAME: spec.podName, HOME: '/root' };
  Object.assign(env, image.env);
  if (Array.isArray(spec.env)) for (const e of spec.env) env[e.name] = e.value ?? '';
  else if (spec.env) Object.assign(env, spec.env);
  env.PATH = withHostPath(env.PATH ?? '', sandboxed);
  return env;
}

// Every container of an image has the same PATH (the host's appended: hundreds of bytes): one copy,
// made once.
const paths = new Map<string, string>();

/** The container's PATH with the host's directories it lacks appended (in a sandbox, those its view shows). */
function withHostPath(containerPath: string, sandboxed: boolean): string {
  const host = process.env.PATH ?? '';
  const key = `${sandboxed ? 1 : 0}${containerPath}\u0000${host}`;
  const had = paths.get(key);
  if (had !== undefined) return had;
  const path = containerPath.split(delimiter).filter(Boolean);
  for (const dir of host.split(delimiter)) {
    if (!dir || path.includes(dir)) continue;
    if (sandboxed && !SYSTEM_ROOTS.some((root) => isUnder(dir, root))) continue;
    path.push(dir);
  }
  const joined = path.join(delimiter);
  if (paths.size < 1000) paths.set(key, joined);
  return joined;
}
