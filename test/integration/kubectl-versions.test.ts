import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');
const DIR = '/usr/lib/google-cloud-sdk/bin';
const VERSIONS = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'];
const TYPO_FIELD = 'unknown field "spec.template.spec.containers[0].imagee"';
const typoManifest = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: c
        image: nginx
        imagee: ${image}
`;

let t: TestEngine;
let typo: string;
beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  typo = join(t.kubeHome, 'typo.yaml');
  writeFileSync(typo, typoManifest('typo', 'nginx'));
});
afterAll(async () => t?.stop());

describe.each(VERSIONS)('kubectl %s', (v) => {
  const bin = join(DIR, `kubectl.${v}`);
  const ns = `v${v.replace('.', '-')}`;
  const k = (args: string[], reject = true) => t.kubectl(args, { bin, reject });
  it.skipIf(!existsSync(bin))('gets, applies, creates and deletes', async () => {
    expect((await k(['get', 'nodes'])).stdout).toMatch(/node1\s+Ready/);
    expect((await k(['create', 'namespace', ns])).stdout).toContain(`namespace/${ns} created`);
    expect((await k(['apply', '-n', ns, '-f', join(FIXTURES, 'deployment.yaml')])).stdout).toContain(
      'deployment.apps/nginx-deployment created',
    );
    expect((await k(['apply', '-n', ns, '-f', join(FIXTURES, 'deployment.yaml')])).stdout).toContain('unchanged');
    expect((await k(['create', 'deployment', 'web', '--image=nginx:1.25', '-n', ns])).stdout).toContain(
      'deployment.apps/web created',
    );
    expect((await k(['create', 'configmap', 'c', '--from-literal=a=b', '-n', ns])).stdout).toContain(
      'configmap/c created',
    );
    expect((await k(['get', 'deploy', '-n', ns])).stdout).toMatch(/nginx-deployment\s+0\/1/);
    expect((await k(['delete', '-n', ns, '-f', join(FIXTURES, 'deployment.yaml')])).stdout).toContain('deleted');
    expect((await k(['delete', 'configmap', 'c', '-n', ns])).stdout).toContain('configmap "c" deleted');
  });

  it.skipIf(!existsSync(bin))(
    'apply leaves validation to the server: a typo fails, --validate=warn warns',
    async () => {
      const strict = await k(['apply', '-n', ns, '-f', typo], false);
      expect(strict.exitCode).toBe(1);
      expect(strict.stderr).toContain(
        `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ${TYPO_FIELD}`,
      );
      const warned = await k(['apply', '-n', ns, '-f', typo, '--validate=warn']);
      expect(warned.stdout).toContain('deployment.apps/typo created');
      expect(warned.stderr).toContain(`Warning: ${TYPO_FIELD}`);
    },
  );
});

describe('fieldValidation end to end (kubectl 1.32)', () => {
  const bin = join(DIR, 'kubectl.1.32');
  const k = (args: string[], reject = true) => t.kubectl(['-n', 'default', ...args], { bin, reject });

  it.skipIf(!existsSync(bin))('--validate=false creates silently and the unknown field is dropped', async () => {
    const file = join(t.kubeHome, 'quiet.yaml');
    writeFileSync(file, typoManifest('quiet', 'nginx'));
    const quiet = await k(['apply', '-f', file, '--validate=false']);
    expect(quiet.stdout).toContain('deployment.apps/quiet created');
    expect(quiet.stderr).toBe('');
    const stored = JSON.parse((await k(['get', 'deploy', 'quiet', '-o', 'json'])).stdout);
    expect(stored.spec.template.spec.containers[0]).not.toHaveProperty('imagee');
  });

  it.skipIf(!existsSync(bin))(
    'an update with a typo is refused (strategic merge patch) unless asked to warn',
    async () => {
      const file = join(t.kubeHome, 'upd.yaml');
      writeFileSync(file, typoManifest('upd', 'nginx'));
      await k(['apply', '-f', file, '--validate=false']);
      writeFileSync(file, typoManifest('upd', 'nginx:2'));
      const refused = await k(['apply', '-f', file], false);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(`strict decoding error: ${TYPO_FIELD}`);
      const warned = await k(['apply', '-f', file, '--validate=warn']);
      expect(warned.stdout).toContain('deployment.apps/upd configured');
      expect(warned.stderr).toContain(`Warning: ${TYPO_FIELD}`);
    },
  );
});
