import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as packet from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../../source/engine/clock.ts';
import type { Resolution } from '../../../source/engine/dns/cluster-records.ts';
import { DnsServer } from '../../../source/engine/dns/dns-server.ts';
import { dataOf, queryPacket, rcodeOf, udpQuery, udpRaw } from './dns-client.ts';

const HOST = '127.246.53.1';
let server: DnsServer;
let port: number;

const answer = (name: string): Resolution =>
  name.toLowerCase() === 'ok.cluster.local'
    ? {
        rcode: 'NOERROR',
        answers: [{ name, type: 'A', ttl: 30, data: '127.0.0.9' }],
        additionals: [],
        authorities: [],
        authoritative: true,
      }
    : name.toLowerCase() === 'many.cluster.local'
      ? {
          rcode: 'NOERROR',
          answers: Array.from({ length: 300 }, (_, i) => ({
            name,
            type: 'A' as const,
            ttl: 30,
            data: `127.1.${i >> 8}.${i & 255}`,
          })),
          additionals: [],
          authorities: [],
          authoritative: true,
        }
      : { rcode: 'REFUSED', answers: [], additionals: [], authorities: [], authoritative: false };

beforeAll(async () => {
  server = new DnsServer({ host: HOST, port: 0, resolve: (n) => answer(n), clock: new RealClock(1), perTurn: 100 });
  await server.start();
  port = server.port;
});
afterAll(() => server?.stop());

/** Event-loop turns that happen while `work` runs: a blocked loop would show none. */
async function turnsDuring(work: Promise<unknown>): Promise<number> {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  await work;
  done = true;
  return turns;
}

describe('DNS server under bad input (loopback only)', () => {
  it('answers malformed packets with FORMERR or drops them, and keeps answering', async () => {
    const cases: Buffer[] = [
      Buffer.alloc(0),
      Buffer.from([1, 2, 3]),
      // Header claiming one question, then nothing.
      Buffer.from([0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
      // A name that points at itself (compression loop).
      Buffer.concat([Buffer.from([0, 8, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([0xc0, 12, 0, 1, 0, 1])]),
      // A label longer than the packet.
      Buffer.concat([Buffer.from([0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([63, 1, 2])]),
      // Reserved label type bits.
      Buffer.concat([Buffer.from([0, 10, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), Buffer.from([0x80, 0, 0, 1, 0, 1])]),
    ];
    for (const c of cases) {
      const out = await udpRaw(HOST, port, c, 300);
      if (out) expect(['FORMERR', 'NOTIMP']).toContain(rcodeOf(packet.decode(out)));
    }
    // A name of 300 characters (over the 255-octet limit) in hand-made labels.
    const labels = Array.from({ length: 5 }, () => Buffer.concat([Buffer.from([60]), Buffer.alloc(60, 0x61)]));
    const huge = Buffer.concat([
      Buffer.from([0, 11, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]),
      ...labels,
      Buffer.from([0, 0, 1, 0, 1]),
    ]);
    expect(rcodeOf(packet.decode((await udpRaw(HOST, port, huge))!))).toBe('FORMERR');
    // Two questions, and a response sent to the server (never answered: no reflection loops).
    const two = packet.encode({
      type: 'query',
      id: 5,
      questions: [
        { type: 'A', name: 'a.cluster.local' },
        { type: 'A', name: 'b.cluster.local' },
      ],
    });
    expect(rcodeOf(packet.decode((await udpRaw(HOST, port, two))!))).toBe('FORMERR');
    const response = packet.encode({ type: 'response', id: 6, questions: [{ type: 'A', name: 'ok.cluster.local' }] });
    expect(await udpRaw(HOST, port, response, 300)).toBeUndefined();
    expect(dataOf(await udpQuery(HOST, port, 'ok.cluster.local', 'A'))).toEqual(['127.0.0.9']);
  });

  it('survives random bytes and bit-flipped queries', async () => {
    const s = createSocket('udp4');
    const good = queryPacket('ok.cluster.local', 'A');
    for (let i = 0; i < 2000; i++) {
      let b: Buffer;
      if (i % 2) b = randomBytes(1 + (i % 600));
      else {
        b = Buffer.from(good);
        for (let k = 0; k < 3; k++) b[12 + ((i * 7 + k * 13) % (b.length - 12))] ^= 1 << (i % 8);
      }
      s.send(b, port, HOST);
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 200));
    s.close();
    expect(dataOf(await udpQuery(HOST, port, 'ok.cluster.local', 'A'))).toEqual(['127.0.0.9']);
  });

  it('a UDP flood is shed per event-loop turn without starving the loop; answers continue after it', async () => {
    const before = server.stats.dropped;
    const s = createSocket('udp4');
    const q = queryPacket('ok.cluster.local', 'A');
    const flood = (async () => {
      for (let i = 0; i < 20_000; i++) {
        s.send(q, port, HOST);
        if (i % 500 === 0) await new Promise((r) => setImmediate(r));
      }
      await new Promise((r) => setTimeout(r, 300));
    })();
    const turns = await turnsDuring(flood);
    s.close();
    expect(turns).toBeGreaterThan(10);
    expect(server.stats.queries).toBeGreaterThan(0);
    expect(server.stats.dropped).toBeGreaterThanOrEqual(before);
    expect(dataOf(await udpQuery(HOST, port, 'ok.cluster.local', 'A'))).toEqual(['127.0.0.9']);
  });

  it('truncates a large UDP answer (TC) and gives it whole over TCP', async () => {
    const udp = await udpQuery(HOST, port, 'many.cluster.local', 'A');
    expect(udp.flag_tc).toBe(true);
    expect(udp.answers!.length).toBeLessThan(300);
    const { tcpQuery } = await import('./dns-client.ts');
    const tcp = await tcpQuery(HOST, port, 'many.cluster.local', 'A');
    expect(tcp.flag_tc).toBe(false);
    expect(tcp.answers!.length).toBe(300);
  });

  it('TCP: a garbage stream, a half message and an oversized length are cut without harm', async () => {
    const send = (b: Buffer) =>
      new Promise<void>((resolve) => {
        const c = connect({ host: HOST, port }, () => {
          c.write(b);
          setTimeout(() => {
            c.destroy();
            resolve();
          }, 100);
        });
        c.on('error', () => resolve());
      });
    await send(randomBytes(200_000));
    await send(Buffer.from([0xff, 0xff, 1, 2, 3]));
    await send(Buffer.from([0, 12, 0, 1, 0, 0]));
    const { tcpQuery } = await import('./dns-client.ts');
    expect(dataOf(await tcpQuery(HOST, port, 'ok.cluster.local', 'A'))).toEqual(['127.0.0.9']);
    expect(rcodeOf(await tcpQuery(HOST, port, 'example.com', 'A'))).toBe('REFUSED');
  });
});
