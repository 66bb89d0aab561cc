import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// kubectl debug: ephemeral containers added through pods/NAME/ephemeralcontainers, started by
// the kubelet in the pod (same address, same volumes), attached to with -i, never restarted.
let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.kubectl(['run', 'app', '--image=nginx']);
  await t.kubectl(['wait', '--for=condition=Ready', 'pod/app', '--timeout=60s']);
});
afterAll(async () => t?.stop());

const k = async (...args: string[]) => (await t.kubectl(args)).stdout;
const ephemeralState = async (name: string) =>
  JSON.parse(
    (await k('get', 'pod', 'app', '-o', `jsonpath={.status.ephemeralContainerStatuses[?(@.name=="${name}")].state}`)) ||
      '{}',
  );

describe('kubectl debug', () => {
  it('adds a container that runs its command in the pod and keeps its logs; the app container is untouched', async () => {
    // Pods here share the host's loopback, each on its own address: the app is at the pod IP.
    const ip = await k('get', 'pod', 'app', '-o', 'jsonpath={.status.podIP}');
    const out = await t.kubectl([
      'debug',
      'app',
      '--image=busybox',
      '-c',
      'probe',
      '--',
      'sh',
      '-c',
      `wget -qO- http://${ip}:80/ | head -c 60; echo; echo DEBUG-DONE`,
    ]);
    expect(out.stderr).not.toMatch(/error/i);
    await waitFor(async () => (await ephemeralState('probe')).terminated, 60_000, 'probe finished');
    expect((await ephemeralState('probe')).terminated.exitCode).toBe(0);
    const logs = await k('logs', 'app', '-c', 'probe');
    expect(logs).toContain('DEBUG-DONE');
    expect(logs.toLowerCase()).toContain('<!doctype html>');
    expect(
      await k(
        'get',
        'pod',
        'app',
        '-o',
        'jsonpath={.status.containerStatuses[0].restartCount} {.status.conditions[?(@.type=="Ready")].status}',
      ),
    ).toBe('0 True');
    // Not restarted, whatever the pod's restartPolicy.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await ephemeralState('probe')).terminated).toBeTruthy();
  }, 180_000);

  it('-i attaches stdin to the debug container', async () => {
    const r = await t.kubectl(['debug', 'app', '-i', '--image=busybox', '-c', 'shell', '--', 'sh'], {
      input: 'echo "from the debugger $((6*7))"\nexit 0\n',
      reject: false,
      timeout: 90_000,
    });
    expect(r.stdout).toContain('from the debugger 42');
    expect(r.exitCode).toBe(0);
  }, 120_000);

  it('kubectl describe lists the ephemeral containers', async () => {
    const d = await k('describe', 'pod', 'app');
    expect(d).toMatch(/Ephemeral Containers:\n\s+probe:/);
  });

  it('rejects what an ephemeral container may not have, and changes to existing ones', async () => {
    const patch = (body: unknown) =>
      t.kubectl(
        ['patch', 'pod', 'app', '--subresource=ephemeralcontainers', '--type=strategic', '-p', JSON.stringify(body)],
        { reject: false },
      );
    const ports = await patch({
      spec: { ephemeralContainers: [{ name: 'bad', image: 'busybox', ports: [{ containerPort: 80 }] }] },
    });
    expect(ports.stderr).toContain(
      'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
    );
    const changed = await t.kubectl(
      [
        'patch',
        'pod',
        'app',
        '--subresource=ephemeralcontainers',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/spec/ephemeralContainers/0/image","value":"nginx"}]',
      ],
      { reject: false },
    );
    expect(changed.stderr).toContain('existing ephemeral containers "probe" may not be changed');
    const direct = await t.kubectl(
      ['patch', 'pod', 'app', '--type=json', '-p', '[{"op":"remove","path":"/spec/ephemeralContainers"}]'],
      { reject: false },
    );
    expect(direct.exitCode).toBe(0);
    expect(await k('get', 'pod', 'app', '-o', 'jsonpath={.spec.ephemeralContainers[*].name}')).toBe('probe shell');
  });
});
