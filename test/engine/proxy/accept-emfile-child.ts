// Run by native-accept.test.ts under `prlimit --nofile`: a listener accepting natively to the
// backend named in argv, in a process with no descriptor left, so that the relay's accept fails.
import { openSync } from 'node:fs';
import { tcpListener } from '../../../source/engine/proxy/frontend.ts';

const l = tcpListener(
  () => {},
  (e) => console.log(`error: ${e.message}`),
  (h) => h.close(),
);
const port = await l.bind('127.246.5.70', 0);
l.native!({ targets: [{ host: '127.246.5.71', port: Number(process.argv[2]) }], attempts: 1 });
for (;;) {
  try {
    openSync('/dev/null', 'r');
  } catch {
    break;
  }
}
console.log(JSON.stringify({ port }));
const start = process.cpuUsage();
setTimeout(() => {
  const used = process.cpuUsage(start);
  console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000 }));
  process.exit(0);
}, 2000);
