/** One container's usage over the last window: a rate (CPU) and a level (memory). */
export interface ContainerUsage {
  name: string;
  /** CPU in nanocores: nanoseconds of CPU time per second over the window. */
  cpu: number;
  memory: number;
}

/** A pod's measured usage, as metrics-server would report it. */
export interface PodUsage {
  namespace: string;
  name: string;
  uid: string;
  node: string;
  labels: Record<string, string>;
  /** End of the window (ms since the epoch) and its length. */
  timestamp: number;
  windowMs: number;
  containers: ContainerUsage[];
}

export interface NodeUsage {
  name: string;
  labels: Record<string, string>;
  timestamp: number;
  windowMs: number;
  cpu: number;
  memory: number;
}

/** The latest complete window of measurements; empty until two samples were taken. */
export interface MetricsSource {
  pods(): PodUsage[];
  pod(namespace: string, name: string): PodUsage | undefined;
  nodes(): NodeUsage[];
}
