import { join } from 'node:path';
import { flat } from '../flat.ts';
import type { Component, EngineContext } from '../context.ts';
import { nodeState } from '../controllers/node-state.ts';
import { createRuntime, type Runtime, type RuntimeOptions } from '../runtime/index.ts';
import type { WatchHandle } from '../store/store.ts';
import { NodeKubelet } from './kubelet.ts';
import { createPodIO } from './streams/pod-io.ts';
import { Limiter } from './limiter.ts';
import { StatusWriter } from './status-writer.ts';
import { hostPathPolicy } from './volumes/host-path.ts';
import type { TokenProvider } from './volumes/payload.ts';
import { issuerTokens } from './volumes/sa-token.ts';
import { PodDnsFiles, type DnsSource } from './pod-dns.ts';

/**
 * Container starts in flight at once. Thousands at once only make each slower (the filesystem work
 * queues up); 64 held a 1,000-pod scale-up back behind two log-worker round trips each (median
 * 93 ms queued): 256 made it 10–20 % faster on this host's disk, 1,024 no faster.
 */
const START_CONCURRENCY = 256;
/** The kubelet's sync period, after which ConfigMap/Secret volume files follow their source. */
const SYNC_PERIOD_MS = 10_000;

export interface KubeletOptions {
  /** Runtime settings for tests (e.g. `sandbox: 'none'`). */
  runtime?: Partial<RuntimeOptions>;
  /** Projected serviceAccountToken files (the TokenRequest issuer plugs in here). */
  tokens?: TokenProvider;
  syncPeriodMs?: number;
  /** The cluster DNS: pods get its resolv.conf, and service names in /etc/hosts when it cannot serve. */
  dns?: DnsSource & { onServicesChanged(fn: () => void): WatchHandle | undefined };
}

/**
 * One kubelet per node of the topology, over one container runtime (`$SKIFF_HOME/pods`). Also
 * the engine's PodIO: the API server hands it pod logs, exec and port-forward.
 */
export function kubeletComponent(
  opts: KubeletOptions = {},
): Component & { kubelets: Map<string, NodeKubelet>; runtime(): Runtime | undefined } {
  const kubelets = new Map<string, NodeKubelet>();
  let rt: Runtime | undefined;
  let writer: StatusWriter | undefined;
  let watch: WatchHandle | undefined;
  let servicesWatch: WatchHandle | undefined;
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'kubelet',
    kubelets,
    runtime: () => rt,
    async start(ctx: EngineContext) {
      const { store, clock, config } = ctx;
      const rootDir = opts.runtime?.rootDir ?? join(config.home, 'pods');
      rt = await createRuntime({
        rootDir,
        skiffHome: config.home,
        clock,
        pullDelayMs: config.pullDelayMs,
        ...opts.runtime,
      });
      const reaped = await rt.reapOrphans();
      if (reaped) ctx.log(`kubelet: killed ${reaped} container process(es) a previous engine left running`);
      if (!rt.sandbox.available) ctx.log(`kubelet: containers run unsandboxed (${rt.sandbox.reason})`);
      writer = new StatusWriter(store, ctx.log);
      const starts = new Limiter(START_CONCURRENCY);
      const dnsFiles = new PodDnsFiles(rootDir, opts.dns);
      servicesWatch = opts.dns?.onServicesChanged(() => dnsFiles.refreshHosts());
      for (const node of config.nodes) {
        kubelets.set(
          node.name,
          new NodeKubelet(node, {
            rt,
            clock,
            store,
            recorder: ctx.recorder,
            writer,
            starts,
            log: ctx.log,
            volumesDir: (uid) => flat(join(rootDir, uid, '.volumes')),
            hostPaths: hostPathPolicy(config.home),
            tokens: opts.tokens ?? (ctx.auth ? issuerTokens(store, clock, ctx.auth.issuer) : undefined),
            syncPeriodMs: opts.syncPeriodMs ?? SYNC_PERIOD_MS,
            dnsFiles,
          }),
        );
      }
      const state = nodeState(store);
      for (const name of state.downNodes()) void kubelets.get(name)?.suspend();
      unsubscribe = state.subscribe((name, up) => {
        const k = kubelets.get(name);
        if (!k) return;
        if (up) k.resume();
        else void k.suspend();
      });
      watch = store.watch('pods', {}, (ev) => {
        const node = ev.object.spec?.nodeName;
        if (node) kubelets.get(node)?.podEvent(ev);
      });
      const runtime = rt;
      ctx.podIO = createPodIO(runtime, (pod, container) =>
        kubelets.get(pod.spec?.nodeName)?.worker(pod.metadata.uid!)?.slot(container)?.view(),
      );
    },
    async stop() {
      watch?.stop();
      servicesWatch?.stop();
      unsubscribe?.();
      writer?.stop();
      await Promise.all([...kubelets.values()].map((k) => k.stop()));
      await rt?.shutdown(0);
    },
  };
}
