import type { ServerResponse } from 'node:http';
import type { KObject } from '../../../api-types/index.ts';
import { LogsNotFoundError, type LogReadOptions, type Runtime } from '../../runtime/index.ts';
import { queryBool, queryInt } from '../../api/query-params.ts';
import { errors } from '../../store/errors.ts';
import type { ContainerStatus } from '../pod-status.ts';
import { logInstance, pickContainer, storedStatus } from './select-container.ts';

/**
 * GET …/pods/NAME/log: the container's log as text/plain; with `follow` the response stays open
 * until the container ends or the client goes away.
 */
export async function serveLog(
  rt: Runtime,
  pod: KObject,
  query: URLSearchParams,
  res: ServerResponse,
  live: (container: string) => ContainerStatus | undefined,
): Promise<void> {
  const container = pickContainer(pod, query.get('container'));
  if (!pod.spec?.nodeName) {
    // Not on a node yet: the apiserver answers with an empty log.
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end();
    return;
  }
  const status = live(container) ?? storedStatus(pod, container);
  const which = logInstance(pod, container, status, queryBool(query, 'previous'));
  const ac = new AbortController();
  const opts: LogReadOptions = {
    follow: queryBool(query, 'follow'),
    timestamps: queryBool(query, 'timestamps'),
    tailLines: int(query, 'tailLines'),
    sinceSeconds: int(query, 'sinceSeconds'),
    sinceTime: query.get('sinceTime') ?? undefined,
    limitBytes: int(query, 'limitBytes'),
    signal: ac.signal,
  };
  let lines: AsyncIterableIterator<string>;
  try {
    lines = rt.logs({
      podUid: pod.metadata.uid!,
      podName: pod.metadata.name,
      container,
      instance: which.instance,
      ...opts,
    });
  } catch (e) {
    if (e instanceof LogsNotFoundError) throw errors.badRequest(e.message);
    throw e;
  }
  res.on('close', () => ac.abort());
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  try {
    for await (const chunk of lines) {
      if (res.destroyed) break;
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
    }
  } finally {
    ac.abort();
    res.end();
  }
}

function int(q: URLSearchParams, name: string): number | undefined {
  const n = queryInt(q, name);
  if (n === undefined) return undefined;
  if (n < 0 || (n === 0 && name !== 'tailLines'))
    throw errors.badRequest(`${name}: Invalid value: ${n}: must be greater than 0`);
  return n;
}
