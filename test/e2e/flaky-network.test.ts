import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

// The TUI against what production apiservers and networks do, through a fault-injecting proxy
// in front of a real engine: what the user sees, and that the view recovers by itself.
let t: TestEngine;
let proxy: FaultProxy | undefined;
let tui: Tui | undefined;

beforeAll(async () => {
  t = await startTestEngine({ apiOnly: true });
  await t.kubectl(['run', 'web', '--image=nginx']);
}, 60_000);
afterAll(async () => t?.stop());
afterEach(async () => {
  tui?.kill();
  tui = undefined;
  await proxy?.close();
  proxy = undefined;
});

function open(p: FaultProxy, env: Record<string, string> = {}, args: string[] = []): Tui {
  return spawnTui(['--kubeconfig', p.kubeconfigPath, ...args], { env: { HOME: t.kubeHome, ...env } });
}

const podWatches = (p: FaultProxy) => p.requests.filter((r) => r.watch && r.resource === 'pods');

describe('a watch that goes silent (sleep, VPN switch)', () => {
  it('is restarted after the silence threshold, the title says so, and missed pods appear', async () => {
    proxy = await startFaultProxy(t, { stallWatch: { resource: 'pods', times: 1 } });
    tui = open(proxy, { SKIFF_WATCH_SILENCE_MS: '4000' });
    await tui.waitFor('web', 60_000);
    await t.kubectl(['run', 'while-silent', '--image=nginx']);
    await tui.waitFor('watch restarted: no data for 4s', 30_000);
    await tui.waitFor('while-silent', 30_000);
    expect(podWatches(proxy).length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('a connection cut mid-stream is re-opened and nothing is lost', async () => {
    proxy = await startFaultProxy(t, { dropStreamsAfterMs: 1500 });
    tui = open(proxy);
    await tui.waitFor('web', 60_000);
    await waitFor(() => podWatches(proxy!).length >= 3, 30_000, 'the watch to be cut and re-opened twice');
    await t.kubectl(['run', 'after-cut', '--image=nginx']);
    await tui.waitFor('after-cut', 30_000);
    await t.kubectl(['delete', 'pod', 'after-cut', '--wait=false']);
  }, 120_000);
});

describe('list allowed, watch refused', () => {
  it.each([
    ['forbidWatch', 'no watch (Forbidden)'],
    ['rejectWatch', 'no watch (MethodNotAllowed)'],
  ] as const)(
    '%s: timed re-lists with the reason in the title, the watch comes back when allowed',
    async (fault, title) => {
      proxy = await startFaultProxy(t, { [fault]: ['pods'] });
      tui = open(proxy, { SKIFF_RELIST_MS: '2000' });
      await tui.waitFor('web', 60_000);
      await tui.waitFor(`${title} · re-listing every 2s`, 30_000);
      const name = `polled-${fault.toLowerCase()}`;
      await t.kubectl(['run', name, '--image=nginx']);
      await tui.waitFor(name, 30_000);
      expect(tui.screen()).not.toContain('reconnecting');

      proxy.set({});
      await tui.waitFor((s) => s.includes(name) && !s.includes('no watch'), 30_000);
      expect(podWatches(proxy).some((r) => r.status === 200)).toBe(true);
      await t.kubectl(['delete', 'pod', name, '--wait=false']);
      await tui.waitFor((s) => !s.includes(name), 30_000);
    },
    120_000,
  );
});

describe('rate limits', () => {
  it('429 with Retry-After: the wait is honoured, the message is shown, the view recovers', async () => {
    proxy = await startFaultProxy(t, { throttle: { resource: 'pods', retryAfterSeconds: 1, times: 5 } });
    tui = open(proxy);
    // Five 429s outlast the transport's three retries: the view says why it is empty ...
    await tui.waitFor('Too many requests', 60_000);
    // ... and lists again after the server's wait, without a key press.
    await tui.waitFor('web', 60_000);
    const lists = proxy.requests.filter(
      (r) => r.resource === 'pods' && !r.watch && r.method === 'GET' && !r.path.endsWith('/web'),
    );
    const throttled = lists.filter((r) => r.status === 429);
    expect(throttled.length).toBe(5);
    // Two readers may list pods together (the table, and full objects for the usage columns):
    // requests within 50 ms are one round; after a 429 the next round waits for Retry-After.
    const upTo = lists.indexOf(throttled[4]!) + 1;
    const rounds: number[] = [];
    for (const r of lists.slice(0, upTo + 1))
      if (!rounds.length || r.at - rounds[rounds.length - 1]! > 50) rounds.push(r.at);
    for (let i = 1; i < rounds.length; i++)
      expect(rounds[i]! - rounds[i - 1]!, `round ${i} came before Retry-After`).toBeGreaterThanOrEqual(990);
  }, 120_000);

  it('a stale aggregated group answers 503: the view shows it, and recovers when the group is back', async () => {
    await t.kubectl(['create', 'deployment', 'api', '--image=nginx']);
    proxy = await startFaultProxy(t, { staleGroups: ['apps'] });
    tui = open(proxy);
    await tui.waitFor('web', 60_000);
    await tui.press(':');
    await tui.type('deploy');
    await tui.press(KEY.enter);
    // Aggregated discovery kept the group (Stale), so `:deploy` is known; its lists fail.
    await tui.waitFor('unable to handle the request', 60_000);
    proxy.set({});
    await tui.waitFor((s) => /Deployments\(default\)\[1\]/.test(s) && s.includes('api'), 60_000);
  }, 120_000);
});

describe('clock skew', () => {
  it('a client 90 s behind the server shows real ages, not <invalid>', async () => {
    proxy = await startFaultProxy(t, { syntheticPods: 20, dateSkewMs: 90_000 });
    tui = open(proxy);
    await tui.waitFor('synthetic-00000', 60_000);
    const age = /synthetic-00000 .*\s(\d+)s\s/;
    const screen = await tui.waitFor(age, 30_000);
    expect(screen).not.toContain('<invalid>');
    // Made on the server's clock just before the list: not 90 s off either way.
    expect(Number(screen.match(age)![1])).toBeLessThan(60);
    expect(screen).not.toContain('reconnecting');
  }, 120_000);
});

describe('discovery', () => {
  it('a CRD installed after connect is found by name without reconnecting', async () => {
    proxy = await startFaultProxy(t, { discoveryDelayMs: 300 });
    tui = open(proxy);
    await tui.waitFor('web', 60_000);
    await t.kubectl(['apply', '-f', '-'], { input: CRD });
    await t.kubectl(['wait', '--for=condition=established', 'crd/gadgets.example.com', '--timeout=30s']);
    await t.kubectl(['apply', '-f', '-'], {
      input: 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: sprocket\n  namespace: default\n',
    });
    await tui.press(':');
    await tui.type('gadgets');
    await tui.press(KEY.enter);
    await tui.waitFor((s) => s.includes('Gadgets(default)') && s.includes('sprocket'), 30_000);
    expect(tui.screen()).not.toContain('Unknown command');
  }, 120_000);
});

describe('compression', () => {
  it('reads ask for gzip (a proxy that requires it serves the TUI)', async () => {
    proxy = await startFaultProxy(t, { requireGzip: true });
    tui = open(proxy);
    await tui.waitFor('web', 60_000);
    const reads = proxy.requests.filter((r) => r.method === 'GET' && !r.watch);
    expect(reads.length).toBeGreaterThan(2);
    expect(reads.filter((r) => !r.gzip).map((r) => r.path)).toEqual([]);
    expect(proxy.requests.some((r) => r.status === 406)).toBe(false);
  }, 120_000);
});

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: { plural: gadgets, singular: gadget, kind: Gadget }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true }
`;
