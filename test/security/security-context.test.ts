import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectSandbox } from '../../source/engine/runtime/sandbox.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

const sandbox = await detectSandbox('auto');

function pod(name: string, container: Record<string, unknown>, podSecurity?: Record<string, unknown>): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 0,
      ...(podSecurity ? { securityContext: podSecurity } : {}),
      containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], ...container }],
    },
  });
}

describe.skipIf(!sandbox.available)('securityContext, applied by the kubelet and the sandbox (kubectl)', () => {
  let t: TestEngine;
  beforeAll(async () => {
    t = await startTestEngine();
    const pods = [
      pod('plain', {}),
      pod('as-user', { securityContext: { runAsUser: 1000, runAsGroup: 2000 } }),
      pod('pod-user', {}, { runAsUser: 1001, runAsNonRoot: true }),
      pod('read-only', { securityContext: { readOnlyRootFilesystem: true } }),
      pod('caps', { securityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }),
      pod('no-raw', {
        securityContext: { capabilities: { drop: ['NET_RAW', 'CAP_MKNOD'] }, allowPrivilegeEscalation: false },
      }),
      pod('non-root', { securityContext: { runAsNonRoot: true } }),
      pod('privileged', { securityContext: { privileged: true } }),
    ];
    await t.kubectl(['apply', '-f', '-'], { input: `{"apiVersion":"v1","kind":"List","items":[${pods.join(',')}]}` });
    await t.kubectl([
      'wait',
      '--for=condition=Ready',
      'pod/plain',
      'pod/as-user',
      'pod/pod-user',
      'pod/read-only',
      'pod/caps',
      'pod/no-raw',
      'pod/privileged',
      '--timeout=150s',
    ]);
  }, 180_000);
  afterAll(() => t?.stop());

  const status = async (name: string, script: string) =>
    (await t.kubectl(['exec', name, '--', 'sh', '-c', script])).stdout.trim();
  const caps = (name: string) => status(name, 'sed -n "s/^CapEff:\\t//p" /proc/self/status');

  it("a plain container has Docker's default capabilities, no_new_privs, root only inside its user namespace", async () => {
    expect(await caps('plain')).toBe('00000000a80425fb');
    expect(await status('plain', 'sed -n "s/^NoNewPrivs:\\t//p" /proc/self/status')).toBe('1');
    expect(await status('plain', 'id -u; wc -l < /proc/self/uid_map')).toBe('0\n1');
  });

  it('runAsUser/runAsGroup (container or pod level) set the ids and leave no capabilities', async () => {
    expect(await status('as-user', 'id -u; id -g')).toBe('1000\n2000');
    expect(await caps('as-user')).toBe('0000000000000000');
    expect(await status('pod-user', 'id -u')).toBe('1001');
  });

  it('readOnlyRootFilesystem makes the container filesystem read-only', async () => {
    const r = await t.kubectl(['exec', 'read-only', '--', 'sh', '-c', 'touch /tmp/x'], { reject: false });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/Read-only file system/);
    expect(await status('plain', 'touch /tmp/x && echo ok')).toBe('ok');
  });

  it('capabilities.add/drop change the set', async () => {
    expect(await caps('caps')).toBe('0000000000000400');
    const noRaw = BigInt(`0x${await caps('no-raw')}`);
    expect(noRaw & (1n << 13n)).toBe(0n); // NET_RAW
    expect(noRaw & (1n << 27n)).toBe(0n); // MKNOD
    expect(noRaw & 1n).toBe(1n); // CHOWN kept
  });

  it('runAsNonRoot with an image that runs as root is a CreateContainerConfigError', async () => {
    const reason = await waitFor(async () => {
      const out = (
        await t.kubectl([
          'get',
          'pod',
          'non-root',
          '-o',
          'jsonpath={.status.containerStatuses[0].state.waiting.reason}',
        ])
      ).stdout;
      return out === 'CreateContainerConfigError' ? out : undefined;
    });
    expect(reason).toBe('CreateContainerConfigError');
    const events = (
      await t.kubectl([
        'get',
        'events',
        '--field-selector',
        'involvedObject.name=non-root',
        '-o',
        'jsonpath={.items[*].message}',
      ])
    ).stdout;
    expect(events).toMatch(
      /Error: container has runAsNonRoot and image will run as root \(pod: "non-root_default\([0-9a-f-]+\)", container: c\)/,
    );
  });

  it('a privileged container gets every capability and a Warning event', async () => {
    expect(await caps('privileged')).toMatch(/^000001ff[ef]fffffff$/);
    const events = (
      await t.kubectl([
        'get',
        'events',
        '--field-selector',
        'involvedObject.name=privileged,type=Warning',
        '-o',
        'jsonpath={.items[*].reason}',
      ])
    ).stdout;
    expect(events).toContain('Privileged');
  });
});
