import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const DIR = '/usr/lib/google-cloud-sdk/bin';
const VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'];
// kubectl 1.27 and 1.28 validate `apply` against the protobuf OpenAPI v2 document, which the
// engine does not serve yet; they apply with --validate=false until it does.
const OLD_VALIDATION = new Set(['1.27', '1.28']);

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
});
afterAll(async () => t?.stop());

describe.each(VERSIONS)('kubectl %s', (v) => {
  const bin = join(DIR, `kubectl.${v}`);
  const ns = `v${v.replace('.', '-')}`;
  it.skipIf(!existsSync(bin))('gets, applies, creates and deletes', async () => {
    const k = (args: string[]) => t.kubectl(args[0] === 'apply' && OLD_VALIDATION.has(v) ? [...args, '--validate=false'] : args, { bin });
    expect((await k(['get', 'nodes'])).stdout).toMatch(/node1\s+Ready/);
    expect((await k(['create', 'namespace', ns])).stdout).toContain(`namespace/${ns} created`);
    expect((await k(['apply', '-n', ns, '-f', join(FIXTURES, 'deployment.yaml')])).stdout).toContain('deployment.apps/nginx-deployment created');
    expect((await k(['apply', '-n', ns, '-f', join(FIXTURES, 'deployment.yaml')])).stdout).toContain('unchanged');
    expect((await k(['create', 'deployment', 'web', '--image=nginx:1.25', '-n', ns])).stdout).toContain('deployment.apps/web created');
    expect((await k(['create', 'configmap', 'c', '--from-literal=a=b', '-n', ns])).stdout).toContain('configmap/c created');
    expect((await k(['get', 'deploy', '-n', ns])).stdout).toMatch(/nginx-deployment\s+0\/1/);
    expect((await k(['delete', '-n', ns, '-f', join(FIXTURES, 'deployment.yaml')])).stdout).toContain('deleted');
    expect((await k(['delete', 'configmap', 'c', '-n', ns])).stdout).toContain('configmap "c" deleted');
  });
});
