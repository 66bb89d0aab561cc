import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine.ts';
import { KEY, spawnTui, type Tui } from './pty.ts';

// The user's own TUI: config.yaml, aliases, rebound keys, plugins, skins, mouse and the clipboard,
// each from files in a fresh $XDG_CONFIG_HOME/skiff, on a real engine.

let t: TestEngine;
let tui: Tui | undefined;
const temp: string[] = [];

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.7.9' }] },
});

beforeAll(async () => {
  t = await startTestEngine();
  const file = join(t.kubeHome, 'pods.yaml');
  writeFileSync(file, ['web-1', 'web-2', 'web-3'].map((n) => stringify(pod(n))).join('---\n'));
  await t.kubectl(['apply', '-f', file]);
});
afterAll(async () => {
  await t?.stop();
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});
afterEach(() => {
  tui?.kill();
  tui = undefined;
});

/** A config directory with these files; returns $XDG_CONFIG_HOME and the skiff directory in it. */
function configHome(files: Record<string, string>): { xdg: string; dir: string } {
  const xdg = mkdtempSync(join(tmpdir(), 'skiff-xdg-'));
  temp.push(xdg);
  const dir = join(xdg, 'skiff');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { xdg, dir };
}

function open(xdg: string, env: Record<string, string> = {}): Tui {
  return spawnTui(['--kubeconfig', t.engine.kubeconfigPath], {
    cols: 120,
    rows: 30,
    env: { HOME: t.kubeHome, XDG_CONFIG_HOME: xdg, ...env },
  });
}

const podsReady = (s: string) => s.includes('Pods(default)[3]') && s.includes('web-3');
const rowOf = (tui: Tui, text: string) => tui.lines().findIndex((l) => l.includes(text));
const click = (x: number, y: number) => `\x1b[<0;${x + 1};${y + 1}M\x1b[<0;${x + 1};${y + 1}m`;

describe('configuration files', { timeout: 240_000 }, () => {
  it('a config error is shown with its file and line, the TUI keeps running, and a fix is picked up live', async () => {
    const { xdg, dir } = configHome({ 'config.yaml': 'skiff:\n  refreshRate: fast\n  defaultView: deploy\n' });
    tui = open(xdg);
    let s = await tui.waitFor('config.yaml:2: skiff.refreshRate must be a number of at least 0.01, not "fast"', 60_000);
    // The valid fields still apply: the TUI opened on deployments.
    expect(s).toContain('Deployments(default)');
    await tui.press(':');
    await tui.type('pods');
    await tui.press(KEY.enter);
    await tui.waitFor(podsReady, 60_000);
    // Hot reload: a broken hotkeys.yaml written while skiff runs is reported…
    writeFileSync(join(dir, 'hotkeys.yaml'), 'keys:\n  table:\n    obj.describ: x\n');
    s = await tui.waitFor(
      'hotkeys.yaml:3: keys.table: unknown command "obj.describ" (did you mean obj.describe?)',
      30_000,
    );
    // …and so is the repair.
    writeFileSync(join(dir, 'config.yaml'), 'skiff:\n  refreshRate: 0.1\n');
    writeFileSync(join(dir, 'hotkeys.yaml'), 'keys:\n  table:\n    obj.describe: x\n');
    await tui.waitFor('Configuration reloaded', 30_000);
    await tui.press('x');
    await tui.waitFor(/Describe pods?\/web-1/, 30_000);
  });

  it('a rebound key runs its command, the old key no longer does, and ? shows the new key', async () => {
    const { xdg } = configHome({
      'hotkeys.yaml': 'keys:\n  table:\n    obj.describe: [x]\n  pods:\n    obj.yaml: Shift-Y\n',
    });
    tui = open(xdg);
    await tui.waitFor(podsReady, 60_000);
    await tui.press('?');
    let s = await tui.waitFor('Help', 30_000);
    expect(s).toMatch(/<x>\s+Describe/);
    expect(s).toMatch(/<Y>\s+YAML/);
    expect(s).not.toMatch(/<d>\s+Describe/);
    await tui.press(KEY.esc);
    await tui.waitFor(podsReady, 60_000);
    await tui.press('d');
    await tui.press('y');
    await tui.waitQuiet(500);
    s = tui.screen();
    expect(s).toContain('Pods(default)[3]');
    expect(s).not.toMatch(/(Describe|YAML) pods?\/web-1/);
    await tui.press('Y');
    await tui.waitFor(/YAML pods?\/web-1/, 30_000);
    await tui.press(KEY.esc);
    await tui.waitFor(podsReady, 60_000);
    await tui.press('x');
    await tui.waitFor(/Describe pods?\/web-1/, 30_000);
  });

  it("an alias from a k9s aliases.yaml opens its resource, with k9s's namespace and label arguments", async () => {
    const { xdg } = configHome({
      'aliases.yaml': 'aliases:\n  pp: v1/pods\n  dd: apps/v1/deployments\n  fred: pod kube-system k8s-app=kube-dns\n',
    });
    tui = open(xdg);
    await tui.waitFor(podsReady, 60_000);
    await tui.press(':');
    await tui.type('dd');
    await tui.press(KEY.enter);
    await tui.waitFor('Deployments(default)', 30_000);
    await tui.press(':');
    await tui.type('fred');
    await tui.press(KEY.enter);
    const s = await tui.waitFor((x) => x.includes('Pods(kube-system)') && x.includes('<k8s-app=kube-dns>'), 30_000);
    expect(s).not.toContain('web-1');
  });
});

