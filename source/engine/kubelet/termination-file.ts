import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MountFiles } from '../runtime/index.ts';

/** Where a container's termination message goes: made empty when the container first looks. */
export class TerminationFile implements MountFiles {
  private made = false;

  constructor(
    readonly path: string,
    /** Told once the file exists (the next instance removes it before it starts). */
    private readonly owner: { terminationFileMade(path: string): void },
  ) {}

  prepare(): void {
    if (this.made) return;
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(this.path, '', { mode: 0o666 });
    this.owner.terminationFileMade(this.path);
    this.made = true;
  }
}
