/**
 * The container runtime: the layer below the kubelet. No store, no API: images, container
 * filesystems, real servers and processes, log files, exec.
 *
 *   const rt = await createRuntime({ rootDir: `${home}/pods`, skiffHome: home, clock });
 *
 *   // Pull (per-node cache; first pull waits pullDelayMs on the clock):
 *   const { resolved, cached, durationMs } = await rt.pull('node1', 'nginx:1.25', 'IfNotPresent');
 *   //   cached → event "Container image … already present on machine"
 *   //   resolved.ref.full → containerStatus.image, resolved.imageID → containerStatus.imageID,
 *   //   resolved.image.size → "Image size: N bytes"
 *   //   throws InvalidImageNameError (reason InvalidImageName), ImagePullError (ErrImagePull;
 *   //   the kubelet writes `rpc error: code = NotFound desc = ${err.message}`), ImageNeverPullError.
 *
 *   // Start one container instance (attempt = restartCount; its log is <attempt>.log):
 *   const c = await rt.start({ podUid, podName, container: 'web', attempt: 0, image: 'nginx:1.25',
 *                              podIP: '127.244.1.5', ports: [{ containerPort: 80 }], env, command, args });
 *   //   c.id (containerd://<id>), c.pid?, c.startedAt, c.kind, c.sandboxed (false → event),
 *   //   c.portMappings (each → event with .message), c.onExit(e => e.exitCode/e.reason/e.signal),
 *   //   await c.stop(graceMs) (SIGTERM, SIGKILL after grace on the clock), await c.kill().
 *   //   throws StartError (reason StartError, exit code 128) when the command does not exist.
 *
 *   // Logs (async iterator of output lines; follow ends when the container exits or signal aborts):
 *   for await (const line of rt.logs({ podUid, container: 'web', follow: true, tailLines: 10 })) …
 *   //   throws LogsNotFoundError when that instance never logged (e.g. no previous).
 *
 *   // Exec (the container must be running; argv, never a shell string):
 *   const s = rt.exec({ podUid, container: 'web', command: ['/bin/sh'], tty: true, stdin: true });
 *   //   s.stdin / s.stdout / s.stderr (null with tty) / s.resize(c, r) / await s.exited → {exitCode}
 *   //   throws ExecError when the container is not running or the command is missing.
 *
 *   await rt.removePod(podUid)   // kill its containers, delete its directory
 *   await rt.shutdown(graceMs)   // stop everything (cluster down)
 *   await rt.reapOrphans()       // at engine start: kill host processes a crashed engine left
 *
 * Kinds (from the image catalog, fixtures/images.yaml + $SKIFF_HOME/images.yaml):
 * - builtin-nginx: an HTTP server in the engine on podIP:80 (+ declared TCP ports) serving the
 *   container's own <rootfs>/usr/share/nginx/html; access lines on stdout. If the pod overrides
 *   the command with something other than `nginx …`, that command runs as a host process instead.
 * - builtin-idle: stays up; answers the image's fixed `http` endpoints (CoreDNS-like /health).
 * - process: command/args (or the image's entrypoint/cmd) as a host process, in bwrap if present.
 * Layout: <rootDir>/<podUid>/{<container>.<attempt>.log, <container>/{rootfs/, pid}} (logs of an
 * earlier skiff, <container>/logs/<attempt>.log, are still read). A built-in
 * container's rootfs is written on first use (exec, or a request to built-in nginx): rootfs.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RealClock, type Clock } from '../clock.ts';
import { IdleContainer, NginxContainer } from './builtin.ts';
import { DEFAULT_CATALOG_PATH, loadCatalog, type Catalog, type RuntimeKind } from './catalog.ts';
import type { BaseContainer, Container, ContainerContext } from './container.ts';
import { ExecError, LogsNotFoundError } from './errors.ts';
import { startExec, type ExecOptions, type ExecSession } from './exec.ts';
import { ProcessContainer } from './host-process.ts';
import { InteractiveContainer } from './interactive.ts';
import { prepareLogDir } from './log-worker.ts';
import {
  containerLogs,
  containerLogsAsync,
  entriesText,
  logFiles,
  LogWriter,
  removeLogFiles,
  stampLines,
  type LogLimits,
} from './log-file.ts';
import { readLogs, type LogReadOptions } from './log-reader.ts';
import { containerPaths, logName, podDir, podMemoryDir } from './paths.ts';
import { reapOrphans as reapOrphanProcesses } from './orphans.ts';
import { nicenessForRequest, podNiceness } from './niceness.ts';
import { ImagePuller, type CachedImage, type PullPolicy, type PullResult } from './pull.ts';
import { lazyRootfs } from './rootfs.ts';
import { detectSandbox, type SandboxInfo, type SandboxMode } from './sandbox.ts';
import { containerArgv, containerEnv, type StartSpec } from './spec.ts';

export * from './errors.ts';
export type { Catalog, CatalogImage, ResolvedImage, RuntimeKind } from './catalog.ts';
export type { Container, ExitInfo } from './container.ts';
export type { ExecExit, ExecOptions, ExecSession } from './exec.ts';
export type { ImageRef } from './image-ref.ts';
export { parseImageRef } from './image-ref.ts';
export type { LogReadOptions } from './log-reader.ts';
export type { PortMapping } from './ports.ts';
export type { CachedImage, PullPolicy, PullResult } from './pull.ts';
export type { MountFiles, SandboxInfo, SandboxMode, VolumeMount } from './sandbox.ts';
export type { SecuritySpec } from './privileges.ts';
export { canEscape, effectiveCapabilities } from './privileges.ts';
export type { EnvVar, StartSpec } from './spec.ts';

export interface RuntimeOptions {
  /** Per-pod directories go here (`$SKIFF_HOME/pods`). */
  rootDir: string;
  /** Default: real time, unscaled. */
  clock?: Clock;
  /** A first pull of an image on a node takes this long on the clock. Default 1500. */
  pullDelayMs?: number;
  /** `$SKIFF_HOME/images.yaml` extends the built-in catalog when present. */
  skiffHome?: string;
  /** Use this catalog instead of loading one. */
  catalog?: Catalog;
  /** `auto` (default): bwrap when it works; `none`: never. */
  sandbox?: SandboxMode;
  /** Map every built-in port to a free one (to test mapping as root). */
  forceMapPorts?: boolean;
  /** Named health checks a built-in's `http` endpoint can answer with (`check:` in images.yaml). */
  checks?: Record<string, () => boolean>;
  /** Per container instance. Default 10 MiB × 3 files. */
  logLimits?: LogLimits;
  /** Nice increment of every container's and exec's processes over the engine; default SKIFF_POD_NICENESS, else each container's CPU request decides (niceness.ts). */
  niceness?: number;
}