describe('plugins', { timeout: 240_000 }, () => {
  it('a terminal plugin gets the selection in its variables, runs with the terminal and hands it back', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'skiff-plugin-')), 'out.txt');
    temp.push(join(out, '..'));
    const { xdg } = configHome({
      'plugins.yaml': `plugins:
  show:
    shortCut: Shift-P
    description: Show the pod
    scopes: [pods]
    command: sh
    background: false
    args:
      - -c
      - echo "$NAME $NAMESPACE $CONTEXT $COL-READY \${NAME}-x" > ${out}; echo plugin-was-here; sleep 1
`,
    });
    tui = open(xdg);
    await tui.waitFor(podsReady, 60_000);
    await tui.press('j');
    await tui.waitFor(() => tui!.highlightedRows().includes(rowOf(tui!, 'web-2')), 30_000);
    await tui.press('P');
    await tui.waitFor('plugin-was-here', 30_000);
    const s = await tui.waitFor((x) => x.includes('Plugin show done') && podsReady(x), 30_000);
    expect(s).not.toContain('plugin-was-here');
    expect(readFileSync(out, 'utf8').trim()).toMatch(/^web-2 default \S+ [01]\/1 web-2-x$/);
    // Mouse reporting was off while the plugin had the terminal, and on again after.
    const raw = tui.output();
    const handover = raw.indexOf('plugin-was-here');
    expect(raw.lastIndexOf('\x1b[?1000l', handover)).toBeGreaterThan(raw.lastIndexOf('\x1b[?1000h', handover));
    expect(raw.indexOf('\x1b[?1000h', handover)).toBeGreaterThan(handover);
    // The keys still work afterwards.
    await tui.press('d');
    await tui.waitFor(/Describe pods?\/web-2/, 30_000);
  });

  it('a background plugin with confirm asks first, then reports its output', async () => {
    const { xdg } = configHome({
      'plugins.yaml': `plugins:
  count:
    shortCut: Ctrl-T
    description: Count
    confirm: true
    scopes: [all]
    command: sh
    background: true
    args: [-c, 'echo "counted $RESOURCE_NAME/$NAME"']
`,
    });
    tui = open(xdg);
    await tui.waitFor(podsReady, 60_000);
    await tui.press('\x14');
    await tui.waitFor('Run plugin count?', 30_000);
    await tui.press(KEY.tab, KEY.enter);
    await tui.waitFor('counted pods/web-1', 30_000);
  });
});

