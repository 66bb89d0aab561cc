import { execa } from 'execa';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KUBECTL, startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// exec and logs on the wire: WebSocket v5/v4/base64, SPDY (older kubectl), refusals, log options.
const KUBECTL_127 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.27';

let t: TestEngine;
beforeAll(async () => {
  t = await startTestEngine();
  await t.kubectl(['run', 'web', '--image=nginx:1.25']);
  await t.kubectl([
    'run',
    'done',
    '--image=busybox',
    '--restart=Never',
    '--',
    'sh',
    '-c',
    'echo one; echo two; echo three',
  ]);
  await t.kubectl(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'duo' },
      spec: {
        containers: [
          { name: 'a', image: 'nginx:1.25' },
          { name: 'b', image: 'busybox', command: ['sleep', '3600'] },
        ],
      },
    }),
  });
  const phase = (n: string) => t.engine.ctx.store.get('pods', 'default', n)?.status?.phase;
  await waitFor(
    () => phase('web') === 'Running' && phase('done') === 'Succeeded' && phase('duo') === 'Running',
    20_000,
    'pods',
  );
});
afterAll(async () => t?.stop());

function wsExec(
  query: string,
  protocols: string[],
  input?: (ws: WebSocket) => void,
): Promise<{ frames: Array<[number, string]>; closeCode: number }> {
  const url = `${t.engine.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/web/exec?${query}`;
  const ws = new WebSocket(url, protocols, {
    ca: t.engine.caCert,
    headers: { Authorization: `Bearer ${t.engine.token}` },
  });
  const frames: Array<[number, string]> = [];
  return new Promise((resolve, reject) => {
    ws.on('open', () => input?.(ws));
    ws.on('message', (d: Buffer, binary) => {
      if (binary) frames.push([d[0]!, d.subarray(1).toString()]);
      else frames.push([d.toString().charCodeAt(0) - 48, Buffer.from(d.toString().slice(1), 'base64').toString()]);
    });
    ws.on('close', (code) => resolve({ frames, closeCode: code }));
    ws.on('error', reject);
  });
}

function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(
      `${t.engine.url}${path}`,
      { ca: t.engine.caCert, headers: { Authorization: `Bearer ${t.engine.token}` } },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    )
      .on('error', reject)
      .end();
  });
}

describe('exec on the wire', () => {
  it('WebSocket v4: output on channels 1 and 2, the exit code as a Status on channel 3, close 1000', async () => {
    const r = await wsExec(
      'command=sh&command=-c&command=echo%20out%3B%20echo%20err%20%3E%262%3B%20exit%203&container=web&stdout=true&stderr=true',
      ['v4.channel.k8s.io'],
    );
    expect(r.frames).toContainEqual([1, 'out\n']);
    expect(r.frames).toContainEqual([2, 'err\n']);
    const status = JSON.parse(r.frames.find(([c]) => c === 3)![1]);
    expect(status).toMatchObject({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: '3' }] },
    });
    expect(r.closeCode).toBe(1000);
  });

  it('WebSocket v5: stdin, then the close-stream message ends it; base64 framing works too', async () => {
    const r = await wsExec('command=cat&container=web&stdin=true&stdout=true', ['v5.channel.k8s.io'], (ws) => {
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('piped\n')]));
      ws.send(Buffer.from([255, 0]));
    });
    expect(r.frames).toContainEqual([1, 'piped\n']);
    expect(JSON.parse(r.frames.find(([c]) => c === 3)![1])).toEqual({ metadata: {}, status: 'Success' });
    const b = await wsExec('command=hostname&container=web&stdout=true', ['v4.base64.channel.k8s.io']);
    expect(b.frames).toContainEqual([1, 'web\n']);
  });

  it('answers pings', async () => {
    const url = `${t.engine.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/web/exec?command=sleep&command=2&container=web&stdout=true`;
    const ws = new WebSocket(url, ['v5.channel.k8s.io'], {
      ca: t.engine.caCert,
      headers: { Authorization: `Bearer ${t.engine.token}` },
    });
    await new Promise((r) => ws.on('open', r));
    const pong = new Promise((r) => ws.on('pong', r));
    ws.ping();
    await pong;
    ws.close();
  });

  it('kubectl 1.27 and KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false exec over SPDY', async () => {
    const env = { HOME: t.kubeHome, KUBECONFIG: t.engine.kubeconfigPath, PATH: process.env.PATH! };
    const old = await execa(KUBECTL_127, ['exec', 'web', '--', 'sh', '-c', 'echo hi-$(hostname); echo e >&2; exit 2'], {
      env,
      extendEnv: false,
      reject: false,
    });
    expect(old.stdout).toBe('hi-web');
    expect(old.stderr).toContain('e\ncommand terminated with exit code 2');
    expect(old.exitCode).toBe(2);
    const spdy = await execa(KUBECTL, ['exec', '-i', 'web', '--', 'cat'], {
      env: { ...env, KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'false' },
      extendEnv: false,
      input: 'over spdy\n',
    });
    expect(spdy.stdout).toBe('over spdy');
  });

  it('refuses exec into a completed pod, and a missing command', async () => {
    const r = await t.kubectl(['exec', 'done', '--', 'ls'], { reject: false });
    expect(r.stderr).toContain('cannot exec into a container in a completed pod; current phase is Succeeded');
    const nocmd = await wsExec('container=web&stdout=true', ['v5.channel.k8s.io']).catch((e: Error) => e);
    expect(String(nocmd)).toMatch(/Unexpected server response: 400/);
  });
});

describe('logs on the wire', () => {
  it('tail, limit, timestamps; several containers need a name', async () => {
    expect((await t.kubectl(['logs', 'done'])).stdout).toBe('one\ntwo\nthree');
    expect((await t.kubectl(['logs', 'done', '--tail=1'])).stdout).toBe('three');
    expect((await t.kubectl(['logs', 'done', '--limit-bytes=6'])).stdout).toBe('one\ntw');
    expect((await t.kubectl(['logs', 'done', '--timestamps', '--tail=1'])).stdout).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z three$/,
    );
    const multi = await rawGet('/api/v1/namespaces/default/pods/duo/log');
    expect(multi.status).toBe(400);
    expect(JSON.parse(multi.body).message).toBe('a container name must be specified for pod duo, choose one of: [a b]');
    const bad = await rawGet('/api/v1/namespaces/default/pods/duo/log?container=zzz');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).message).toBe('container zzz is not valid for pod duo');
    expect((await t.kubectl(['logs', 'duo', '-c', 'a'])).stdout).toContain(
      'Configuration complete; ready for start up',
    );
    const prev = await t.kubectl(['logs', 'web', '--previous'], { reject: false });
    expect(prev.stderr).toContain('previous terminated container "web" in pod "web" not found');
  });
});
