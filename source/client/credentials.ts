import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { ExecCredentialPlugin, type ClusterInfo, type ExecConfig, type LendTerminal } from './exec-credential.ts';
import { loadProxyAgent, proxyAgent, proxyFor } from './proxy.ts';

/** The TLS identity a connection is made with; an agent's pooled sockets are only valid for one. */
type TlsOptions = Pick<
  https.AgentOptions,
  'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'servername' | 'rejectUnauthorized'
>;

/**
 * Credentials, TLS options and the connection agent for one kubeconfig context. Static auth
 * (tokens, certificate files, auth providers) is computed by @kubernetes/client-node; an exec
 * plugin is run by ExecCredentialPlugin (timeout, stderr, expiry, refresh on 401). One keep-alive
 * agent — through the proxy when there is one — is shared by REST, watches and WebSockets, and
 * replaced only when the client certificate changes.
 */
export class Credentials {
  readonly server: URL;
  readonly proxy?: URL;
  readonly plugin?: ExecCredentialPlugin;
  private readonly statics: KubeConfig;
  private agent?: { key: string; agent: http.Agent };
  private readonly retired: http.Agent[] = [];

  constructor(kc: KubeConfig, opts: { pluginTimeoutMs?: number; lendTerminal?: LendTerminal } = {}) {
    const cluster = kc.getCurrentCluster()!;
    const user = kc.getCurrentUser();
    const context = kc.getContextObject(kc.getCurrentContext())!;
    this.server = new URL(cluster.server);
    this.proxy = proxyFor(this.server, cluster.proxyUrl);
    const exec = (user?.exec ?? undefined) as ExecConfig | undefined;
    if (exec?.command) {
      const info: ClusterInfo = {
        server: cluster.server,
        'certificate-authority-data': cluster.caData,
        'insecure-skip-tls-verify': cluster.skipTLSVerify || undefined,
        'tls-server-name': cluster.tlsServerName,
        'proxy-url': cluster.proxyUrl,
      };
      this.plugin = new ExecCredentialPlugin(exec, info, {
        timeoutMs: opts.pluginTimeoutMs,
        lendTerminal: opts.lendTerminal,
      });
    }
    // client-node would run the exec plugin itself (no timeout, stderr hidden) and build a new
    // proxy agent per call: it gets the context without both.
    this.statics = new KubeConfig();
    this.statics.loadFromOptions({
      clusters: [{ ...cluster, proxyUrl: undefined }],
      users: user ? [{ ...user, exec: undefined }] : [],
      contexts: [context],
      currentContext: context.name,
    });
  }

  /** Headers, TLS options and the shared agent for a request (or a WebSocket) to the server. */
  async requestOptions(): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = { headers: {} };
    try {
      await this.statics.applyToHTTPSOptions(opts);
    } catch (err) {
      // client-node refuses plain http unless skipTLSVerify; kubectl allows it (the local
      // engine serves http on loopback). Headers are already applied when it throws.
      if (this.server.protocol !== 'http:') throw err;
    }
    if (this.plugin) {
      const cred = await this.plugin.credential();
      if (cred.token) (opts.headers as http.OutgoingHttpHeaders)['authorization'] = `Bearer ${cred.token}`;
      if (cred.clientCertificateData && cred.clientKeyData) {
        opts.cert = cred.clientCertificateData;
        opts.key = cred.clientKeyData;
      }
    }
    await loadProxyAgent(this.proxy);
    opts.agent = this.agentFor(opts);
    return opts;
  }

  /**
   * The server refused the credentials (401). With an exec plugin, drop its cached answer and
   * return true: the request is worth one retry with a fresh credential, as kubectl does.
   */
  rejected(): boolean {
    if (!this.plugin) return false;
    this.plugin.invalidate();
    return true;
  }

  private agentFor(tls: TlsOptions): http.Agent {
    const key = identityKey(tls);
    if (this.agent?.key === key) return this.agent.agent;
    if (this.agent) this.retire(this.agent.agent);
    const options: https.AgentOptions = {
      keepAlive: true,
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      pfx: tls.pfx,
      passphrase: tls.passphrase,
      servername: tls.servername,
      rejectUnauthorized: tls.rejectUnauthorized,
    };
    const agent = this.proxy
      ? proxyAgent(this.server, this.proxy, options)
      : this.server.protocol === 'https:'
        ? new https.Agent(options)
        : new http.Agent({ keepAlive: true });
    this.agent = { key, agent };
    return agent;
  }

  /** An agent for an old certificate: open streams finish on it, its idle sockets close now. */
  private retire(agent: http.Agent): void {
    for (const list of Object.values(agent.freeSockets)) for (const s of list ?? []) s.destroy();
    this.retired.push(agent);
  }

  close(): void {
    this.agent?.agent.destroy();
    this.agent = undefined;
    for (const a of this.retired.splice(0)) a.destroy();
  }
}

function identityKey(tls: TlsOptions): string {
  const h = createHash('sha256');
  for (const v of [tls.ca, tls.cert, tls.key, tls.pfx, tls.passphrase, tls.servername, tls.rejectUnauthorized]) {
    h.update(v === undefined ? '\0u' : Buffer.isBuffer(v) ? v : JSON.stringify(v));
    h.update('\0');
  }
  return h.digest('hex');
}
