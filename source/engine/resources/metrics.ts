import type { KObject } from '../../api-types/index.ts';
import type { ResourceDef } from './types.ts';

/** metrics.k8s.io: read-only, computed on request from the metrics pipeline, never stored. */
export const METRICS_GROUP = 'metrics.k8s.io';

const META = { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' };
const usage = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description: 'The memory and CPU usage (Quantities).',
};
const common = {
  apiVersion: {
    type: 'string',
    description: 'APIVersion defines the versioned schema of this representation of an object.',
  },
  kind: {
    type: 'string',
    description: 'Kind is a string value representing the REST resource this object represents.',
  },
  metadata: META,
  timestamp: {
    type: 'string',
    format: 'date-time',
    description: 'The following fields define time interval from which metrics were collected.',
  },
  window: { type: 'string', description: 'The length of the measurement window.' },
};

/** The schemas metrics-server publishes, in OpenAPI v2 form. */
function nodeMetricsSchema(): Record<string, unknown> {
  return {
    type: 'object',
    description: 'NodeMetrics sets resource usage metrics of a node.',
    required: ['timestamp', 'window', 'usage'],
    properties: { ...common, usage },
  };
}

function podMetricsSchema(): Record<string, unknown> {
  const container = {
    type: 'object',
    required: ['name', 'usage'],
    properties: {
      name: { type: 'string', description: 'Container name corresponding to the one from pod.spec.containers.' },
      usage,
    },
  };
  return {
    type: 'object',
    description: 'PodMetrics sets resource usage metrics of a pod.',
    required: ['timestamp', 'window', 'containers'],
    properties: {
      ...common,
      containers: {
        type: 'array',
        items: container,
        description: 'Metrics for all containers are collected within the same time window.',
      },
    },
  };
}

const cpuCell = (o: KObject) => String((o as { usage?: { cpu?: string } }).usage?.cpu ?? '');
const memoryCell = (o: KObject) => String((o as { usage?: { memory?: string } }).usage?.memory ?? '');

export const nodemetrics: ResourceDef = {
  group: METRICS_GROUP,
  version: 'v1beta1',
  kind: 'NodeMetrics',
  plural: 'nodes',
  singular: '',
  namespaced: false,
  verbs: ['get', 'list'],
  openapi: nodeMetricsSchema,
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the node', priority: 0 },
      { name: 'CPU', type: 'string', format: '', description: 'CPU usage', priority: 0 },
      { name: 'Memory', type: 'string', format: '', description: 'Memory usage', priority: 0 },
      { name: 'Window', type: 'string', format: '', description: 'Measurement window', priority: 0 },
    ],
    row: (o) => [o.metadata.name, cpuCell(o), memoryCell(o), String((o as { window?: string }).window ?? '')],
  },
};

export const podmetrics: ResourceDef = {
  group: METRICS_GROUP,
  version: 'v1beta1',
  kind: 'PodMetrics',
  plural: 'pods',
  singular: '',
  namespaced: true,
  verbs: ['get', 'list'],
  openapi: podMetricsSchema,
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the pod', priority: 0 },
      { name: 'Containers', type: 'integer', format: '', description: 'Containers measured', priority: 0 },
      { name: 'Window', type: 'string', format: '', description: 'Measurement window', priority: 0 },
    ],
    row: (o) => [
      o.metadata.name,
      ((o as { containers?: unknown[] }).containers ?? []).length,
      String((o as { window?: string }).window ?? ''),
    ],
  },
};

export const METRICS_DEFS = [nodemetrics, podmetrics];
