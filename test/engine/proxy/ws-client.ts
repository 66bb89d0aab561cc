import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A bare WebSocket client (binary messages only) that, like gorilla/websocket, accepts
 * subprotocol names the `ws` client refuses (`SPDY/3.1+portforward.k8s.io`).
 */
export async function rawWebSocket(port: number, path: string, protocol: string) {
  const { socket, head, accepted } = await new Promise<{ socket: Socket; head: Buffer; accepted: string }>(
    (resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port,
        path,
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Version': '13',
          'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
          'Sec-WebSocket-Protocol': protocol,
        },
      });
      req.on('upgrade', (res, socket, head) =>
        resolve({ socket, head, accepted: String(res.headers['sec-websocket-protocol'] ?? '') }),
      );
      req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    },
  );
  socket.on('error', () => {});
  const listeners: Array<(b: Buffer) => void> = [];
  let buf = head;
  const parse = () => {
    for (;;) {
      if (buf.length < 2) return;
      let len = buf[1]! & 0x7f;
      let off = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        off = 10;
      }
      if (buf.length < off + len) return;
      const opcode = buf[0]! & 0x0f;
      const payload = buf.subarray(off, off + len);
      buf = buf.subarray(off + len);
      if (opcode === 2 || opcode === 0) listeners.forEach((l) => l(payload));
      if (opcode === 8) socket.end();
    }
  };
  socket.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    parse();
  });
  parse();
  const frame = (opcode: number, data: Buffer) => {
    const mask = randomBytes(4);
    const len = data.length;
    const hdr = len < 126 ? Buffer.from([0x80 | opcode, 0x80 | len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
    if (len >= 126 && len < 65536) {
      hdr[0] = 0x80 | opcode;
      hdr[1] = 0x80 | 126;
      hdr.writeUInt16BE(len, 2);
    } else if (len >= 65536) {
      hdr[0] = 0x80 | opcode;
      hdr[1] = 0x80 | 127;
      hdr.writeBigUInt64BE(BigInt(len), 2);
    }
    const body = Buffer.from(data);
    for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
    socket.write(Buffer.concat([hdr, mask, body]));
  };
  return {
    protocol: accepted,
    socket,
    send: (b: Buffer) => frame(2, b),
    onMessage: (fn: (b: Buffer) => void) => listeners.push(fn),
    close: () => {
      frame(8, Buffer.from([0x03, 0xe8]));
      socket.end();
    },
  };
}
