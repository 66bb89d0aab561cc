import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import * as packet from 'dns-packet';
import type { Answer, DecodedPacket, Packet } from 'dns-packet';
import { assertLoopback, listenLoopback } from '../net/loopback.ts';
import type { Clock } from '../clock.ts';
import type { Resolution } from './cluster-records.ts';

/** Answers one question; a promise only when forwarding to the host's resolver. */
export type Resolve = (name: string, type: string) => Resolution | Promise<Resolution>;

export interface DnsServerOptions {
  host: string;
  port: number;
  resolve: Resolve;
  clock: Clock;
  /** Queries handled per turn of the event loop; the rest of a flood is dropped (UDP) or waits (TCP). */
  perTurn?: number;
  maxTcpConnections?: number;
  /** An idle TCP connection is closed after this long. */
  tcpIdleMs?: number;
}

export interface DnsStats {
  queries: number;
  dropped: number;
  malformed: number;
}

const OPCODE_QUERY = 0;
const MAX_NAME = 253;
const UDP_LIMIT = 512;
const MAX_EDNS = 4096;
/** rcode numbers (RFC 1035 §4.1.1). */
const RCODES: Record<string, number> = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

/**
 * A DNS server on one loopback address, UDP and TCP (RFC 1035 framing), with dns-packet as the
 * wire codec. Every query costs bounded work: a malformed packet gets FORMERR (or nothing when
 * not even the header is there), responses never loop back to responses, UDP floods past
 * `perTurn` queries per event-loop turn are dropped, TCP connections are capped and time out.
 */
export class DnsServer {
  private udp?: UdpSocket;
  private tcp?: Server;
  private conns = new Set<Socket>();
  private handledThisTurn = 0;
  private turnScheduled = false;
  readonly stats: DnsStats = { queries: 0, dropped: 0, malformed: 0 };

  constructor(private readonly opts: DnsServerOptions) {}

  get listening(): boolean {
    return !!this.udp && !!this.tcp;
  }

  /** Bind UDP then TCP; rejects with the bind error (EACCES without privilege for port 53). */
  async start(): Promise<void> {
    const { host, port } = this.opts;
    assertLoopback(host, 'bind');
    const udp = createSocket({ type: 'udp4', reuseAddr: false });
    await new Promise<void>((resolve, reject) => {
      udp.once('error', (e) => {
        udp.close();
        reject(e);
      });
      udp.bind({ address: host, port, exclusive: true }, () => {
        udp.removeAllListeners('error');
        resolve();
      });
    });
    udp.on('error', () => {});
    udp.on('message', (msg, rinfo) => this.onDatagram(udp, msg, rinfo.address, rinfo.port));
    const tcp = createServer({ noDelay: true }, (s) => this.onConnection(s));
    try {
      await listenLoopback(tcp, host, (udp.address() as { port: number }).port);
    } catch (e) {
      udp.close();
      throw e;
    }
    tcp.on('error', () => {});
    this.udp = udp;
    this.tcp = tcp;
  }

  /** The bound port (the asked one, or the one picked for port 0). */
  get port(): number {
    return this.udp ? (this.udp.address() as { port: number }).port : this.opts.port;
  }

  stop(): void {
    this.udp?.close();
    this.udp = undefined;
    this.tcp?.close();
    this.tcp = undefined;
    for (const c of this.conns) c.destroy();
    this.conns.clear();
  }

  /** Count one query against this turn's budget; false when over it. */
  private admit(): boolean {
    if (!this.turnScheduled) {
      this.turnScheduled = true;
      setImmediate(() => {
        this.turnScheduled = false;
        this.handledThisTurn = 0;
      });
    }
    return ++this.handledThisTurn <= (this.opts.perTurn ?? 200);
  }

  private onDatagram(udp: UdpSocket, msg: Buffer, address: string, port: number): void {
    if (!this.admit()) {
      this.stats.dropped++;
      return;
    }
    void this.answer(msg, 'udp').then((out) => {
      if (out && this.udp === udp) udp.send(out, port, address);
    });
  }

