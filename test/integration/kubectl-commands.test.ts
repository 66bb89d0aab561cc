import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';

// kubectl commands beyond the tutorial, each against one shared engine with the real kubectl.

let t: TestEngine;
let dir: string;
beforeAll(async () => {
  t = await startTestEngine();
  dir = mkdtempSync(join(tmpdir(), 'skiff-kubectl-'));
  await t.kubectl(['run', 'box', '--image=busybox', '--labels=app=box,tier=debug', '--', 'sleep', '3600']);
  await t.kubectl(['create', 'deployment', 'web', '--image=nginx:1.25']);
  await t.kubectl(['expose', 'deployment', 'web', '--port=8080', '--target-port=80']);
  await t.kubectl(['wait', '--for=condition=Ready', 'pod/box', '--timeout=30s']);
  await t.kubectl(['rollout', 'status', 'deployment/web', '--timeout=30s']);
});
afterAll(async () => {
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Run kubectl in the background until `until` matches its stdout; then stop it. */
async function background(args: string[], until: RegExp, act?: (out: string) => Promise<void>): Promise<string> {
  const p = execa(KUBECTL, args, {
    env: { HOME: t.kubeHome, KUBECONFIG: t.engine.kubeconfigPath, PATH: process.env.PATH },
    extendEnv: false,
    reject: false,
  });
  let out = '';
  p.stdout!.on('data', (d: Buffer) => (out += d));
  try {
    await waitFor(() => until.test(out), 20_000, `kubectl ${args.join(' ')} to print ${until}`);
    await act?.(out);
    return out;
  } finally {
    p.kill();
    await p;
  }
}

function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path }, (res) => {
      let b = '';
      res.on('data', (d) => (b += d));
      res.on('end', () => resolve(b));
    })
      .on('error', reject)
      .end();
  });
}

