// Cluster DNS queries per second: the engine's DNS server (ClusterRecords over a store with
// 1,000 services) answering UDP queries from a separate Node process that keeps 64 in flight.
import { execa } from 'execa';
import { FakeClock } from '../source/engine/clock.ts';
import { ClusterRecords } from '../source/engine/dns/cluster-records.ts';
import { DnsServer } from '../source/engine/dns/dns-server.ts';
import { createRegistry } from '../source/engine/resources/index.ts';
import { installServiceAllocations } from '../source/engine/services/allocations.ts';
import { Store } from '../source/engine/store/store.ts';
import { summarize, type Figure } from './lib.ts';

const HOST = '127.246.53.9';
const SECONDS = Number(process.env.SKIFF_BENCH_SECONDS ?? 3);
const ROUNDS = 3;
const SERVICES = 1000;

/** The load generator: `inflight` queries outstanding over UDP for `seconds`; prints answers/s and NXDOMAIN count. */
const CLIENT = `
const dgram = require('node:dgram');
const packet = require('dns-packet');
const [host, port, seconds, inflight, services] = process.argv.slice(1);
const s = dgram.createSocket('udp4');
let answered = 0, errors = 0, id = 0;
const send = () => {
  const name = 'svc-' + (id % Number(services)) + '.default.svc.cluster.local';
  s.send(packet.encode({ type: 'query', id: (id++) & 0xffff, flags: packet.RECURSION_DESIRED, questions: [{ type: 'A', name }] }), Number(port), host);
};
let sent = 0, lost = 0;
const top = () => { while (sent - answered - errors - lost < Number(inflight)) { send(); sent++; } };
s.on('message', (m) => {
  const r = packet.decode(m);
  if (r.rcode === 'NOERROR' && r.answers.length === 1) answered++; else errors++;
  top();
});
const t0 = Date.now();
top();
// A datagram dropped under load must not shrink the window for good.
let last = 0;
setInterval(() => { if (answered + errors === last) lost = sent - answered - errors; last = answered + errors; top(); }, 100);
setTimeout(() => { console.log(JSON.stringify({ qps: answered / ((Date.now() - t0) / 1000), errors })); process.exit(0); }, Number(seconds) * 1000);
`;

export async function run(): Promise<Figure[]> {
  const clock = new FakeClock();
  const store = new Store(createRegistry(), clock);
  store.create('namespaces', { metadata: { name: 'default' } });
  installServiceAllocations(store, { serviceCIDR: '127.96.0.0/16', nodePortRange: [30000, 32767] });
  for (let i = 0; i < SERVICES; i++)
    store.create('services', {
      metadata: { name: `svc-${i}`, namespace: 'default' },
      spec: { ports: [{ name: 'http', port: 80 }] },
    });
  const records = new ClusterRecords(store);
  records.start();
  const server = new DnsServer({
    host: HOST,
    port: 0,
    resolve: (n, t) => records.resolve(n, t),
    clock,
    perTurn: 10_000,
  });
  await server.start();
  try {
    const qps: number[] = [];
    let errors = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const out = JSON.parse(
        (
          await execa('node', ['-e', CLIENT, HOST, String(server.port), String(SECONDS), '64', String(SERVICES)], {
            cwd: `${import.meta.dirname}/..`,
          })
        ).stdout,
      );
      qps.push(out.qps);
      errors += out.errors;
    }
    return [
      summarize('cluster DNS A queries answered (UDP, 64 in flight, 1,000 services)', 'queries/s', qps, {
        anchor: 'CoreDNS ≈ 30,000/s per core',
        note: `${errors} wrong answers`,
      }),
    ];
  } finally {
    server.stop();
    records.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of await run())
    console.log(`${f.name}: ${f.median} ${f.unit} (min ${f.min}, max ${f.max})${f.note ? ` — ${f.note}` : ''}`);
}
