import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MountFiles, VolumeMount } from '../runtime/index.ts';

/**
 * Where a container's termination message goes: made empty when the container first looks. It is
 * its own mount too (one object a running container keeps, not two).
 */
export class TerminationFile implements MountFiles, VolumeMount {
  private made = false;
  readonly readOnly = false;

  constructor(
    readonly path: string,
    readonly containerPath: string,
    /** Told once the file exists (the next instance removes it before it starts). */
    private readonly owner: { terminationFileMade(path: string): void },
  ) {}

  get hostPath(): string {
    return this.path;
  }

  get files(): MountFiles {
    return this;
  }

  prepare(): void {
    if (this.made) return;
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(this.path, '', { mode: 0o666 });
    this.owner.terminationFileMade(this.path);
    this.made = true;
  }
}