describe('kubectl commands', () => {
  it('cp into a pod and back out', async () => {
    writeFileSync(join(dir, 'in.txt'), 'copied in\n');
    await t.kubectl(['cp', join(dir, 'in.txt'), 'box:/tmp/in.txt']);
    expect((await t.kubectl(['exec', 'box', '--', 'cat', '/tmp/in.txt'])).stdout).toBe('copied in'); // execa drops the final newline
    await t.kubectl(['exec', 'box', '--', 'sh', '-c', 'echo made inside > /tmp/out.txt']);
    await t.kubectl(['cp', 'box:/tmp/out.txt', join(dir, 'out.txt')]);
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('made inside\n');
  });

  it('wait --for=condition, --for=jsonpath, --for=delete', async () => {
    expect((await t.kubectl(['wait', '--for=condition=Ready', 'pod/box', '--timeout=10s'])).stdout).toContain(
      'pod/box condition met',
    );
    expect(
      (await t.kubectl(['wait', '--for=jsonpath={.status.phase}=Running', 'pod/box', '--timeout=10s'])).stdout,
    ).toContain('pod/box condition met');
    await t.kubectl(['create', 'configmap', 'doomed']);
    const waiting = t.kubectl(['wait', '--for=delete', 'configmap/doomed', '--timeout=20s']);
    await t.kubectl(['delete', 'configmap', 'doomed']);
    expect((await waiting).exitCode).toBe(0);
    const timeout = await t.kubectl(
      ['wait', '--for=condition=Ready', 'pod/box', '--for=jsonpath={.status.phase}=Nope', '--timeout=1s'],
      { reject: false },
    );
    expect(timeout.exitCode).not.toBe(0);
  });

  it('diff -f shows what would change and exits 1; --dry-run=server stores nothing and records no event', async () => {
    const cm = (v: string) =>
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: v } });
    await t.kubectl(['apply', '-f', '-'], { input: cm('slow') });
    const same = await t.kubectl(['diff', '-f', '-'], { input: cm('slow'), reject: false });
    expect(same.exitCode).toBe(0);
    const d = await t.kubectl(['diff', '-f', '-'], { input: cm('fast'), reject: false });
    expect(d.exitCode).toBe(1);
    expect(d.stdout).toMatch(/^-\s+mode: slow$/m);
    expect(d.stdout).toMatch(/^\+\s+mode: fast$/m);
    expect((await t.kubectl(['get', 'cm', 'settings', '-o', 'jsonpath={.data.mode}'])).stdout).toBe('slow');

    const events = () => t.engine.ctx.store.list('events', {}).items.length;
    const before = events();
    const r = await t.kubectl(['run', 'ghost', '--image=busybox', '--dry-run=server', '-o', 'name']);
    expect(r.stdout.trim()).toBe('pod/ghost');
    await t.kubectl(['create', 'deployment', 'ghostly', '--image=nginx', '--dry-run=server']);
    await new Promise((res) => setTimeout(res, 500));
    expect(t.engine.ctx.store.get('pods', 'default', 'ghost')).toBeUndefined();
    expect(t.engine.ctx.store.get('deployments.apps', 'default', 'ghostly')).toBeUndefined();
    expect(events()).toBe(before);
  });

  it('events --for a pod', async () => {
    const r = await t.kubectl(['events', '--for', 'pod/box']);
    expect(r.stdout).toMatch(/Scheduled\s+Pod\/box/);
    expect(r.stdout).toMatch(/Started\s+Pod\/box/);
    expect(r.stdout).not.toContain('web-');
  });

  it('get --watch-only prints changes, not the current list', async () => {
    await t.kubectl(['create', 'configmap', 'existing']);
    const p = execa(KUBECTL, ['get', 'configmaps', '--watch-only', '--no-headers'], {
      env: { HOME: t.kubeHome, KUBECONFIG: t.engine.kubeconfigPath, PATH: process.env.PATH },
      extendEnv: false,
      reject: false,
    });
    let out = '';
    p.stdout!.on('data', (d: Buffer) => (out += d));
    try {
      // The watch starts at some point after the process does: create until one is seen.
      for (let i = 0; !/^watched-\d+\s/m.test(out); i++) {
        if (i > 40) throw new Error(`kubectl get --watch-only printed nothing:\n${out}`);
        await t.kubectl(['create', 'configmap', `watched-${i}`]);
        await new Promise((r) => setTimeout(r, 300));
      }
    } finally {
      p.kill();
      await p;
    }
    expect(out).not.toContain('existing');
  }, 30_000);

  it('-o custom-columns, --show-labels, --sort-by', async () => {
    const cc = await t.kubectl([
      'get',
      'pod',
      'box',
      '-o',
      'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image,NODE:.spec.nodeName',
    ]);
    expect(cc.stdout).toMatch(/^NAME\s+IMAGE\s+NODE\nbox\s+busybox\s+node\d+$/);
    const sl = await t.kubectl(['get', 'pod', 'box', '--show-labels']);
    expect(sl.stdout).toMatch(/LABELS\n.*app=box,tier=debug/);
    await t.kubectl(['create', 'configmap', 'zz-first']);
    // creationTimestamp has one-second resolution: the second object must be created a second later.
    await new Promise((r) => setTimeout(r, 1100));
    await t.kubectl(['create', 'configmap', 'aa-second']);
    const byTime = await t.kubectl(['get', 'cm', '--sort-by=.metadata.creationTimestamp', '-o', 'name']);
    const names = byTime.stdout.trim().split('\n');
    expect(names.indexOf('configmap/zz-first')).toBeLessThan(names.indexOf('configmap/aa-second'));
    const byName = await t.kubectl(['get', 'cm', '--sort-by=.metadata.name', '-o', 'name']);
    const sorted = byName.stdout.trim().split('\n');
    expect(sorted).toEqual([...sorted].sort());
  });

  it('label and annotate need --overwrite to change a value', async () => {
    const refused = await t.kubectl(['label', 'pod', 'box', 'tier=prod'], { reject: false });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain("'tier' already has a value (debug), and --overwrite is false");
    await t.kubectl(['label', 'pod', 'box', 'tier=prod', '--overwrite']);
    await t.kubectl(['annotate', 'pod', 'box', 'note=one']);
    expect((await t.kubectl(['annotate', 'pod', 'box', 'note=two'], { reject: false })).exitCode).not.toBe(0);
    await t.kubectl(['annotate', 'pod', 'box', 'note=two', '--overwrite']);
    const meta = JSON.parse((await t.kubectl(['get', 'pod', 'box', '-o', 'json'])).stdout).metadata;
    expect(meta.labels.tier).toBe('prod');
    expect(meta.annotations.note).toBe('two');
  });

  it('patch --type=json', async () => {
    await t.kubectl([
      'patch',
      'deployment',
      'web',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/metadata/labels/patched","value":"yes"}]',
    ]);
    expect((await t.kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.metadata.labels.patched}'])).stdout).toBe('yes');
    const bad = await t.kubectl(
      ['patch', 'deployment', 'web', '--type=json', '-p', '[{"op":"remove","path":"/metadata/labels/absent"}]'],
      { reject: false },
    );
    expect(bad.exitCode).not.toBe(0);
  });

  it('proxy serves the API over plain HTTP on loopback', async () => {
    await background(['proxy', '--port=0'], /Starting to serve on 127\.0\.0\.1:\d+/, async (out) => {
      const port = Number(out.match(/127\.0\.0\.1:(\d+)/)![1]);
      const body = JSON.parse(await httpGet(port, '/api/v1/namespaces/default/pods/box'));
      expect(body.metadata.name).toBe('box');
    });
  });

  it('port-forward svc/NAME reaches a pod behind the service', async () => {
    await background(['port-forward', 'svc/web', ':8080'], /Forwarding from 127\.0\.0\.1:\d+/, async (out) => {
      const port = Number(out.match(/127\.0\.0\.1:(\d+)/)![1]);
      expect(await httpGet(port, '/')).toContain('Welcome to nginx');
    });
  });
});
