import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

let t: TestEngine;
let tui: Tui | undefined;

beforeAll(async () => {
  t = await startTestEngine();
  await t.kubectl(['create', 'deployment', 'web', '--image=nginx:1.25', '--port=80']);
  await t.kubectl(['expose', 'deployment', 'web', '--port=8080', '--target-port=80']);
  await t.kubectl(['rollout', 'status', 'deploy/web', '--timeout=90s']);
}, 180_000);
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** One HTTP GET over a raw socket: the response text, or the connection error's code. */
function get(port: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    sock.on('connect', () => sock.write('GET / HTTP/1.0\r\nHost: x\r\n\r\n'));
    sock.on('data', (d) => (out += d.toString()));
    sock.on('end', () => resolve(out));
    sock.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** The web pod that is not being deleted (the first test deletes one without waiting). */
async function livePod(): Promise<string> {
  const pods = JSON.parse((await t.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json'])).stdout) as {
    items: Array<{ metadata: { name: string; deletionTimestamp?: string } }>;
  };
  return pods.items.find((p) => !p.metadata.deletionTimestamp)!.metadata.name;
}

async function command(ui: Tui, cmd: string, title: RegExp | string): Promise<void> {
  await ui.press(':');
  await ui.type(cmd);
  await ui.press(KEY.enter);
  await ui.waitFor(title);
}

async function forward(ui: Tui, port: number, remote: number): Promise<void> {
  await ui.press('F');
  await ui.waitFor('Local:remote port', 30_000);
  await ui.press('\x15'); // ctrl-u clears the suggested ports
  await ui.type(`${port}:${remote}`);
  await ui.press(KEY.enter);
  await ui.waitFor('Address');
  await ui.press(KEY.enter);
  await ui.waitFor(`Forwarding 127.0.0.1:${port}`);
}

describe('port-forwards in a terminal', { timeout: 150_000 }, () => {
  it('shift-f on a pod forwards a local port that curl reaches; :pf counts it; ctrl-d stops it', async () => {
    const port = await freePort();
    tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath], { env: { HOME: t.kubeHome } });
    await tui.waitFor(/web-\w+-\w+\s+1\/1\s+Running/, 45_000);
    await forward(tui, port, 80);
    const page = await get(port);
    expect(page).toContain('200 OK');
    expect(page).toContain('Welcome to nginx!');

    await command(tui, 'pf', /Portforwards/);
    const row = await tui.waitFor(
      new RegExp(
        `pod/web-\\S+\\s+default\\s+127\\.0\\.0\\.1:${port}\\s+80\\s+web-\\S+\\s+0/1\\s+\\d+B\\s+\\d+B\\s+Active`,
      ),
    );
    expect(row).toContain('<ctrl-d> Stop forward');
    expect(row).not.toContain('Delete');
    // The forward says so when its pod goes away.
    const pod = /pod\/(web-\S+)/.exec(row)![1]!;
    await t.kubectl(['delete', 'pod', pod, '--wait=false']);
    await tui.waitFor(new RegExp(`127\\.0\\.0\\.1:${port}.*Pod gone`), 30_000);
    await tui.press(KEY.ctrlD);
    await tui.waitFor(`Stopped forward 127.0.0.1:${port}`);
    expect(await get(port)).toBe('ECONNREFUSED');
  });

  it('a service forward goes to a ready pod and moves to the next one when that pod is deleted', async () => {
    const port = await freePort();
    await t.kubectl(['rollout', 'status', 'deploy/web', '--timeout=90s']);
    tui = spawnTui(['--kubeconfig', t.engine.kubeconfigPath], { cols: 160, env: { HOME: t.kubeHome } });
    await tui.waitFor('Pods(default)', 45_000);
    await command(tui, 'svc', /Services\(default\)/);
    await tui.press('/');
    await tui.type('^web$');
    await tui.press(KEY.enter);
    await tui.waitFor(/web\s+ClusterIP/);
    await forward(tui, port, 8080);
    expect(await get(port)).toContain('Welcome to nginx!');
    await command(tui, 'pf', /Portforwards/);
    const row = /svc\/web\s+default\s+\S+\s+8080\s+(web-\S+)\s+0\/1\s/;
    const first = row.exec(await tui.waitFor(row))![1]!;
    expect(first).not.toContain('…');
    expect(first).toBe(await livePod());

    await t.kubectl(['delete', 'pod', first, '--wait=true']);
    await t.kubectl(['rollout', 'status', 'deploy/web', '--timeout=90s']);
    await waitFor(
      async () => (await get(port)).includes('Welcome to nginx!'),
      60_000,
      'the forward through the new pod',
    );
    // The row now names the new pod (connections that found no ready pod yet count too).
    const next = await livePod();
    expect(next).not.toBe(first);
    await tui.waitFor(new RegExp(`svc/web\\s+default\\s+\\S+\\s+8080\\s+${next}\\s+0/\\d+\\s`));
  });
});
