import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeRelayStats } from '../../source/engine/proxy/native-relay.ts';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

let t: TestEngine;
const logs: string[] = [];
beforeAll(async () => {
  t = await startTestEngine({ log: (line: string) => void logs.push(line) });
});
afterAll(async () => {
  await t?.stop();
});

const json = async (args: string[]) => JSON.parse((await t.kubectl([...args, '-o', 'json'])).stdout);

/**
 * A Deployment of python:3.12 process pods running `script` (which reads POD_IP) with the named
 * container port `portName` = `port`, behind a NodePort Service of the same name on `servicePort`.
 */
function pythonEcho(o: {
  name: string;
  replicas: number;
  script: string;
  portName: string;
  port: number;
  protocol: 'TCP' | 'UDP';
  servicePort: number;
}): string {
  const script = o.script
    .trim()
    .split('\n')
    .map((l) => `              ${l}`)
    .join('\n');
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${o.name} }
spec:
  replicas: ${o.replicas}
  selector: { matchLabels: { app: ${o.name} } }
  template:
    metadata: { labels: { app: ${o.name} } }
    spec:
      containers:
        - name: echo
          image: python:3.12
          command: [/usr/bin/python3, -c]
          args:
            - |
${script}
          env: [{ name: POD_IP, valueFrom: { fieldRef: { fieldPath: status.podIP } } }]
          ports: [{ name: ${o.portName}, containerPort: ${o.port}, protocol: ${o.protocol} }]
---
apiVersion: v1
kind: Service
metadata: { name: ${o.name} }
spec:
  type: NodePort
  selector: { app: ${o.name} }
  ports: [{ name: echo, protocol: ${o.protocol}, port: ${o.servicePort}, targetPort: ${o.portName} }]
`;
}

/** Two process pods answering UDP datagrams with `<pod name>:<payload>`, behind a NodePort UDP service. */
const UDP_ECHO = pythonEcho({
  name: 'udp-echo',
  replicas: 2,
  portName: 'dns-ish',
  port: 9000,
  protocol: 'UDP',
  servicePort: 5300,
  script: `
import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((os.environ['POD_IP'], 9000))
while True:
    m, a = s.recvfrom(2048)
    s.sendto(os.environ['HOSTNAME'].encode() + b':' + m, a)
`,
});

/** A process pod echoing TCP with its name in front (`<pod name>:<what it read>`), behind a NodePort service. */
const TCP_ECHO = pythonEcho({
  name: 'tcp-echo',
  replicas: 1,
  portName: 'echo',
  port: 9100,
  protocol: 'TCP',
  servicePort: 9100,
  script: `
import os, socketserver
class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(os.environ['HOSTNAME'].encode() + b':' + self.rfile.read())
socketserver.ThreadingTCPServer.allow_reuse_address = True
# Its default backlog (5) overflows under 20 connections at once, relayed or not.
socketserver.ThreadingTCPServer.request_queue_size = 128
socketserver.ThreadingTCPServer((os.environ['POD_IP'], 9100), Echo).serve_forever()
`,
});

const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: nginx
          image: nginx
          env: [{ name: SKIFF_CPU_MS_PER_REQUEST, value: "20" }]
`;

/** Send `text`, end the sending side, and read the reply to its end ('' on an error). */
function tcpAsk(host: string, port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port, allowHalfOpen: true });
    let got = '';
    s.on('data', (d) => (got += d));
    s.once('end', () => (s.destroy(), resolve(got)));
    s.once('error', () => resolve(''));
    s.end(text);
  });
}

/** One datagram from a fresh loopback socket; the reply, or undefined after two seconds. */
function udpAsk(host: string, port: number, text: string): Promise<string | undefined> {
  const s = createSocket('udp4');
  return new Promise((resolve) => {
    const done = (v: string | undefined) => (clearTimeout(timer), s.close(), resolve(v));
    const timer = setTimeout(() => done(undefined), 2000);
    s.on('message', (m) => done(String(m)));
    s.on('error', () => done(undefined));
    s.bind(0, '127.0.0.1', () => s.send(text, port, host));
  });
}