  private onConnection(s: Socket): void {
    if (this.conns.size >= (this.opts.maxTcpConnections ?? 256)) {
      s.destroy();
      return;
    }
    this.conns.add(s);
    const idleMs = this.opts.tcpIdleMs ?? 10_000;
    let timer = this.opts.clock.setTimeout(() => s.destroy(), idleMs);
    let buf: Buffer = Buffer.alloc(0);
    let busy = false;
    const pump = async () => {
      if (busy) return;
      busy = true;
      try {
        while (buf.length >= 2 && !s.destroyed) {
          const len = buf.readUInt16BE(0);
          if (buf.length < 2 + len) break;
          const msg = buf.subarray(2, 2 + len);
          buf = buf.subarray(2 + len);
          if (!this.admit()) await new Promise((r) => setImmediate(r));
          const out = await this.answer(msg, 'tcp');
          if (!out) {
            s.destroy();
            return;
          }
          const head = Buffer.alloc(2);
          head.writeUInt16BE(out.length);
          s.write(Buffer.concat([head, out]));
        }
      } finally {
        busy = false;
      }
    };
    s.on('data', (d: Buffer) => {
      this.opts.clock.clearTimeout(timer);
      timer = this.opts.clock.setTimeout(() => s.destroy(), idleMs);
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      // Never more than one maximal message waiting: a client that only sends is cut.
      if (buf.length > 2 * 65_537) s.destroy();
      else void pump();
    });
    s.on('error', () => s.destroy());
    s.on('close', () => {
      this.opts.clock.clearTimeout(timer);
      this.conns.delete(s);
    });
  }

  /** The response to one message, or undefined to send nothing. */
  async answer(msg: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    this.stats.queries++;
    if (msg.length < 12) {
      this.stats.malformed++;
      return undefined;
    }
    // A response (QR set) is never answered: no loops between servers.
    if (msg[2]! & 0x80) return undefined;
    const id = msg.readUInt16BE(0);
    const rd = msg[2]! & 0x01;
    const opcode = (msg[2]! >> 3) & 0x0f;
    // A query carries one question and at most an EDNS record: anything else is refused before
    // decoding, whose cost grows with the counts the header claims.
    const counts = [msg.readUInt16BE(4), msg.readUInt16BE(6), msg.readUInt16BE(8), msg.readUInt16BE(10)];
    if (counts[0] !== 1 || counts[1] !== 0 || counts[2] !== 0 || counts[3]! > 1) {
      this.stats.malformed++;
      return this.bare(id, opcode, rd, 'FORMERR');
    }
    let q: DecodedPacket;
    try {
      q = packet.decode(msg);
    } catch {
      this.stats.malformed++;
      return this.bare(id, opcode, rd, 'FORMERR');
    }
    if (opcode !== OPCODE_QUERY) return this.bare(id, opcode, rd, 'NOTIMP');
    const question = q.questions?.length === 1 ? q.questions[0] : undefined;
    if (!question || question.name.length > MAX_NAME || question.class !== 'IN') {
      return this.bare(id, opcode, rd, 'FORMERR', q.questions?.length === 1 ? q.questions : []);
    }
    let r: Resolution;
    try {
      r = await this.opts.resolve(question.name, String(question.type));
    } catch {
      r = { rcode: 'SERVFAIL', answers: [], additionals: [], authorities: [], authoritative: false };
    }
    const opt = q.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
    const limit =
      transport === 'tcp'
        ? 65_535
        : opt
          ? Math.min(Math.max(UDP_LIMIT, opt.udpPayloadSize ?? UDP_LIMIT), MAX_EDNS)
          : UDP_LIMIT;
    const flags =
      (r.authoritative ? packet.AUTHORITATIVE_ANSWER : 0) |
      (rd ? packet.RECURSION_DESIRED : 0) |
      packet.RECURSION_AVAILABLE;
    const ednsOpt: Answer[] = opt
      ? [{ type: 'OPT', name: '.', udpPayloadSize: MAX_EDNS, flags: 0, options: [] } as unknown as Answer]
      : [];
    const build = (answers: Answer[], additionals: Answer[], authorities: Answer[], truncated: boolean): Packet => ({
      type: 'response',
      id,
      flags: flags | (truncated ? packet.TRUNCATED_RESPONSE : 0) | RCODES[r.rcode]!,
      questions: [question],
      answers,
      authorities,
      additionals: [...additionals, ...ednsOpt],
    });
    let out = packet.encode(build(r.answers, r.additionals, r.authorities, false));
    if (out.length > limit) {
      // Truncated: keep the answers that fit (RFC 2181 §9), drop the extras; TC tells the client to retry over TCP.
      let n = r.answers.length;
      do {
        n = Math.floor(n / 2);
        out = packet.encode(build(r.answers.slice(0, n), [], [], true));
      } while (out.length > limit && n > 0);
    }
    return out;
  }

  /** A header-only answer (with the question echoed when it could be read). */
  private bare(id: number, opcode: number, rd: number, rcode: string, questions: Packet['questions'] = []): Buffer {
    const out = packet.encode({
      type: 'response',
      id,
      flags: (opcode << 11) | (rd ? packet.RECURSION_DESIRED : 0) | RCODES[rcode]!,
      questions,
    });
    return out;
  }
}
