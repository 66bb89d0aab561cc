import { spawn } from 'node:child_process';
import { KubeError } from './errors.ts';

/** A kubeconfig user's `exec` section (client.authentication.k8s.io). */
export interface ExecConfig {
  apiVersion?: string;
  command: string;
  args?: string[];
  env?: Array<{ name: string; value: string }> | null;
  installHint?: string;
  interactiveMode?: 'Never' | 'IfAvailable' | 'Always';
  provideClusterInfo?: boolean;
}

export interface ExecCredentialStatus {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  expirationTimestamp?: string;
}

export interface ClusterInfo {
  server: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
}

/** Runs `fn` while the user's terminal is free for a child process (the TUI steps aside). */
export type LendTerminal = <T>(fn: () => Promise<T>) => Promise<T | undefined>;

export interface ExecPluginOptions {
  /** How long the plugin may take (a device-code login needs the user): default 2 minutes. */
  timeoutMs?: number;
  /**
   * How to give a plugin with `interactiveMode: Always` the terminal (stdin and stderr), as
   * kubectl does; without it such a plugin is refused with a message.
   */
  lendTerminal?: LendTerminal;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const STDERR_KEEP = 4000;

/**
 * Runs a credential plugin as kubectl does (KUBERNETES_EXEC_INFO in, ExecCredential out) and
 * caches its answer until `expirationTimestamp`. The plugin's stderr — prompts, device-code
 * URLs — is passed on line by line, since the user may have to act on it; a plugin that does
 * not answer in time is killed and reported with what it printed.
 */
export class ExecCredentialPlugin {
  private cached?: { status: ExecCredentialStatus; expires: number };
  private running?: Promise<ExecCredentialStatus>;
  private readonly listeners = new Set<(line: string) => void>();
  /** How many times the plugin ran (for the status line and for tests). */
  runs = 0;

  constructor(
    readonly config: ExecConfig,
    private readonly cluster: ClusterInfo,
    private readonly opts: ExecPluginOptions = {},
  ) {}

  /** Subscribe to the plugin's stderr lines; returns the unsubscribe function. */
  onStderr(fn: (line: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async credential(): Promise<ExecCredentialStatus> {
    if (this.cached && Date.now() < this.cached.expires) return this.cached.status;
    this.cached = undefined;
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Forget the cached credential (the server answered 401): the next request runs the plugin again. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async run(): Promise<ExecCredentialStatus> {
    const { config } = this;
    const apiVersion = config.apiVersion ?? 'client.authentication.k8s.io/v1';
    const interactive = config.interactiveMode === 'Always' && !!this.opts.lendTerminal;
    if (config.interactiveMode === 'Always' && !interactive) {
      throw new KubeError(
        `the credential plugin "${config.command}" needs a terminal (interactiveMode: Always), and skiff has none to lend it; ` +
          'log in once in a shell (for example `kubectl get namespaces`) so the plugin caches a credential, then press r',
        0,
        'ExecPluginInteractive',
      );
    }
    const info = {
      apiVersion,
      kind: 'ExecCredential',
      spec: { interactive, ...(config.provideClusterInfo ? { cluster: this.cluster } : {}) },
    };
    const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
    for (const e of config.env ?? []) env[e.name] = e.value;
    this.runs++;
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const exec = () =>
      new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
        // An interactive plugin talks to the user on the terminal directly (stdin and stderr).
        const child = spawn(config.command, config.args ?? [], {
          env,
          stdio: [interactive ? 'inherit' : 'ignore', 'pipe', interactive ? 'inherit' : 'pipe'],
        });
        let out = '';
        let err = '';
        let partial = '';
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(this.failure(`did not answer within ${Math.round(timeoutMs / 1000)}s`, err));
        }, timeoutMs);
        child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
        child.stderr?.on('data', (c: Buffer) => {
          const text = c.toString('utf8');
          err = (err + text).slice(-STDERR_KEEP);
          const lines = (partial + text).split('\n');
          partial = lines.pop() ?? '';
          for (const l of lines) this.emit(l);
        });
        child.on('error', (e: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          const hint = config.installHint ? `\n${config.installHint.trim()}` : '';
          reject(this.failure(e.code === 'ENOENT' ? `was not found (${e.message})${hint}` : e.message, err));
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (partial) this.emit(partial);
          if (code === 0) resolve({ stdout: out, stderr: err });
          else reject(this.failure(signal ? `was killed (${signal})` : `exited with code ${code}`, err));
        });
      });
    const result = interactive ? await this.opts.lendTerminal!(exec) : await exec();
    if (!result) throw this.failure('needs a terminal, and none is available', '');
    const { stdout, stderr } = result;
    const status = this.parse(stdout, apiVersion, stderr);
    const expires = status.expirationTimestamp ? Date.parse(status.expirationTimestamp) : Infinity;
    this.cached = { status, expires: Number.isNaN(expires) ? Infinity : expires };
    return status;
  }

  private emit(line: string): void {
    const clean = line.replace(/\r$/, '');
    if (!clean.trim()) return;
    for (const fn of this.listeners) fn(clean);
  }

  private parse(stdout: string, apiVersion: string, stderr: string): ExecCredentialStatus {
    let doc: { apiVersion?: string; kind?: string; status?: ExecCredentialStatus };
    try {
      doc = JSON.parse(stdout);
    } catch {
      throw this.failure('printed something that is not an ExecCredential', stderr);
    }
    if (doc.kind !== 'ExecCredential') throw this.failure(`returned kind "${doc.kind}", not ExecCredential`, stderr);
    if (doc.apiVersion !== apiVersion) {
      throw this.failure(`returned apiVersion "${doc.apiVersion}", the kubeconfig asks for "${apiVersion}"`, stderr);
    }
    const s = doc.status;
    if (!s || (!s.token && !(s.clientCertificateData && s.clientKeyData))) {
      throw this.failure('returned neither a token nor a client certificate and key', stderr);
    }
    return s;
  }

  private failure(what: string, stderr: string): KubeError {
    const tail = stderr.trim().split('\n').slice(-5).join('\n');
    return new KubeError(
      `credential plugin "${this.config.command}" ${what}${tail ? `:\n${tail}` : ''}`,
      0,
      'ExecPluginFailed',
    );
  }
}
