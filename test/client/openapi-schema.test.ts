import { describe, expect, it } from 'vitest';
import { explainAt, typeName, type Schemas } from '../../source/client/openapi-schema.ts';

const schemas: Schemas = {
  'io.k8s.api.apps.v1.Deployment': {
    description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
    type: 'object',
    properties: {
      spec: {
        allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }],
        description: 'Specification of the desired behavior.',
      },
    },
    'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
  },
  'io.k8s.api.apps.v1.DeploymentSpec': {
    type: 'object',
    required: ['selector'],
    properties: {
      replicas: { type: 'integer', description: 'Number of desired pods.' },
      selector: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector' },
      strategy: {
        allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }],
        description: 'The deployment strategy.',
      },
      containers: { type: 'array', items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' } },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': {
    type: 'object',
    properties: {
      type: { type: 'string', description: 'Recreate or RollingUpdate.' },
      maxSurge: { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString' },
    },
  },
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector': {
    type: 'object',
    description: 'A label selector.',
    properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } } },
  },
  'io.k8s.api.core.v1.Container': { type: 'object', properties: { name: { type: 'string' } } },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
};
const root = schemas['io.k8s.api.apps.v1.Deployment'];

describe('explain from OpenAPI v3', () => {
  it('walks refs and allOf wrappers to a field, with kubectl explain type names', () => {
    const spec = explainAt(schemas, root, 'deployment', ['spec']);
    if (typeof spec === 'string') throw new Error(spec);
    expect(spec.type).toBe('DeploymentSpec');
    expect(spec.description).toBe('Specification of the desired behavior.');
    expect(spec.fields.map((f) => [f.name, f.type, f.required, f.nested])).toEqual([
      ['containers', '[]Container', false, true],
      ['labels', 'map[string]string', false, false],
      ['replicas', 'integer', false, false],
      ['selector', 'LabelSelector', true, true],
      ['strategy', 'DeploymentStrategy', false, true],
    ]);
    const strategy = explainAt(schemas, root, 'deployment', ['spec', 'strategy']);
    if (typeof strategy === 'string') throw new Error(strategy);
    expect(strategy.fields.map((f) => `${f.name} ${f.type}`)).toEqual(['maxSurge IntOrString', 'type string']);
    // Through a list to its elements.
    const c = explainAt(schemas, root, 'deployment', ['spec', 'containers', 'name']);
    expect(typeof c === 'string' ? c : c.type).toBe('string');
  });

  it('says which field does not exist', () => {
    expect(explainAt(schemas, root, 'deployment', ['spec', 'nope'])).toBe(
      'field "nope" does not exist in deployment.spec',
    );
    expect(typeName(schemas, undefined)).toBe('<unknown>');
  });
});
