import { createHash, randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tcpListener, type Listener } from '../../../source/engine/proxy/frontend.ts';
import { nativeRelayLoaded, nativeRelayStats, nativeSplice } from '../../../source/engine/proxy/native-relay.ts';
import { rawBindings } from '../../../source/engine/proxy/raw-splice.ts';
import { relay } from '../../../source/engine/proxy/relay.ts';
import type { HostPort } from '../../../source/engine/proxy/targets.ts';

const FRONT_IP = '127.246.9.1';
const BACK_IP = '127.246.9.2';

const servers: Server[] = [];
const listeners: Listener[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  for (const l of listeners.splice(0)) l.close();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function listen(server: Server, host: string): Promise<number> {
  servers.push(server);
  server.on('connection', (s) => keep(s));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as { port: number }).port));
  });
}

function keep(s: Socket): Socket {
  sockets.add(s);
  s.once('close', () => sockets.delete(s));
  return s;
}

/** A backend that runs `onConnection` for each connection (allowHalfOpen, as pods' servers may be). */
function backend(onConnection: (s: Socket) => void): Promise<number> {
  return listen(createServer({ allowHalfOpen: true }, onConnection), BACK_IP);
}

type Path = 'raw' | 'streams' | 'native';
let path: Path = 'raw';
const streams = () => path === 'streams';

/** A frontend that relays every connection to the targets `pick` gives, as the service proxy does. */
function frontend(pick: () => HostPort | undefined, attempts = 1): Promise<number> {
  if (path === 'native') return nativeFrontend(pick, attempts);
  const server = createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, (c) =>
    relay(c, pick, attempts, keep, { streams: streams() }),
  );
  return listen(server, FRONT_IP);
}

/** The service proxy's listener for process pods: each accepted handle goes to the native relay. */
function nativeFrontend(pick: () => HostPort | undefined, attempts: number): Promise<number> {
  const l = tcpListener(
    () => {
      throw new Error('a connection reached net.Server instead of the native relay');
    },
    (e) => {
      throw e;
    },
    (h) => {
      if (!nativeSplice(h, pick, attempts, () => {})) throw new Error('the native relay did not take the connection');
    },
  );
  listeners.push(l);
  return l.bind(FRONT_IP, 0);
}

