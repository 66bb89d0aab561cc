// Run by native-accept.test.ts under `prlimit --nofile`: a listener accepting natively, to a
// backend that keeps what it gets, until the relay thread runs out of descriptors.
import { createServer } from 'node:net';
import { tcpListener } from '../../../source/engine/proxy/frontend.ts';

const back = createServer((s) => s.resume());
await new Promise<void>((r) => back.listen(0, '127.246.5.71', r));
const l = tcpListener(
  () => {},
  (e) => console.log(`error: ${e.message}`),
  (h) => h.close(),
);
const port = await l.bind('127.246.5.70', 0);
l.native!({ targets: [{ host: '127.246.5.71', port: (back.address() as { port: number }).port }], attempts: 1 });
console.log(JSON.stringify({ port }));
const start = process.cpuUsage();
setTimeout(() => {
  const used = process.cpuUsage(start);
  console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000 }));
  process.exit(0);
}, 2000);
