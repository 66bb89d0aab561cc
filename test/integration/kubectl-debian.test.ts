import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';

// Debian's own kubectl (package kubernetes-client, 1.20) is five years older than the API the
// engine serves. .ci/run unpacks it beside the system's (installing it would replace
// /usr/bin/kubectl); the everyday commands must work, and what it cannot do must fail clearly.
const BIN = process.env.SKIFF_KUBECTL_120 ?? '/opt/kubectl-1.20/usr/bin/kubectl';
const present = existsSync(BIN);
if (!present) console.warn(`kubectl 1.20 not found at ${BIN}: .ci/run unpacks Debian's kubernetes-client there`);

let t: TestEngine;
beforeAll(async () => {
  if (present) t = await startTestEngine();
});
afterAll(async () => t?.stop());

const k = (args: string[], input?: string) => t.kubectl(args, { bin: BIN, input, reject: false, timeout: 150_000 });

describe.skipIf(!present)('kubectl 1.20 (Debian)', () => {
  it('gets, creates, rolls out, scales, execs with stdin and reads logs', async () => {
    expect((await k(['version'])).stdout).toMatch(/Client Version: .*GitVersion:"v1\.20\.[\s\S]*Server Version:/);
    expect((await k(['get', 'nodes'])).stdout).toMatch(/node1\s+Ready/);
    expect((await k(['create', 'deployment', 'web', '--image=nginx'])).stdout).toContain('deployment.apps/web created');
    expect((await k(['rollout', 'status', 'deploy/web', '--timeout=120s'])).exitCode).toBe(0);
    expect(
      (await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "1"}\n')).stdout,
    ).toContain('configmap/c created');
    expect(
      (await k(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "2"}\n')).stdout,
    ).toContain('configmap/c configured');
    await k(['run', 'bb', '--image=busybox', '--', 'sleep', '3600']);
    expect((await k(['wait', '--for=condition=Ready', 'pod/bb', '--timeout=120s'])).exitCode).toBe(0);
    // SPDY exec, with stdin.
    expect((await k(['exec', '-i', 'bb', '--', 'sh'], 'echo "from stdin $((6*7))"\n')).stdout).toBe('from stdin 42');
    expect((await k(['logs', 'deploy/web'])).stdout).toContain('docker-entrypoint');
    expect((await k(['scale', 'deploy/web', '--replicas=2'])).stdout).toContain('deployment.apps/web scaled');
    await k(['set', 'image', 'deploy/web', 'nginx=nginx:1.25']);
    expect((await k(['rollout', 'history', 'deploy/web'])).stdout).toMatch(
      /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/,
    );
    expect((await k(['describe', 'deploy', 'web'])).stdout).toMatch(/Replicas:\s+2 desired/);
    expect((await k(['delete', 'deploy', 'web'])).stdout).toContain('deployment.apps "web" deleted');
  }, 400_000);

  it('a resource it does not know fails at once with its own error, not a hang', async () => {
    const r = await k(['get', 'nosuchkind']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(`the server doesn't have a resource type "nosuchkind"`);
  });
});
