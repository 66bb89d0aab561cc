// Not a benchmark of its own: the service proxy as a process of its own (a store, the
// EndpointSlice controller and the ServiceProxy, as in the engine), so that its CPU time can be
// read from /proc/PID/stat alone. `SKIFF_PROXY_TREE` names the checkout whose
// source/engine/proxy/service-proxy.ts runs (default: this one), so that two versions can be
// measured side by side on the same pod. It fronts the pods named in argv (`IP:PORT` …) with one
// NodePort service each, prints `{"nodePorts":[…]}` once they listen and runs until stdin closes.
import { join } from 'node:path';
import { FakeClock } from '../source/engine/clock.ts';
import type { EngineContext } from '../source/engine/context.ts';
import { endpointSlicesController } from '../source/engine/controllers/endpointslices.ts';
import { EventRecorder } from '../source/engine/events.ts';
import type { ServiceProxy } from '../source/engine/proxy/service-proxy.ts';
import { createRegistry } from '../source/engine/resources/index.ts';
import { installServiceAllocations } from '../source/engine/services/allocations.ts';
import { Store } from '../source/engine/store/store.ts';
import { podBehindNodePort } from './node-port-pod.ts';

const PROXY_NODE_IP = '127.0.1.2';

const tree = process.env.SKIFF_PROXY_TREE || join(import.meta.dirname, '..');
const mod = (await import(join(tree, 'source/engine/proxy/service-proxy.ts'))) as {
  ServiceProxy: new () => ServiceProxy;
};

const clock = new FakeClock();
const store = new Store(createRegistry(), clock);
store.create('namespaces', { metadata: { name: 'default' } });
const node = { name: 'node1', role: 'worker', ip: PROXY_NODE_IP, podCIDR: '127.244.1.0/24' };
const config = { serviceCIDR: '127.96.0.0/16', nodePortRange: [30000, 32767] as [number, number], nodes: [node] };
installServiceAllocations(store, config);
const ctx = {
  store,
  clock,
  config,
  recorder: new EventRecorder(store, clock),
  log: () => {},
} as unknown as EngineContext;
const slices = endpointSlicesController();
const proxy = new mod.ServiceProxy();
slices.start(ctx);
proxy.start(ctx);

const nodePorts = process.argv.slice(2).map((target, i) => {
  const [ip, port] = target.split(':');
  return podBehindNodePort(store, { name: `pod-${i}`, image: 'x', ip: ip!, node: node.name, targetPort: Number(port) })
    .nodePort;
});
const listening = () => proxy.frontends().length > 0 && proxy.frontends().every((f) => f.listening);
while (!listening()) await new Promise((r) => setTimeout(r, 20));
process.stdout.write(JSON.stringify({ nodePorts }) + '\n');
process.stdin.resume();
process.stdin.on('end', () => {
  proxy.stop();
  slices.stop();
  process.exit(0);
});
