/**
 * The environment of the engine daemon `cluster up` spawns: the caller's, less what only costs it.
 *
 * `NODE_EXTRA_CA_CERTS` makes Node read and parse that bundle while it starts, before any code
 * runs: with Debian's ca-certificates.crt that is ~40 ms of a ~250 ms cold start on our machines.
 * The engine verifies nothing against those authorities — it serves with its own CA, its probes
 * skip verification as the kubelet's do, and it connects to loopback only — so its process goes
 * without them. (The TUI and kubectl keep them: a real cluster's API may need them.)
 */
export function daemonEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: _unused, ...rest } = env;
  return rest;
}
