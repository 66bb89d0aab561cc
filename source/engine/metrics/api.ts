import type { KObject } from '../../api-types/index.ts';
import { rfc3339 } from '../clock.ts';
import { sendJson } from '../api/respond.ts';
import { sendTable } from '../api/table-json.ts';
import { includeObjectOf, toTable, wantsTable } from '../api/table.ts';
import type { RestRequest } from '../api/types.ts';
import { queryBool } from '../api/query-params.ts';
import { errors } from '../store/errors.ts';
import { parseFieldSelector, parseLabelSelector } from '../store/selectors.ts';
import type { NodeUsage, PodUsage } from './types.ts';

const API_VERSION = 'metrics.k8s.io/v1beta1';

/** A CPU rate in nanocores and bytes, as metrics-server writes them (`12345n`, `2048Ki`). */
export function cpuQuantity(nanocores: number): string {
  return `${Math.round(nanocores)}n`;
}

export function memoryQuantity(bytes: number): string {
  return `${Math.round(bytes / 1024)}Ki`;
}

/** A Go duration string for a window below a minute (`10.012s`). */
function window(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

export function podMetricsObject(p: PodUsage): KObject {
  return {
    kind: 'PodMetrics',
    apiVersion: API_VERSION,
    metadata: { name: p.name, namespace: p.namespace, creationTimestamp: rfc3339(p.timestamp), labels: p.labels },
    timestamp: rfc3339(p.timestamp),
    window: window(p.windowMs),
    containers: p.containers.map((c) => ({
      name: c.name,
      usage: { cpu: cpuQuantity(c.cpu), memory: memoryQuantity(c.memory) },
    })),
  };
}

export function nodeMetricsObject(n: NodeUsage): KObject {
  return {
    kind: 'NodeMetrics',
    apiVersion: API_VERSION,
    metadata: { name: n.name, creationTimestamp: rfc3339(n.timestamp), labels: n.labels },
    timestamp: rfc3339(n.timestamp),
    window: window(n.windowMs),
    usage: { cpu: cpuQuantity(n.cpu), memory: memoryQuantity(n.memory) },
  };
}

/** GET on metrics.k8s.io/v1beta1 nodes and pods: a list (selectors, namespace) or one object. */
export function handleMetrics(r: RestRequest): void {
  const { ctx, req, res, def, path, query } = r;
  if (req.method !== 'GET') throw errors.methodNotAllowed();
  if (queryBool(query, 'watch')) throw errors.methodNotAllowed();
  const source = ctx.metrics;
  if (!source) throw errors.serviceUnavailable('the metrics pipeline is not running');
  const nodes = def.plural === 'nodes';
  if (nodes && path.namespace) throw errors.notFound(def.group, def.plural, '');
  let objs: KObject[];
  if (path.name) {
    if (nodes) {
      const n = source.nodes().find((x) => x.name === path.name);
      if (!n) throw errors.notFound(def.group, def.plural, path.name);
      return sendJson(res, 200, nodeMetricsObject(n));
    }
    const p = path.namespace ? source.pod(path.namespace, path.name) : undefined;
    if (!p) throw errors.notFound(def.group, def.plural, `${path.namespace ?? ''}/${path.name}`);
    return sendJson(res, 200, podMetricsObject(p));
  }
  const labels = parseLabelSelector(query.get('labelSelector') ?? undefined);
  const fields = parseFieldSelector(
    query.get('fieldSelector') ?? undefined,
    new Set(nodes ? ['metadata.name'] : ['metadata.name', 'metadata.namespace']),
  );
  if (nodes) {
    objs = source.nodes().map(nodeMetricsObject);
  } else {
    objs = source
      .pods()
      .filter((p) => !path.namespace || p.namespace === path.namespace)
      .map(podMetricsObject);
  }
  objs = objs.filter(
    (o) =>
      (!labels || labels(o.metadata.labels)) &&
      (!fields || fields({ 'metadata.name': o.metadata.name!, 'metadata.namespace': o.metadata.namespace ?? '' })),
  );
  objs.sort((a, b) =>
    `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
      `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
    ),
  );
  const meta = {};
  if (wantsTable(req.headers.accept))
    return sendTable(res, toTable(def, objs, { now: ctx.clock.now(), include: includeObjectOf(query), meta }));
  return sendJson(res, 200, { kind: `${def.kind}List`, apiVersion: API_VERSION, metadata: meta, items: objs });
}