/**
 * `latest`: the newest instance (running, or ended and not restarted); `previous`: the one before
 * it; `lastEnded`: the newest instance that ran and ended — what a container waiting to restart
 * shows, even once its next instance is being started (that one's log is still empty).
 */
export type LogInstance = 'latest' | 'previous' | 'lastEnded';

export interface LogsRequest extends LogReadOptions {
  podUid: string;
  container: string;
  /** Which instance's log: see LogInstance (default `latest`). */
  instance?: LogInstance;
  /** For error messages only. */
  podName?: string;
}

export interface ExecRequest extends ExecOptions {
  podUid: string;
  container: string;
}

export interface Runtime {
  readonly catalog: Catalog;
  readonly sandbox: SandboxInfo;
  pull(node: string, image: string, policy?: PullPolicy): Promise<PullResult>;
  hasImage(node: string, image: string): boolean;
  /** The node's cached images, for `node.status.images`. */
  images(node: string): CachedImage[];
  start(spec: StartSpec): Promise<Container>;
  /** What would run a container of this image and command (throws for an unknown image). */
  kindOf(spec: { image: string; command?: string[]; args?: string[] }): RuntimeKind;
  /** The latest instance of a container, running or not. */
  get(podUid: string, container: string): Container | undefined;
  logs(req: LogsRequest): AsyncIterableIterator<string>;
  exec(req: ExecRequest): ExecSession;
  /** After the kubelet has stopped a deleted pod's containers: kill leftovers, delete its files. */
  removePod(podUid: string): Promise<void>;
  /** Stop every running container (cluster down). */
  shutdown(graceMs?: number): Promise<void>;
  /** At engine start: kill host processes of containers a dead engine left; returns how many. */
  reapOrphans(): Promise<number>;
}

