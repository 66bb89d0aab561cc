import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KObject } from '../api-types/index.ts';
import type { AuthContext } from './auth/index.ts';
import type { Clock } from './clock.ts';
import type { ClusterDnsOptions } from './dns/cluster-dns.ts';
import type { EventRecorder } from './events.ts';
import type { MetricsSource } from './metrics/types.ts';
import type { Store } from './store/store.ts';

export interface NodeConfig {
  name: string;
  role: 'control-plane' | 'worker';
  ip: string; // InternalIP, 127.0.1.x
  podCIDR: string; // a slice of 127.244.0.0/14
  cpu: string;
  memory: string;
  pods: string;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  labels?: Record<string, string>;
}

export interface EngineConfig {
  home: string;
  host: string; // always loopback
  port: number;
  token: string;
  /** Multiplies every delay the engine waits for (tests use e.g. 0.05). */
  timeScale: number;
  serviceCIDR: string;
  /** Addresses of the ingress controller (.1) and of LoadBalancer services (the rest). */
  loadBalancerCIDR?: string;
  nodePortRange: [number, number];
  nodes: NodeConfig[];
  /** First pull of an image on a node takes this long (before time scaling). */
  pullDelayMs: number;
  /** Pods on a NotReady node are evicted after this many seconds (before time scaling). */
  podEvictionSeconds: number;
  /** Node lease duration: a node whose lease is older is marked NotReady. */
  nodeLeaseSeconds: number;
  /** Cluster DNS settings (forwarding opt-in; simulating no privilege in tests). */
  dns?: ClusterDnsOptions;
}

/**
 * Streams on pod subresources (log, exec, attach, portforward) are served by the kubelet side;
 * the API server authenticates and routes to it.
 */
export interface PodIO {
  /** GET .../pods/NAME/log */
  log(pod: KObject, query: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** WebSocket upgrade on .../exec, .../attach or .../portforward. */
  upgrade(
    kind: 'exec' | 'attach' | 'portforward',
    pod: KObject,
    query: URLSearchParams,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ): void;
}

export interface EngineContext {
  store: Store;
  clock: Clock;
  config: EngineConfig;
  recorder: EventRecorder;
  podIO?: PodIO;
  /** Measured container and node usage (metrics.k8s.io), set by the metrics component. */
  metrics?: MetricsSource;
  /** Tokens, authentication and authorization (set before the API listens). */
  auth?: AuthContext;
  log(msg: string): void;
}

/** A part of the engine with a lifecycle: controllers, scheduler, kubelets, proxy. */
export interface Component {
  readonly name: string;
  start(ctx: EngineContext): void | Promise<void>;
  stop(): void | Promise<void>;
}