describe('skins, mouse and clipboard', { timeout: 240_000 }, () => {
  it('a k9s-format skin colours the selection; NO_COLOR turns colours off', async () => {
    const { xdg } = configHome({
      'config.yaml': 'skiff:\n  ui:\n    skin: pink\n',
      'skins/pink.yaml':
        'pink: &pink "#ff00ff"\nk9s:\n  views:\n    table:\n      cursorFgColor: black\n      cursorBgColor: *pink\n',
    });
    // Truecolor, so that the skin's exact colour reaches the screen (256-colour terminals get the nearest).
    tui = open(xdg, { COLORTERM: 'truecolor' });
    await tui.waitFor(podsReady, 60_000);
    // A selected pod row takes its status colour; the contexts table shows the cursor colour itself.
    await tui.press(':');
    await tui.type('contexts');
    await tui.press(KEY.enter);
    await tui.waitFor('Contexts(', 30_000);
    const row = tui.highlightedRows()[0]; // the table's selection (the current crumb comes later)
    const c = tui.term.buffer.active.getLine(tui.term.buffer.active.viewportY + row)!.getCell(3)!;
    expect(c.isBgRGB()).toBe(true);
    expect(c.getBgColor()).toBe(0xff00ff);
    tui.kill();

    tui = open(xdg, { NO_COLOR: '1' });
    await tui.waitFor(podsReady, 60_000);
    await tui.waitFor(() => tui!.highlightedRows().includes(rowOf(tui!, 'web-1')), 30_000);
    const sel = tui.term.buffer.active.getLine(tui.term.buffer.active.viewportY + rowOf(tui, 'web-1'))!.getCell(3)!;
    expect(sel.isInverse()).toBeTruthy();
    expect(sel.isBgDefault()).toBe(true);
  });

  it('a click selects a row, the wheel moves, a double click opens, a click on a crumb goes back; c copies via OSC 52', async () => {
    const { xdg } = configHome({});
    tui = open(xdg);
    await tui.waitFor(podsReady, 60_000);
    expect(tui.output()).toContain('\x1b[?1000h\x1b[?1006h');
    const row3 = rowOf(tui, 'web-3');
    await tui.press(click(10, row3));
    await tui.waitFor(() => tui!.highlightedRows().includes(row3), 30_000);
    await tui.press('c');
    await tui.waitFor('Copied "web-3" to the clipboard', 30_000);
    expect(tui.output()).toContain(`\x1b]52;c;${Buffer.from('web-3').toString('base64')}\x07`);
    await tui.press('\x1b[<64;10;10M');
    await tui.waitFor(() => tui!.highlightedRows().includes(rowOf(tui!, 'web-2')), 30_000);
    const row1 = rowOf(tui, 'web-1');
    await tui.press(click(10, row1) + click(10, row1));
    await tui.waitFor(/Describe pods?\/web-1/, 30_000);
    const crumbs = tui.lines().findIndex((l) => l.includes('<pods> <describe>'));
    expect(crumbs).toBeGreaterThan(0);
    await tui.press(click(tui.lines()[crumbs].indexOf('<pods>') + 2, crumbs));
    await tui.waitFor(podsReady, 60_000);
    // In the YAML view, c copies the whole document.
    await tui.press('y');
    await tui.waitFor(/YAML pods?\/web-1/, 30_000);
    await tui.waitFor('apiVersion: v1', 30_000);
    await tui.press('c');
    await tui.waitFor(/Copied \d+ lines of YAML/, 30_000);
    const copies = [...tui.output().matchAll(/\x1b\]52;c;([A-Za-z0-9+/=]*)\x07/g)];
    const yaml = Buffer.from(copies.at(-1)![1], 'base64').toString('utf8');
    expect(yaml).toMatch(/^apiVersion: v1\nkind: Pod\n/);
    expect(yaml).toContain('name: web-1');
    await tui.press('q');
    await tui.exited;
    // Quitting switches mouse reporting off.
    expect(tui.output().lastIndexOf('\x1b[?1000l')).toBeGreaterThan(tui.output().lastIndexOf('\x1b[?1000h'));
  });

  it('enableMouse: false leaves the mouse to the terminal', async () => {
    const { xdg } = configHome({ 'config.yaml': 'skiff:\n  ui:\n    enableMouse: false\n' });
    tui = open(xdg);
    await tui.waitFor(podsReady, 60_000);
    await tui.waitQuiet(300);
    expect(tui.output()).not.toContain('\x1b[?1000h');
  });
});