/** 64 hex digits, like containerd's ids; random bytes drawn in blocks (one per 64 containers). */
let idPool = Buffer.alloc(0);
function containerId(): string {
  if (idPool.length < 32) idPool = randomBytes(32 * 64);
  const id = idPool.subarray(0, 32).toString('hex');
  idPool = idPool.subarray(32);
  return id;
}

export async function createRuntime(opts: RuntimeOptions): Promise<Runtime> {
  const clock = opts.clock ?? new RealClock(1);
  const catalog =
    opts.catalog ??
    loadCatalog([DEFAULT_CATALOG_PATH, ...(opts.skiffHome ? [join(opts.skiffHome, 'images.yaml')] : [])]);
  const sandbox = await detectSandbox(opts.sandbox ?? 'auto');
  const niceness = opts.niceness ?? podNiceness();
  const limits = opts.logLimits ?? { maxBytes: 10 * 1024 * 1024, maxFiles: 3 };
  const puller = new ImagePuller(catalog, clock, opts.pullDelayMs ?? 1500);
  const containers = new Map<string, BaseContainer>();
  const key = (podUid: string, name: string) => `${podUid}/${name}`;
  mkdirSync(opts.rootDir, { recursive: true });

  const starting = new Set<string>();
  async function start(spec: StartSpec): Promise<Container> {
    const k = key(spec.podUid, spec.container);
    if (starting.has(k) || containers.get(k)?.running) {
      throw new Error(`container ${spec.container} of pod ${spec.podUid} is already running`);
    }
    starting.add(k);
    try {
      return await startInstance(spec);
    } finally {
      starting.delete(k);
    }
  }

  async function startInstance(spec: StartSpec): Promise<Container> {
    const paths = containerPaths(opts.rootDir, spec.podUid, spec.container);
    const resolved = catalog.resolve(spec.image);
    const image = resolved.image;
    const { kind, argv } = containerArgv(resolved, spec);
    const workingDir = spec.workingDir || image.workingDir;
    const volumes = spec.volumes ?? [];
    const rootfs = lazyRootfs(paths.rootfs, resolved, {
      hostname: spec.podName,
      podIP: spec.podIP,
      workingDir,
      fresh: !spec.keepRootfs,
      volumes,
      linkVolumes: !sandbox.available,
    });
    // A process needs its filesystem now; a built-in container lays it out on first use.
    if (kind !== 'builtin-nginx' && kind !== 'builtin-idle') rootfs.ensure();

    // Off the main thread: a scale-up starts hundreds of containers a second, and the engine's
    // thread is what limits it. A pod directory just made holds no earlier attempts. A built-in
    // container's start-up lines are written by the worker with the open.
    let attempt = spec.attempt ?? 0;
    const firstLog = [paths.podDir, logName(spec.container, attempt)].join('/');
    const builtin = kind === 'builtin-nginx' || kind === 'builtin-idle';
    const startup = builtin ? stampLines(clock, 0n, resolved.startupLog) : undefined;
    const prepared = await prepareLogDir(
      [paths.podDir],
      firstLog,
      { prefix: `${spec.container}.`, legacy: paths.legacyLogDir },
      startup?.entries.length ? entriesText(startup.entries) : undefined,
    );
    let log: LogWriter;
    if ('fd' in prepared) {
      log = new LogWriter(firstLog, clock, limits, {
        fd: prepared.fd,
        size: prepared.bytes,
        lastNs: startup?.lastNs,
      });
    } else {
      const logs = await containerLogsAsync(paths.podDir, spec.container, paths.legacyLogDir);
      const attempts = [...logs.keys()];
      attempt = spec.attempt ?? (attempts.length ? attempts[attempts.length - 1]! + 1 : 0);
      // Like the kubelet, keep the logs of this instance and the one before it.
      for (const [a, path] of logs) if (a < attempt - 1 || a === attempt) removeLogFiles(path, limits.maxFiles);
      log = await LogWriter.open([paths.podDir, logName(spec.container, attempt)].join('/'), clock, limits);
      if (builtin) log.lines(resolved.startupLog);
    }
    const ctx: ContainerContext = {
      id: containerId(),
      podUid: spec.podUid,
      podName: spec.podName,
      name: spec.container,
      attempt,
      image: resolved,
      podIP: spec.podIP,
      layout: rootfs.layout,
      rootfs,
      env: containerEnv(resolved, spec, sandbox.available),
      workingDir,
      volumes,
      sandboxed: sandbox.available,
      userns: !!sandbox.userns,
      niceness: niceness ?? nicenessForRequest(spec.cpuRequest ?? 0),
      security: spec.security ?? {},
      log,
      clock,
    };
    let c: BaseContainer;
    try {
      const listen = { forceMap: opts.forceMapPorts };
      if (kind === 'builtin-nginx') {
        const declared = (spec.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort);
        c = await NginxContainer.start(ctx, [...new Set([...image.ports, ...declared])], listen);
      } else if (kind === 'builtin-idle') {
        c = await IdleContainer.start(ctx, listen, opts.checks ?? {});
      } else {
        c =
          spec.stdin || spec.tty
            ? InteractiveContainer.start(ctx, argv, paths.pidFile, {
                stdin: !!spec.stdin,
                stdinOnce: !!spec.stdinOnce,
                tty: !!spec.tty,
              })
            : ProcessContainer.start(ctx, argv, paths.pidFile);
      }
    } catch (err) {
      ctx.log.close();
      throw err;
    }
    containers.set(key(spec.podUid, spec.container), c);
    return c;
  }

  function logs(req: LogsRequest): AsyncIterableIterator<string> {
    const paths = containerPaths(opts.rootDir, req.podUid, req.container);
    const logFilesOf = containerLogs(paths.podDir, req.container, paths.legacyLogDir);
    const attempts = [...logFilesOf.keys()];
    const current = containers.get(key(req.podUid, req.container));
    const attempt = pickAttempt(attempts, current, req.instance ?? 'latest');
    const pod = req.podName ?? req.podUid;
    if (attempt === undefined) {
      throw new LogsNotFoundError(
        req.instance === 'previous' || req.instance === 'lastEnded'
          ? `previous terminated container "${req.container}" in pod "${pod}" not found`
          : `container "${req.container}" in pod "${pod}" is waiting to start: ContainerCreating`,
      );
    }
    const live = current && current.attempt === attempt && current.running ? current.ctx.log : undefined;
    return readLogs(logFiles(logFilesOf.get(attempt)!, limits.maxFiles), live, req, clock.now());
  }

  function exec(req: ExecRequest): ExecSession {
    const c = containers.get(key(req.podUid, req.container));
    if (!c?.running) throw new ExecError(`container not found ("${req.container}")`);
    const session = startExec(c.ctx, req);
    const release = c.whileRunning(() => session.kill());
    void session.exited.then(release);
    return session;
  }

  async function removePod(podUid: string): Promise<void> {
    const mine = [...containers.values()].filter((c) => c.podUid === podUid);
    await Promise.all(mine.map((c) => c.kill()));
    for (const c of mine) containers.delete(key(c.podUid, c.name));
    await rm(podDir(opts.rootDir, podUid), { recursive: true, force: true });
    await rm(podMemoryDir(podDir(opts.rootDir, podUid)), { recursive: true, force: true });
  }

  async function shutdown(graceMs = 0): Promise<void> {
    await Promise.all([...containers.values()].filter((c) => c.running).map((c) => c.stop(graceMs)));
  }

  async function reapOrphans(): Promise<number> {
    const ours = new Set([...containers.values()].filter((c) => c.running && c.pid).map((c) => c.pid));
    return reapOrphanProcesses(opts.rootDir, (pid) => ours.has(pid));
  }

  return {
    catalog,
    sandbox,
    pull: (node, image, policy) => puller.pull(node, image, policy),
    hasImage: (node, image) => puller.has(node, image),
    images: (node) => puller.images(node),
    start,
    kindOf: (spec) =>
      containerArgv(catalog.resolve(spec.image), { ...spec, podUid: '', podName: '', container: '', podIP: '' }).kind,
    get: (podUid, container) => containers.get(key(podUid, container)),
    logs,
    exec,
    removePod,
    shutdown,
    reapOrphans,
  };
}

function pickAttempt(attempts: number[], current: Container | undefined, instance: LogInstance): number | undefined {
  if (instance === 'latest') return attempts.at(-1);
  if (instance === 'previous') return attempts.at(-2);
  // The instance in the runtime's hands has ended: that one (a restart not yet in hand may have
  // opened the next, empty log). It runs (a restart won meanwhile): the newest before it.
  if (current && attempts.includes(current.attempt))
    return current.running ? attempts.filter((a) => a < current.attempt).at(-1) : current.attempt;
  return attempts.at(-1);
}