/** ESTABLISHED TCP connections of this process (the engine runs in it) to `ip:port`, from /proc. */
function connectionsTo(ip: string, port: number): number {
  const hex = ip
    .split('.')
    .map(Number)
    .reverse()
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
  const want = `${hex}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .filter((l) => {
      const f = l.trim().split(/\s+/);
      return f[2] === want && f[3] === '01';
    }).length;
}

describe('the service proxy with real pods', () => {
  it('proxies a UDP service port to process pods on the ClusterIP and the NodePort', async () => {
    await t.kubectl(['apply', '-f', '-'], { input: UDP_ECHO });
    const svc = await json(['get', 'svc', 'udp-echo']);
    const nodePort = svc.spec.ports[0].nodePort;
    expect((await t.kubectl(['get', 'svc', 'udp-echo'])).stdout).toMatch(new RegExp(`5300:${nodePort}/UDP`));
    const running: { name: string; ip: string }[] = (
      await waitFor(
        async () => {
          const list = (await json(['get', 'pods', '-l', 'app=udp-echo'])).items.filter(
            (p: { status?: { phase?: string } }) => p.status?.phase === 'Running',
          );
          return list.length === 2 ? list : undefined;
        },
        60_000,
        '2 running udp-echo pods',
      )
    ).map((p: { metadata: { name: string }; status: { podIP: string } }) => ({
      name: p.metadata.name,
      ip: p.status.podIP,
    }));
    // Running is when the program started, not when it bound its port (python takes seconds under
    // load): wait until each pod answers on its own address, so what follows tests the proxy.
    for (const p of running)
      await waitFor(() => udpAsk(p.ip, 9000, 'direct'), 90_000, `an answer from ${p.name} on ${p.ip}:9000`);
    const pods = running.map((p) => p.name);
    // Each fresh client socket is a new flow: round robin reaches both pods.
    const seen = new Set<string>();
    let asked = 0;
    await waitFor(
      async () => {
        asked++;
        const r = await udpAsk(svc.spec.clusterIP, 5300, 'ping');
        if (r) seen.add(r);
        return seen.size === 2;
      },
      30_000,
      'answers from both pods through the ClusterIP',
    ).catch((e: Error) => {
      throw new Error(`${e.message} (${asked} asked, answers: ${[...seen].join(', ') || 'none'})`);
    });
    expect([...seen].sort()).toEqual(pods.map((p) => `${p}:ping`).sort());
    expect(pods.map((p) => `${p}:np`)).toContain(await waitFor(() => udpAsk('127.0.0.1', nodePort, 'np'), 10_000));
    await t.kubectl(['delete', '-f', '-'], { input: UDP_ECHO });
  }, 240_000);

  it('relays TCP to a process pod (accepted and relayed natively), on the ClusterIP and the NodePort', async () => {
    // SKIFF_PROXY_NATIVE=0 runs the same through the JavaScript splice.
    const native = process.env.SKIFF_PROXY_NATIVE !== '0';
    expect(logs.join('\n')).toMatch(
      native
        ? /service-proxy: connections to process pods go through the native relay/
        : /service-proxy: connections to process pods go through the JavaScript splice/,
    );
    await t.kubectl(['apply', '-f', '-'], { input: TCP_ECHO });
    const svc = await json(['get', 'svc', 'tcp-echo']);
    const pod = await waitFor(
      async () =>
        (await json(['get', 'pods', '-l', 'app=tcp-echo'])).items.find(
          (p: { status?: { phase?: string } }) => p.status?.phase === 'Running',
        ),
      60_000,
      'a running tcp-echo pod',
    );
    const name = pod.metadata.name;
    await waitFor(async () => (await tcpAsk(pod.status.podIP, 9100, 'direct')) === `${name}:direct`, 90_000, 'the pod');
    const before = nativeRelayStats();
    const big = 'x'.repeat(1024 * 1024);
    expect(await tcpAsk(svc.spec.clusterIP, 9100, big)).toBe(`${name}:${big}`);
    const nodePort = svc.spec.ports[0].nodePort;
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => tcpAsk('127.0.0.1', nodePort, `np${i}`)));
    expect(replies).toEqual(Array.from({ length: 20 }, (_, i) => `${name}:np${i}`));
    // A service of process pods only: the relay thread accepts its connections itself.
    expect(nativeRelayStats().accepted - before.accepted).toBe(native ? 21 : 0);
    expect(nativeRelayStats().spliced - before.spliced).toBe(0);
    await waitFor(() => nativeRelayStats().open === 0, 10_000, 'the relay to hold no connection');
    await t.kubectl(['delete', '-f', '-'], { input: TCP_ECHO });
  }, 180_000);

  it('hands connections for built-in nginx pods to their server: no second connection to the pod', async () => {
    // Each request burns 20 ms of CPU (the built-in nginx's load knob): it must show in kubectl top.
    await t.kubectl(['apply', '-f', '-'], { input: WEB });
    await t.kubectl(['expose', 'deployment', 'web', '--port=8081', '--target-port=80']);
    const pod = await waitFor(
      async () =>
        (await json(['get', 'pods', '-l', 'app=web'])).items.find(
          (p: { status?: { podIP?: string; conditions?: Array<{ type: string; status: string }> } }) =>
            p.status?.podIP && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        ),
      60_000,
      'a ready web pod',
    );
    const ip = (await json(['get', 'svc', 'web'])).spec.clusterIP;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const fetchKeepAlive = () =>
      new Promise<string>((resolve, reject) => {
        get({ host: ip, port: 8081, path: '/', agent }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
    await waitFor(
      async () => (await fetchKeepAlive().catch(() => '')).includes('Welcome to nginx'),
      20_000,
      'nginx through the ClusterIP',
    );
    // The keep-alive connection is open now; with a splice there would be one to the pod too.
    expect(connectionsTo(ip, 8081)).toBe(1);
    expect(connectionsTo(pod.status.podIP, 80)).toBe(0);
    // nginx logged the request as it does for any client.
    expect((await t.kubectl(['logs', pod.metadata.name])).stdout).toMatch(/"GET \/ HTTP\/1\.1" 200/);
    // Requests handed over are counted in the pod's CPU (metrics.k8s.io) like direct ones.
    const load = setInterval(() => void fetchKeepAlive().catch(() => ''), 25);
    try {
      await waitFor(
        async () => {
          const row = (await t.kubectl(['top', 'pod', pod.metadata.name, '--no-headers'], { reject: false })).stdout
            .trim()
            .split(/\s+/);
          return row[0] === pod.metadata.name && parseInt(row[1] ?? '0', 10) >= 100;
        },
        60_000,
        'the web pod above 100m in kubectl top',
      );
    } finally {
      clearInterval(load);
      agent.destroy();
    }
  }, 120_000);
});
