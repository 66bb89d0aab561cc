import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostPathPolicy } from '../../../source/engine/kubelet/volumes/host-path.ts';
import type { EventObject } from '../../../source/api-types/event.ts';
import type { KObject } from '../../../source/api-types/index.ts';
import { FakeClock } from '../../../source/engine/clock.ts';
import type { NodeConfig } from '../../../source/engine/context.ts';
import { EventRecorder } from '../../../source/engine/events.ts';
import { NodeKubelet } from '../../../source/engine/kubelet/kubelet.ts';
import { Limiter } from '../../../source/engine/kubelet/limiter.ts';
import { StatusWriter } from '../../../source/engine/kubelet/status-writer.ts';
import { createRegistry } from '../../../source/engine/resources/index.ts';
import { Store, type WatchHandle } from '../../../source/engine/store/store.ts';
import { FakeRuntime } from './fake-runtime.ts';

export const NODE: NodeConfig = {
  name: 'node1',
  role: 'worker',
  ip: '127.0.1.2',
  podCIDR: '127.244.1.0/24',
  cpu: '4',
  memory: '8Gi',
  pods: '110',
};

/** A store, a fake clock, a fake runtime and one node's kubelet fed by a pod watch. */
export interface Harness {
  store: Store;
  clock: FakeClock;
  rt: FakeRuntime;
  kubelet: NodeKubelet;
  /** Let promises, immediates and status writes run. */
  settle(): Promise<void>;
  /** Move the clock in steps, settling after each. */
  advance(ms: number, step?: number): Promise<void>;
  pod(name: string): KObject | undefined;
  events(name: string): EventObject[];
  /** Restart the kubelet over the same store (engine restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function podSpec(name: string, spec: any = {}): KObject {
  return {
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node1', containers: [{ name: 'c', image: 'busybox:1.36' }], ...spec },
  };
}

export async function startHarness(): Promise<Harness> {
  const clock = new FakeClock();
  const store = new Store(createRegistry(), clock);
  store.create('namespaces', { metadata: { name: 'default' } });
  const rt = new FakeRuntime(clock);
  const volumeRoot = mkdtempSync(join(tmpdir(), 'skiff-kubelet-vol-'));
  let kubelet!: NodeKubelet;
  let writer!: StatusWriter;
  let watch!: WatchHandle;
  const boot = () => {
    writer = new StatusWriter(store, () => {});
    kubelet = new NodeKubelet(NODE, {
      rt,
      clock,
      store,
      recorder: new EventRecorder(store, clock),
      writer,
      starts: new Limiter(8),
      log: () => {},
      volumesDir: (uid) => join(volumeRoot, uid),
      hostPaths: hostPathPolicy(volumeRoot),
      syncPeriodMs: 10_000,
    });
    watch = store.watch('pods', {}, (ev) => ev.object.spec?.nodeName === NODE.name && kubelet.podEvent(ev));
  };
  boot();
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  const h: Harness = {
    store,
    clock,
    rt,
    get kubelet() {
      return kubelet;
    },
    settle,
    async advance(ms, step = 500) {
      for (let done = 0; done < ms; done += step) {
        clock.advance(Math.min(step, ms - done));
        await settle();
      }
    },
    pod: (name) => store.get('pods', 'default', name),
    events: (name) => store.list('events').items.filter((e: EventObject) => e.involvedObject?.name === name),
    async restart() {
      watch.stop();
      writer.stop();
      await kubelet.stop();
      boot();
      await settle();
    },
    async stop() {
      watch.stop();
      writer.stop();
      await kubelet.stop();
    },
  };
  return h;
}

export function reasons(h: Harness, name: string): string[] {
  return h.events(name).map((e) => e.reason ?? '');
}
