import { existsSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import { Store } from '../state/store.ts';
import { activeFor, loadUserConfig, type ActiveConfig, type UserConfig } from './load.ts';

const DEBOUNCE_MS = 150;

/**
 * The user's configuration while the TUI runs: loaded at start, re-read when a file in the
 * directory changes (debounced, so an editor's write-rename-chmod is one reload), resolved for the
 * current kubeconfig context. Views read `store`.
 */
export class ConfigRuntime {
  readonly store: Store<ActiveConfig>;
  private cfg: UserConfig;
  private context: string | undefined;
  private watchers: FSWatcher[] = [];
  private timer?: NodeJS.Timeout;
  private closed = false;
  /** Called after every reload caused by a file change. */
  onReload?: (active: ActiveConfig) => void;

  constructor(
    readonly dir: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.cfg = loadUserConfig(dir);
    this.store = new Store(activeFor(this.cfg, undefined, env));
  }

  get active(): ActiveConfig {
    return this.store.get();
  }

  setContext(context: string | undefined): void {
    this.context = context;
    this.store.set(activeFor(this.cfg, context, this.env));
  }

  reload(): void {
    this.cfg = loadUserConfig(this.dir);
    this.store.set(activeFor(this.cfg, this.context, this.env));
    this.onReload?.(this.active);
  }

  /** Watches the directory (or, until it exists, its parent) and its skins/ and contexts/. */
  watch(): void {
    if (this.closed) return;
    this.unwatch();
    const contexts = join(this.dir, 'contexts');
    const dirs = existsSync(this.dir)
      ? [this.dir, join(this.dir, 'skins'), contexts, ...subdirs(contexts)]
      : [dirname(this.dir)];
    for (const d of dirs) {
      if (!existsSync(d)) continue;
      try {
        const w = watch(d, { persistent: false }, () => this.changed());
        w.on('error', () => {});
        this.watchers.push(w);
      } catch {
        // A directory we may not read is simply not watched.
      }
    }
  }

  private changed(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.closed) return;
      this.reload();
      // New subdirectories (skins/ created after start) get watched too.
      this.watch();
    }, DEBOUNCE_MS);
    this.timer.unref?.();
  }

  private unwatch(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.unwatch();
  }
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}
