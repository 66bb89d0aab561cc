import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, waitFor, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

let t: TestEngine;
let tui: Tui | undefined;

beforeAll(async () => {
  t = await startTestEngine();
  await t.kubectl([
    'run',
    'ticker',
    '--image=busybox',
    '--',
    'sh',
    '-c',
    'i=0; while true; do echo tick-$i; i=$((i+1)); sleep 0.2; done',
  ]);
  await waitFor(
    async () => (await t.kubectl(['get', 'pod', 'ticker', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running',
    30_000,
    'ticker running',
  );
});
afterAll(async () => t?.stop());
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

function open(env: Record<string, string> = {}): Tui {
  return spawnTui(['--kubeconfig', t.engine.kubeconfigPath], { env: { HOME: t.kubeHome, ...env } });
}

async function focus(ui: Tui, name: string) {
  await ui.press('/');
  await ui.type(`^${name}$`);
  await ui.press(KEY.enter);
  await ui.waitFor(`</^${name}$>`);
}

describe('pod actions in a terminal', () => {
  it('l streams logs live; s stops autoscroll; esc returns', async () => {
    tui = open();
    await tui.waitFor('ticker');
    await focus(tui, 'ticker');
    await tui.press('l');
    await tui.waitFor('Logs pod/ticker');
    const screen = await tui.waitFor(/tick-\d+/);
    const last = (s: string) => Math.max(...[...s.matchAll(/tick-(\d+)/g)].map((m) => Number(m[1])));
    const n = last(screen);
    await tui.waitFor((s) => last(s) > n + 3); // new lines keep arriving with no key pressed
    // Enough lines to fill the box, so following means scrolling.
    await tui.waitFor((s) => last(s) > 40, 20_000);
    const first = (s: string) => Number(/tick-(\d+)/.exec(s)?.[1]);
    await tui.press('s');
    await tui.waitFor('Autoscroll off');
    const frozen = first(tui.screen());
    await new Promise((r) => setTimeout(r, 800));
    expect(first(tui.screen())).toBe(frozen);
    await tui.press('s');
    await tui.waitFor((s) => first(s) > frozen); // following again
    await tui.press(KEY.esc);
    await tui.waitFor(/Pods\(default\)/);
  });

  it('s opens a shell in the pod and gives the terminal back on exit', async () => {
    tui = open();
    await tui.waitFor('ticker');
    await focus(tui, 'ticker');
    await tui.press('s');
    await tui.waitFor('shell in ticker');
    await tui.waitFor(/[#$] $/m);
    await tui.type('echo "out-$((6*7))"\r');
    await tui.waitFor('out-42');
    await tui.type('exit\r');
    await tui.waitFor('Shell exited');
    expect(tui.screen()).toContain('</^ticker$>'); // same view, same filter and selection
    expect(tui.term.buffer.active.type).toBe('alternate');
    await tui.press('j', 'k');
    await tui.press('q');
    expect(await tui.exited).toBe(0);
  });

  it('e edits in $EDITOR and applies the change on save', async () => {
    await t.kubectl(['create', 'configmap', 'edited', '--from-literal=color=blue']);
    const editor = join(t.kubeHome, 'fake-editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i "s/color: blue/color: green/" "$1"\n');
    chmodSync(editor, 0o755);
    tui = open({ EDITOR: editor, KUBE_EDITOR: editor });
    await tui.waitFor('Pods(default)');
    await tui.press(':');
    await tui.type('cm');
    await tui.press(KEY.enter);
    await tui.waitFor('edited');
    await focus(tui, 'edited');
    await tui.press('e');
    await tui.waitFor('configmap/edited edited');
    expect((await t.kubectl(['get', 'cm', 'edited', '-o', 'jsonpath={.data.color}'])).stdout).toBe('green');
  });

  it('e reopens the editor with the server error and the edit kept', async () => {
    await t.kubectl(['create', 'deployment', 'fixme', '--image=nginx:1.7.9']);
    const editor = join(t.kubeHome, 'two-step-editor.sh');
    const seen = join(t.kubeHome, 'second-round.yaml');
    // First round: an invalid replica count. Second round: the error is in the file, with our edit; fix it.
    writeFileSync(
      editor,
      `#!/bin/sh
if grep -q "was not valid" "$1"; then cp "$1" "${seen}"; sed -i "s/replicas: -5/replicas: 2/" "$1"; else sed -i "s/replicas: 1/replicas: -5/" "$1"; fi
`,
    );
    chmodSync(editor, 0o755);
    tui = open({ EDITOR: editor, KUBE_EDITOR: editor });
    await tui.waitFor('Pods(default)');
    await tui.press(':');
    await tui.type('deploy');
    await tui.press(KEY.enter);
    await tui.waitFor('fixme');
    await focus(tui, 'fixme');
    await tui.press('e');
    await tui.waitFor('deployment/fixme edited', 20_000);
    const second = readFileSync(seen, 'utf8');
    expect(second).toMatch(/# \* .*replicas/i);
    expect(second).toContain('replicas: -5');
    expect((await t.kubectl(['get', 'deploy', 'fixme', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('2');
  });
});
