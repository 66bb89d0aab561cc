import type { Server } from 'node:net';

/**
 * The HTTP servers of in-engine containers (built-in nginx, pause), by the pod UID they serve
 * and the container port. The service proxy hands an accepted connection straight to the one
 * an endpoint names (its targetRef.uid) instead of dialling the pod IP: no second socket, no
 * copy. Keyed by UID, never by address: a pod IP is recycled when a pod is deleted, its UID is not.
 */
interface Entry {
  podUid: string;
  server: Server;
}

const servers = new Map<string, Map<number, Entry>>();
const watchers = new Set<(podUid: string) => void>();

/** Hear of each server registered or forgotten (the service proxy decides where it accepts by them). */
export function onInProcessChange(fn: (podUid: string) => void): () => void {
  watchers.add(fn);
  return () => watchers.delete(fn);
}

export function registerInProcess(podUid: string, containerPort: number, server: Server): void {
  let ports = servers.get(podUid);
  if (!ports) servers.set(podUid, (ports = new Map()));
  ports.set(containerPort, { podUid, server });
  for (const w of watchers) w(podUid);
}

/** Forget a server (the container stopped); only the one registered, not a newer one on the same key. */
export function unregisterInProcess(podUid: string, containerPort: number, server: Server): void {
  const ports = servers.get(podUid);
  if (ports?.get(containerPort)?.server !== server) return;
  ports.delete(containerPort);
  if (ports.size === 0) servers.delete(podUid);
  for (const w of watchers) w(podUid);
}

/** The listening in-engine server of pod `podUid` on `containerPort`, if there is one. */
export function inProcessServer(podUid: string | undefined, containerPort: number): Server | undefined {
  if (!podUid) return undefined;
  const e = servers.get(podUid)?.get(containerPort);
  return e && e.podUid === podUid && e.server.listening ? e.server : undefined;
}
