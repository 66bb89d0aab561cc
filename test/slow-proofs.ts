/**
 * The slowest end-to-end proofs: they run in `npm run test:stress`, not in `npm test`, so the main
 * suite stays within its 15-minute budget on two cores. Each feature they prove keeps faster
 * coverage in the main suite (unit, integration or ink-testing-library tests); these drive the
 * whole TUI in a terminal, or run long scenarios, on top of that.
 */
export const SLOW_PROOFS = [
  'test/e2e/flaky-network.test.ts',
  'test/e2e/perf.test.ts',
  'test/e2e/log-perf.test.ts',
  'test/e2e/metrics.test.ts',
  'test/e2e/namespace-scope.test.ts',
  'test/e2e/logs-structured.test.ts',
  'test/e2e/storage.test.ts',
  'test/e2e/workloads.test.ts',
  'test/e2e/port-forward.test.ts',
  'test/e2e/xray-kinds.test.ts',
  'test/e2e/user-config.test.ts',
  'test/e2e/control-room.test.ts',
  'test/e2e/actions.test.ts',
  'test/e2e/job-backoff.test.ts',
  'test/e2e/kubeconfigs.test.ts',
  'test/e2e/auth-plugin.test.ts',
  'test/e2e/sustained-load.test.ts',
  'test/e2e/drain.test.ts',
  'test/integration/statefulset-claims.test.ts',
  'test/integration/cluster-daemon.test.ts',
  'test/integration/disruption-budgets.test.ts',
];
