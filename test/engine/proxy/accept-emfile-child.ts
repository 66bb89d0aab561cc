// Run by native-accept.test.ts under `prlimit --nofile`: a listener accepting natively to the
// backend named in argv[2], in a process with no descriptor left but the argv[3] it closes again
// (default 0), so that the relay's accept, or the backend's socket after it, fails.
import { closeSync, openSync } from 'node:fs';
import { tcpListener } from '../../../source/engine/proxy/frontend.ts';

const l = tcpListener(
  () => {},
  (e) => console.log(`error: ${e.message}`),
  (h) => h.close(),
);
const port = await l.bind('127.246.5.70', 0);
l.native!({ targets: [{ host: '127.246.5.71', port: Number(process.argv[2]) }], attempts: 1 });
const filler: number[] = [];
for (;;) {
  try {
    filler.push(openSync('/dev/null', 'r'));
  } catch {
    break;
  }
}
for (const fd of filler.splice(filler.length - Number(process.argv[3] ?? 0))) closeSync(fd);
console.log(JSON.stringify({ port }));
const start = process.cpuUsage();
setTimeout(() => {
  const used = process.cpuUsage(start);
  console.log(JSON.stringify({ cpuMs: (used.user + used.system) / 1000 }));
  process.exit(0);
}, 2000);
