import { cp, mkdir, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { KObject } from '../../../api-types/index.ts';
import type { Clock } from '../../clock.ts';
import type { MountFiles, VolumeMount } from '../../runtime/index.ts';
import type { Store } from '../../store/store.ts';
import { expand } from '../container-env.ts';
import { payloadDigest, writeAtomically } from './atomic-writer.ts';
import { refuseHostPath, type HostPathPolicy } from './host-path.ts';
import { MountError, volumePayload, type TokenProvider } from './payload.ts';
import { claimVolumePath } from './claim.ts';
import { checkName, podMemoryDir, SHM } from '../../runtime/paths.ts';
import { flat } from '../../flat.ts';

export interface PodVolumesDeps {
  store: Store;
  clock: Clock;
  /** `<pod dir>/.volumes`: removed with the pod, like /var/lib/kubelet/pods/<uid>/volumes. */
  dir: string;
  hostPaths: HostPathPolicy;
  tokens?: TokenProvider;
  /** A warning event about the pod (a volume set up differently than asked). */
  warn?: (reason: string, message: string) => void;
  /** The host's tmpfs for `medium: Memory` (tests point it elsewhere). */
  shm?: string;
}

type Volume = Record<string, unknown> & { name: string };

/** A volume of written files (ConfigMap, Secret, downward API, projected): its mounts write them on first use. */
class WrittenVolume implements MountFiles {
  /** Of the files on disk; undefined while they wait for a first look. */
  digest?: string;

  constructor(
    private readonly owner: PodVolumes,
    readonly name: string,
    readonly volume: Volume,
  ) {}

  prepare(): void {
    if (this.digest === undefined) this.owner.write(this);
  }

  /** `<pod dir>/.volumes/files/<name>`, made when asked for rather than kept by every pod. */
  get dir(): string {
    return join(this.owner.dir, 'files', this.name);
  }
}

/** A container's mount of a whole volume of written files: its host path is the volume's, made when asked for. */
class WrittenVolumeMount implements VolumeMount {
  constructor(
    readonly files: WrittenVolume,
    readonly containerPath: string,
    readonly readOnly: boolean,
  ) {}

  get hostPath(): string {
    return this.files.dir;
  }
}

/** Kinds whose files the kubelet writes, and which it mounts read-only. */
const PROJECTED = ['configMap', 'secret', 'downwardAPI', 'projected'];

/**
 * The kubelet's volume manager for one pod: sets each volume up on the host (written files,
 * an emptyDir, a checked hostPath, a bound claim's directory), keeps the written ones current,
 * and turns a container's volumeMounts into the runtime's `VolumeMount` list.
 */
export class PodVolumes {
  /** Each volume set up: its host path, or for one of written files (whose path is derived), the volume. */
  private setUpVolumes = new Map<string, string | WrittenVolume>();
  /** The latest version of the pod (for the files written at a first look). */
  private pod: KObject | undefined;
  /** Made with the first read-only claim (one set a pod adds up over thousands of pods). */
  private readOnlyClaims?: Set<string>;

  constructor(private deps: PodVolumesDeps) {}

  /** Set up every volume not set up yet; throws MountError naming the first that cannot be. */
  async setUp(pod: KObject): Promise<void> {
    for (const v of volumesOf(pod)) {
      if (this.setUpVolumes.has(v.name)) continue;
      try {
        const done = await this.setUpOne(pod, v);
        this.setUpVolumes.set(v.name, typeof done === 'string' ? flat(done) : done);
      } catch (err) {
        if (err instanceof MountError)
          throw new MountError(`MountVolume.SetUp failed for volume "${v.name}" : ${err.message}`);
        throw new MountError(`MountVolume.SetUp failed for volume "${v.name}" : ${(err as Error).message}`);
      }
    }
  }

  /** Rewrite the files of ConfigMap/Secret/downward API volumes whose source changed (files not made yet wait). */
  async refresh(pod: KObject): Promise<void> {
    this.pod = pod;
    for (const f of this.setUpVolumes.values()) {
      if (typeof f === 'string' || f.digest === undefined) continue;
      try {
        this.write(f);
      } catch {
        // A source deleted or broken after the start: the files stay as they were (as upstream).
      }
    }
  }

  /** The runtime's mounts for a container; every volume it names must be set up. */
  async mounts(
    pod: KObject,
    container: { name?: string; volumeMounts?: unknown[] },
    env: Record<string, string>,
  ): Promise<VolumeMount[]> {
    const out: VolumeMount[] = [];
    let index = 0;
    const byName = new Map(volumesOf(pod).map((v) => [v.name, v]));
    for (const raw of container.volumeMounts ?? []) {
      const m = raw as {
        name?: string;
        mountPath?: string;
        subPath?: string;
        subPathExpr?: string;
        readOnly?: boolean;
      };
      const v = byName.get(String(m.name));
      const done = this.setUpVolumes.get(String(m.name));
      const written = typeof done === 'string' ? undefined : done;
      const base = typeof done === 'string' ? done : done?.dir;
      if (!v || !base || !m.mountPath) throw new MountError(`volume "${m.name}" is not set up`);
      const sub = m.subPath || (m.subPathExpr ? expand(m.subPathExpr, env) : '');
      if (sub && (sub.startsWith('/') || sub.split('/').includes('..')))
        throw new MountError(`subPath "${sub}" must be a relative path inside the volume`);
      const projected = PROJECTED.some((k) => v[k]);
      const readOnly = m.readOnly === true || projected || this.readOnlyClaims?.has(v.name) === true;
      let hostPath = sub ? flat(join(base, ...sub.split('/'))) : base;
      // A subPath of written files is pinned at start, as upstream's bind of the resolved path:
      // later ..data swaps do not reach it.
      if (sub && projected) {
        written?.prepare(); // written now if they waited for a first look
        hostPath = await this.pin(hostPath, v.name, String(container.name ?? ''), index);
      }
      index++;
      const containerPath = flat(posix.normalize(m.mountPath));
      if (written && !sub) out.push(new WrittenVolumeMount(written, containerPath, readOnly));
      else out.push({ hostPath, containerPath, readOnly });
    }
    return out;
  }

  /** A private copy of a subPath target (`.volumes/subpaths/<volume>/<container>/<n>`). */
  private async pin(path: string, volume: string, container: string, index: number): Promise<string> {
    const target = join(this.deps.dir, 'subpaths', volume, container || '_', String(index));
    await rm(target, { recursive: true, force: true });
    await mkdir(dirname(target), { recursive: true });
    const real = await realpath(path).catch(() => undefined);
    if (!real) throw new MountError(`subPath "${path}" does not exist in volume "${volume}"`);
    await cp(real, target, { recursive: true, dereference: true });
    return target;
  }

  private async setUpOne(pod: KObject, v: Volume): Promise<string | WrittenVolume> {
    if (PROJECTED.some((k) => v[k])) return this.writeFiles(pod, v);
    if (v.emptyDir !== undefined) return this.emptyDir(v);
    if (v.hostPath) {
      const hp = v.hostPath as { path?: string; type?: string };
      return this.hostPath(String(hp.path ?? ''), hp.type ?? '');
    }
    if (v.persistentVolumeClaim) {
      const ref = v.persistentVolumeClaim as { claimName?: string; readOnly?: boolean };
      const path = claimVolumePath(this.deps.store, pod.metadata.namespace ?? 'default', String(ref.claimName ?? ''));
      if (ref.readOnly) (this.readOnlyClaims ??= new Set()).add(v.name);
      return this.hostPath(path, 'DirectoryOrCreate');
    }
    throw new MountError(
      `volume type not supported by skiff: ${
        Object.keys(v)
          .filter((k) => k !== 'name')
          .join(', ') || 'none'
      }`,
    );
  }

  /**
   * An emptyDir: a directory of the pod, shared by its containers and kept across their
   * restarts. `medium: Memory` puts it on the host's tmpfs (/dev/shm) instead of the disk.
   */
  private async emptyDir(v: Volume): Promise<string> {
    const spec = (v.emptyDir ?? {}) as { medium?: string; sizeLimit?: string };
    if (spec.medium === 'Memory') {
      const shm = this.deps.shm ?? SHM;
      const dir = join(podMemoryDir(dirname(this.deps.dir), shm), checkName('volume name', v.name));
      try {
        if (!(await stat(shm)).isDirectory()) throw new Error(`${shm} is not a directory`);
        await mkdir(dir, { recursive: true, mode: 0o777 });
        if (spec.sizeLimit)
          this.deps.warn?.(
            'SizeLimitNotEnforced',
            `emptyDir "${v.name}" is in memory (${shm}, shared with the host): its sizeLimit ${spec.sizeLimit} is not enforced`,
          );
        return dir;
      } catch (err) {
        this.deps.warn?.(
          'MemoryMediumOnDisk',
          `emptyDir "${v.name}" asks for medium Memory, but ${shm} is not usable here (${(err as Error).message}): it is kept on disk`,
        );
      }
    }
    const dir = join(this.deps.dir, 'empty-dir', v.name);
    await mkdir(dir, { recursive: true, mode: 0o777 });
    return dir;
  }

  /**
   * A ConfigMap/Secret/downward API/projected volume. Its sources are checked now (a missing one
   * fails the mount); its files (and a service-account token) are made when a container first
   * looks (see VolumeMount.prepare): most built-in containers never do. Once on disk, they are
   * rewritten when their content changes.
   */
  private writeFiles(pod: KObject, v: Volume): WrittenVolume {
    this.pod = pod;
    // The sources' checks, without the token or a digest.
    volumePayload({ store: this.deps.store, pod }, v);
    return new WrittenVolume(this, v.name, v);
  }

  /** `<pod dir>/.volumes`. */
  get dir(): string {
    return this.deps.dir;
  }

  /** (Re)write a volume's files when their content changed; WrittenVolume.prepare calls it too. */
  write(f: WrittenVolume): void {
    const name = f.name;
    const pod = this.pod!;
    const payload = volumePayload({ store: this.deps.store, pod, tokens: this.deps.tokens }, f.volume) ?? [];
    const digest = payloadDigest(payload);
    if (digest === f.digest) return;
    writeAtomically(f.dir, payload, new Date(this.deps.clock.now()));
    f.digest = digest;
  }

  private async hostPath(path: string, type: string): Promise<string> {
    const why = refuseHostPath(this.deps.hostPaths, path);
    if (why) throw new MountError(why);
    const st = await stat(path).catch(() => undefined);
    switch (type) {
      case '':
      case 'DirectoryOrCreate':
        if (!st) await mkdir(path, { recursive: true, mode: 0o755 });
        else if (type && !st.isDirectory())
          throw new MountError(`hostPath type check failed: ${path} is not a directory`);
        break;
      case 'FileOrCreate':
        if (!st) await writeFile(path, '', { mode: 0o644 });
        else if (!st.isFile()) throw new MountError(`hostPath type check failed: ${path} is not a file`);
        break;
      case 'Directory':
        if (!st?.isDirectory()) throw new MountError(`hostPath type check failed: ${path} is not a directory`);
        break;
      case 'File':
        if (!st?.isFile()) throw new MountError(`hostPath type check failed: ${path} is not a file`);
        break;
      case 'Socket':
        if (!st?.isSocket()) throw new MountError(`hostPath type check failed: ${path} is not a socket file`);
        break;
      default:
        if (!st) throw new MountError(`hostPath type check failed: ${path} does not exist`);
    }
    return path;
  }
}

export function volumesOf(pod: KObject): Volume[] {
  const list = pod.spec?.volumes;
  return Array.isArray(list) ? (list.filter((v) => v && typeof v.name === 'string') as Volume[]) : [];
}
