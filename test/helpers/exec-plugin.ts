import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { TestEngine } from './engine.ts';

const SCRIPT = join(import.meta.dirname, 'exec-plugin.mjs');

export interface PluginLogin {
  dir: string;
  kubeconfig: string;
  /** How many times the plugin ran. */
  runs(): number;
  /** The Secrets the issued tokens are bound to, oldest first. */
  issued(): string[];
  /** Revoke the newest token on the server (delete its Secret): its next use answers 401. */
  revokeLatest(): Promise<void>;
  /** The prompting plugin: let it finish, as if the user logged in in the browser. */
  approve(): void;
}

/**
 * A kubeconfig whose user authenticates through test/helpers/exec-plugin.mjs as the
 * ServiceAccount default/plugin-user (cluster-admin), with credentials claimed to last `ttlSeconds`.
 */
export async function pluginLogin(
  t: TestEngine,
  opts: {
    ttlSeconds?: number;
    prompt?: boolean;
    readStdin?: boolean;
    certDir?: string;
    interactiveMode?: string;
    extraCluster?: Record<string, unknown>;
  } = {},
): Promise<PluginLogin> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-plugin-'));
  if (!t.engine.ctx.store.get('serviceaccounts', 'default', 'plugin-user')) {
    await t.kubectl(['create', 'serviceaccount', 'plugin-user']);
    await t.kubectl([
      'create',
      'clusterrolebinding',
      'plugin-user',
      '--clusterrole=cluster-admin',
      '--serviceaccount=default:plugin-user',
    ]);
  }
  const ca = join(dir, 'ca.crt');
  writeFileSync(ca, t.engine.caCert);
  const env: Record<string, string> = {
    PLUGIN_SERVER: t.engine.url,
    PLUGIN_CA_FILE: ca,
    PLUGIN_ADMIN_TOKEN: t.engine.token,
    PLUGIN_SA: 'default/plugin-user',
    PLUGIN_DIR: dir,
    PLUGIN_TTL_SECONDS: String(opts.ttlSeconds ?? 3600),
  };
  if (opts.prompt) env.PLUGIN_PROMPT = '1';
  if (opts.readStdin) env.PLUGIN_READ_STDIN = '1';
  if (opts.certDir) env.PLUGIN_CERT_DIR = opts.certDir;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'plugin', cluster: { server: t.engine.url, 'certificate-authority': ca, ...opts.extraCluster } },
      ],
      users: [
        {
          name: 'plugin-user',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1',
              command: process.execPath,
              args: [SCRIPT],
              env: Object.entries(env).map(([name, value]) => ({ name, value })),
              interactiveMode: opts.interactiveMode ?? 'IfAvailable',
              provideClusterInfo: true,
            },
          },
        },
      ],
      contexts: [{ name: 'plugin', context: { cluster: 'plugin', user: 'plugin-user', namespace: 'default' } }],
      'current-context': 'plugin',
    }),
    { mode: 0o600 },
  );
  const issued = () =>
    existsSync(join(dir, 'issued'))
      ? readFileSync(join(dir, 'issued'), 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split(' ')[1]!)
      : [];
  return {
    dir,
    kubeconfig,
    runs: () => (existsSync(join(dir, 'runs')) ? Number(readFileSync(join(dir, 'runs'), 'utf8')) : 0),
    issued,
    async revokeLatest() {
      const name = issued().at(-1);
      if (!name) throw new Error('no token issued yet');
      await t.kubectl(['delete', 'secret', name, '--wait=false']);
    },
    approve: () => writeFileSync(join(dir, 'approved'), ''),
  };
}