function dial(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = keep(connect({ host: FRONT_IP, port, allowHalfOpen: true }));
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Everything `s` sends until its end, read slowly (paused now and then) so that writes queue up. */
function readAllSlowly(s: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let n = 0;
    s.on('data', (c: Buffer) => {
      chunks.push(c);
      if (++n % 8 === 0) {
        s.pause();
        setTimeout(() => s.resume(), 2);
      }
    });
    s.once('end', () => resolve(Buffer.concat(chunks)));
    s.once('error', reject);
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

it("drives Node's stream handles directly on this Node version", () => {
  expect(rawBindings()).not.toBeNull();
});

/** One connection through a frontend whose picks go round `targets` (two attempts): the reply and the picks made. */
async function replyRoundRobin(targets: HostPort[]): Promise<{ reply: string; picks: number }> {
  let picks = 0;
  const port = await frontend(() => targets[picks++ % targets.length], 2);
  const s = await dial(port);
  const reply = readAllSlowly(s);
  s.end();
  return { reply: (await reply).toString(), picks };
}

describe.skipIf(process.env.SKIFF_PROXY_NATIVE === '0')('the native relay', () => {
  it('closes both sides of its open connections on abort (the engine stopping), and says so', async () => {
    let backendSide: Socket | undefined;
    const backendClosed = new Promise<void>((resolve) =>
      backend((s) => {
        backendSide = s;
        s.on('error', () => {});
        s.once('end', () => resolve());
        s.once('close', () => resolve());
        s.resume();
      }).then((p) => (backPort = p)),
    );
    let backPort = 0;
    while (!backPort) await new Promise((r) => setTimeout(r, 5));
    const splices: Array<{ abort(): void }> = [];
    let closed = 0;
    const l = tcpListener(
      () => {},
      () => {},
      (h) => {
        const ns = nativeSplice(
          h,
          () => ({ host: BACK_IP, port: backPort }),
          1,
          () => closed++,
        );
        if (ns) splices.push(ns);
      },
    );
    listeners.push(l);
    const port = await l.bind(FRONT_IP, 0);
    const c = await dial(port);
    c.on('error', () => {});
    // Both are half-open sockets: the relay's close shows as their end.
    const clientClosed = new Promise((r) => {
      c.once('end', r);
      c.once('close', r);
    });
    c.write('hello');
    c.resume();
    while (!backendSide) await new Promise((r) => setTimeout(r, 5));
    expect(nativeRelayStats().open).toBeGreaterThan(0);
    splices.forEach((s) => s.abort());
    await Promise.all([clientClosed, backendClosed]);
    while (closed === 0) await new Promise((r) => setTimeout(r, 5));
    expect(closed).toBe(1);
  });
});

/** SKIFF_PROXY_NATIVE=0: the JavaScript paths alone (as where the addon cannot be built). */
const nativeOff = process.env.SKIFF_PROXY_NATIVE === '0';

it.skipIf(nativeOff)('loads the native relay (built by npm install / scripts/build-native.mjs)', () => {
  expect(nativeRelayLoaded()).toBe(true);
});

describe.each([
  ['bare libuv handles', 'raw'],
  ['net.Socket streams', 'streams'],
  ...(nativeOff ? [] : [['the native relay', 'native']]),
] as Array<[string, Path]>)('relay through %s', (_, p) => {
  let splicedBefore = 0;
  beforeEach(() => {
    path = p;
    splicedBefore = nativeRelayStats().spliced;
  });
  afterEach(() => {
    // The native cases ran through the relay thread; the others never touched it.
    const natively = nativeRelayStats().spliced - splicedBefore;
    if (p === 'native') expect(natively).toBeGreaterThan(0);
    else expect(natively).toBe(0);
  });

  it('carries many concurrent connections, each its own bytes', async () => {
    const backPort = await backend((s) => {
      s.on('data', (c: Buffer) => s.write(c));
      s.on('end', () => s.end());
    });
    const port = await frontend(() => ({ host: BACK_IP, port: backPort }));
    const conns = Array.from({ length: 200 }, async (_, i) => {
      const s = await dial(port);
      const data = Buffer.from(`connection ${i} `.repeat(50 + i));
      const echoed = readAllSlowly(s);
      s.end(data);
      expect((await echoed).equals(data)).toBe(true);
    });
    await Promise.all(conns);
  });

  it('carries several large transfers both ways intact while the readers are slow', async () => {
    // An echo backend that reads slowly too: backpressure both ways, and backend reads that the
    // client cannot take at once (each must keep its bytes while a new read comes in).
    const backPort = await backend((s) => {
      s.on('data', (c: Buffer) => {
        if (!s.write(c)) {
          s.pause();
          s.once('drain', () => s.resume());
        }
      });
      s.on('end', () => s.end());
    });
    const port = await frontend(() => ({ host: BACK_IP, port: backPort }));
    const transfers = Array.from({ length: 4 }, async () => {
      const data = randomBytes(3 * 1024 * 1024 + 123);
      const s = await dial(port);
      const echoed = readAllSlowly(s);
      s.end(data);
      const got = await echoed;
      expect(got.length).toBe(data.length);
      expect(sha(got)).toBe(sha(data));
    });
    await Promise.all(transfers);
  });

  it('many short connections in a row each get their own reply, whole', async () => {
    const backPort = await backend((s) => {
      s.once('data', (c: Buffer) => s.end(Buffer.concat([c, randomBytes(100)])));
    });
    const port = await frontend(() => ({ host: BACK_IP, port: backPort }));
    for (let i = 0; i < 50; i++) {
      const s = await dial(port);
      const reply = readAllSlowly(s);
      s.write(`request ${i};`);
      const got = await reply;
      expect(got.subarray(0, got.length - 100).toString()).toBe(`request ${i};`);
    }
  });

  it('passes a half-close on: the client ends its side and still gets the whole reply', async () => {
    const backPort = await backend((s) => {
      let body = '';
      s.on('data', (c) => (body += c));
      // Answers only once the client has finished sending (its FIN reached the backend).
      s.on('end', () => s.end(`got ${body.length} bytes`));
    });
    const port = await frontend(() => ({ host: BACK_IP, port: backPort }));
    const s = await dial(port);
    const reply = readAllSlowly(s);
    s.end('x'.repeat(100_000));
    expect((await reply).toString()).toBe('got 100000 bytes');
  });

  it('relays a backend that speaks first', async () => {
    const backPort = await backend((s) => s.end('220 ready\r\n'));
    const port = await frontend(() => ({ host: BACK_IP, port: backPort }));
    const s = await dial(port);
    const reply = readAllSlowly(s);
    s.end();
    expect((await reply).toString()).toBe('220 ready\r\n');
  });

  it('closes the client when the backend resets, and the backend when the client goes', async () => {
    let backendSide: Socket | undefined;
    const backendClosed: Array<Promise<void>> = [];
    const backPort = await backend((s) => {
      backendSide = s;
      backendClosed.push(new Promise((r) => s.once('close', () => r())));
      s.on('error', () => {});
      s.on('end', () => s.end());
      s.resume();
    });
    const port = await frontend(() => ({ host: BACK_IP, port: backPort }));

    const a = await dial(port);
    a.on('error', () => {});
    // Closed from the proxy's side: the client sees its end (or a reset).
    const aClosed = new Promise((r) => {
      a.once('end', r);
      a.once('close', r);
    });
    a.resume();
    a.write('hello');
    await new Promise<void>((r) => {
      const check = () => (backendSide ? r() : setTimeout(check, 5));
      check();
    });
    backendSide!.resetAndDestroy();
    await aClosed;

    const b = await dial(port);
    b.write('hello');
    await new Promise<void>((r) => {
      const check = () => (backendClosed.length === 2 ? r() : setTimeout(check, 5));
      check();
    });
    b.destroy();
    await backendClosed[1];
  });

  it('never dials outside 127.0.0.0/8: such a backend is skipped like a refusing one', async () => {
    const backPort = await backend((s) => s.end('from loopback'));
    const { reply, picks } = await replyRoundRobin([
      { host: '192.0.2.1', port: backPort },
      { host: BACK_IP, port: backPort },
    ]);
    expect(reply).toBe('from loopback');
    expect(picks).toBe(2);
  });

  it('skips a backend that refuses for the next one, and resets the client when none is left', async () => {
    const backPort = await backend((s) => s.end('from the live one'));
    // A port nothing listens on: bind one, then close it.
    const dead = await backend(() => {});
    await new Promise((r) => servers.pop()!.close(r));
    const { reply } = await replyRoundRobin([
      { host: BACK_IP, port: dead },
      { host: BACK_IP, port: backPort },
    ]);
    expect(reply).toBe('from the live one');

    const onlyDead = await frontend(() => ({ host: BACK_IP, port: dead }), 2);
    const r = await dial(onlyDead);
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      r.once('error', resolve);
      r.once('close', () => resolve(undefined));
    });
    expect(err?.code).toBe('ECONNRESET');
  });
});
