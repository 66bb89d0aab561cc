import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as packet from 'dns-packet';
import type { DecodedPacket, RecordType } from 'dns-packet';

let nextId = 1;

export function queryPacket(name: string, type: RecordType, id = nextId++ & 0xffff): Buffer {
  return packet.encode({
    type: 'query',
    id,
    flags: packet.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
  });
}

/** Send raw bytes over UDP to host:port and wait for one datagram back (undefined on timeout). */
export function udpRaw(host: string, port: number, msg: Buffer, timeoutMs = 2000): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const t = setTimeout(() => {
      s.close();
      resolve(undefined);
    }, timeoutMs);
    s.once('message', (m) => {
      clearTimeout(t);
      s.close();
      resolve(m);
    });
    s.send(msg, port, host);
  });
}

export async function udpQuery(host: string, port: number, name: string, type: RecordType): Promise<DecodedPacket> {
  const out = await udpRaw(host, port, queryPacket(name, type));
  if (!out) throw new Error(`no answer for ${name} ${type}`);
  return packet.decode(out);
}

/** One query over TCP (2-byte length framing). */
export function tcpQuery(host: string, port: number, name: string, type: RecordType): Promise<DecodedPacket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    const q = queryPacket(name, type);
    const head = Buffer.alloc(2);
    head.writeUInt16BE(q.length);
    s.write(Buffer.concat([head, q]));
    let buf = Buffer.alloc(0);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        s.destroy();
        resolve(packet.decode(buf.subarray(2, 2 + buf.readUInt16BE(0))));
      }
    });
    s.on('error', reject);
  });
}

export const rcodeOf = (p: DecodedPacket) => (p as DecodedPacket & { rcode: string }).rcode;
export const dataOf = (p: DecodedPacket, type?: string) =>
  (p.answers ?? []).filter((a) => !type || a.type === type).map((a) => (a as { data: unknown }).data);
